import type { Content } from '../en.ts';

/**
 * The public self-referral (/refer) in Welsh: the same keys as ../en/refer.ts (a test checks).
 * Draft translation for review by a Welsh-language translator before use with the public.
 * Urgent help names the services in Wales: GIG 111 Cymru, 999, the Samaritans' Welsh-language
 * line and C.A.L.L. (the Community Advice and Listening Line).
 */
export const refer: Content['refer'] = {
  title: "Atgyfeirio eich hun at therapi galwedigaethol",
  homeLink: "Atgyfeirio eich hun neu rywun rydych chi'n gofalu amdanyn nhw",
  back: 'Yn ôl',
  continue: 'Parhau',
  optional: '(dewisol)',
  errorSummaryTitle: 'Mae problem wedi codi',
  errorPrefix: 'Gwall',
  yes: 'Ydw',
  no: 'Nac ydw',
  start: {
    lead: "Mae therapi galwedigaethol yn eich helpu i wneud y pethau sydd angen a'r pethau rydych chi eisiau eu gwneud bob dydd.",
    paragraphs: [
      "Does dim rhaid i chi weld eich meddyg teulu yn gyntaf. Does dim angen diagnosis arnoch chi.",
      "Gallwch lenwi'r ffurflen hon i chi'ch hun. Gallwch hefyd ei llenwi ar ran rhywun arall, os ydyn nhw'n cytuno.",
      "Mae'n cymryd tua 10 munud. Byddwn yn cadw eich atebion am 24 awr tra byddwch chi'n ei llenwi.",
    ],
    needHeading: 'Beth fydd ei angen arnoch chi',
    needItems: ['eich cod post', 'eich dyddiad geni', "rhif ffôn, e-bost neu gyfeiriad er mwyn i ni gysylltu â chi"],
    serviceLegend: "I ba wasanaeth rydych chi eisiau atgyfeirio?",
    button: 'Dechrau nawr',
    noService: "Does dim gwasanaeth yn derbyn hunan-atgyfeiriadau yma eto. Gofynnwch i'ch meddyg teulu neu'ch tîm iechyd lleol.",
    expired: "Rydyn ni wedi dileu eich atebion gan fod 24 awr wedi mynd heibio. Dechreuwch eto.",
  },
  urgentHelp: {
    heading: 'Cael help nawr',
    intro: "Nid yw'r ffurflen hon ar gyfer argyfwng. Os oes angen help arnoch chi nawr:",
    items: [
      "ffoniwch 999 neu ewch i'r adran achosion brys os yw eich bywyd chi neu fywyd rhywun arall mewn perygl",
      'ffoniwch GIG 111 Cymru am help brys, ddydd neu nos',
      "ffoniwch linell Gymraeg y Samariaid ar 0808 164 0123 i siarad â rhywun, am ddim",
      'ffoniwch C.A.L.L., y llinell gymorth iechyd meddwl i Gymru, ar 0800 132 737, ddydd neu nos, am ddim',
    ],
    after: "Gallwch chi anfon y ffurflen hon o hyd. Byddwn yn edrych arni'r un diwrnod.",
  },
  steps: {
    urgent: {
      title: "Ydych chi mewn perygl nawr, neu'n meddwl am niweidio eich hun?",
      summary: 'Mewn perygl neu’n meddwl am hunan-niweidio',
      hint: "Os ydych chi'n llenwi hwn ar ran rhywun arall, atebwch ar eu rhan nhw.",
      fields: { urgent: { options: { yes: 'Ydw', no: 'Nac ydw' }, errors: { required: "Dewiswch ydw os ydych chi mewn perygl nawr neu'n meddwl am niweidio eich hun" } } },
    },
    'urgent-help': {
      title: 'Cael help nawr',
      summary: 'Help brys',
      fields: {},
    },
    who: {
      title: "Ar gyfer pwy mae'r atgyfeiriad hwn?",
      summary: "Pwy sy'n llenwi'r ffurflen",
      fields: {
        referredBy: {
          options: { self: 'Fi', parent_or_carer: "Rhywun rydw i'n rhiant neu'n ofalwr iddyn nhw", other: 'Rhywun arall' },
          errors: { required: "Dewiswch ar gyfer pwy mae'r atgyfeiriad" },
        },
      },
    },
    referrer: {
      title: 'Amdanoch chi',
      summary: "Eich enw a sut rydych chi'n eu hadnabod",
      hint: "Mae angen i ni wybod pwy lenwodd y ffurflen.",
      fields: {
        referrerName: { label: 'Eich enw llawn', errors: { required: 'Rhowch eich enw llawn', tooLong: 'Rhaid i’ch enw fod yn 200 nod neu lai', invalid: 'Rhowch eich enw llawn' } },
        referrerRelationship: {
          label: "Sut rydych chi'n eu hadnabod?",
          hint: 'Er enghraifft, rhiant, partner, ffrind neu weithiwr cymorth',
          errors: { required: "Rhowch sut rydych chi'n eu hadnabod", tooLong: "Rhaid i hyn fod yn 200 nod neu lai", invalid: "Rhowch sut rydych chi'n eu hadnabod" },
        },
      },
    },
    name: {
      title: "Beth yw enw'r person sydd angen help?",
      summary: 'Enw',
      fields: {
        givenName: { label: 'Enw cyntaf', errors: { required: 'Rhowch enw cyntaf', tooLong: "Rhaid i'r enw cyntaf fod yn 100 nod neu lai", invalid: 'Rhowch enw cyntaf' } },
        familyName: { label: 'Cyfenw', errors: { required: 'Rhowch gyfenw', tooLong: "Rhaid i'r cyfenw fod yn 100 nod neu lai", invalid: 'Rhowch gyfenw' } },
      },
    },
    'date-of-birth': {
      title: "Beth yw eu dyddiad geni?",
      summary: 'Dyddiad geni',
      hint: 'Er enghraifft, 15 3 1984',
      fields: {
        dateOfBirth: {
          day: 'Diwrnod',
          month: 'Mis',
          year: 'Blwyddyn',
          errors: {
            required: 'Rhowch ddyddiad geni',
            incomplete: "Rhaid i ddyddiad geni gynnwys diwrnod, mis a blwyddyn",
            invalid: "Rhaid i'r dyddiad geni fod yn ddyddiad go iawn",
            future: "Rhaid i'r dyddiad geni fod heddiw neu yn y gorffennol",
            tooOld: "Rhaid i'r dyddiad geni fod ar ôl 1 Ionawr 1900",
          },
        },
      },
    },
    activities: {
      title: "Pa bethau sy'n anodd eu gwneud?",
      summary: "Pethau sy'n anodd eu gwneud",
      hint: "Dewiswch bob un sy'n berthnasol.",
      fields: {
        hardActivities: {
          options: {
            washing_dressing: 'Ymolchi a gwisgo',
            cooking_eating: 'Coginio a bwyta',
            housework: 'Gwaith yn y cartref',
            shopping: 'Siopa',
            getting_out: 'Mynd allan',
            work_study: 'Gwaith, ysgol neu astudio',
            caring: 'Gofalu am eraill',
            hobbies: 'Diddordebau a gweld pobl',
            sleep: 'Cysgu a gorffwys',
            money: 'Arian a biliau',
            something_else: 'Rhywbeth arall',
          },
          errors: { required: "Dewiswch o leiaf un peth sy'n anodd ei wneud", invalid: "Dewiswch o'r rhestr" },
        },
      },
    },
    'what-matters': {
      title: "Beth sy'n bwysicaf mewn bywyd bob dydd, a beth fyddai'n helpu?",
      summary: "Beth sy'n bwysig",
      hint: "Dywedwch wrthym yn eich geiriau eich hun. Er enghraifft, beth rydych chi eisiau gallu ei wneud eto.",
      fields: { whatMatters: { errors: { required: "Dywedwch wrthym beth sy'n bwysig mewn bywyd bob dydd", tooLong: "Rhaid i hyn fod yn 4,000 nod neu lai", invalid: "Dywedwch wrthym beth sy'n bwysig mewn bywyd bob dydd" } } },
    },
    postcode: {
      title: 'Beth yw eu cod post?',
      summary: 'Cod post',
      fields: {
        postcode: {
          label: 'Cod post',
          hint: 'Er enghraifft, CF10 1EP',
          errors: {
            required: "Rhowch god post, neu dewiswch nad oes ganddyn nhw gyfeiriad parhaol",
            invalid: 'Rhowch god post go iawn, fel CF10 1EP',
            both: "Rhowch god post neu dewiswch dim cyfeiriad parhaol, nid y ddau",
            tooLong: 'Rhowch god post go iawn, fel CF10 1EP',
          },
        },
        noFixedAddress: { options: { yes: "Does ganddyn nhw ddim cyfeiriad parhaol" }, errors: { invalid: "Dewiswch o'r rhestr" } },
      },
    },
    'lives-alone': {
      title: "Ydyn nhw'n byw ar eu pen eu hunain?",
      summary: 'Byw ar eu pen eu hunain',
      fields: { livesAlone: { options: { yes: 'Ydyn', no: 'Nac ydyn' }, errors: { required: "Dewiswch ydyn os ydyn nhw'n byw ar eu pen eu hunain" } } },
    },
    'contact-methods': {
      title: "Sut gallwn ni gysylltu â nhw?",
      summary: 'Sut i gysylltu',
      hint: "Dewiswch bob un sy'n iawn.",
      fields: {
        contactMethods: {
          options: { phone: 'Galwad ffôn', text: 'Neges destun', email: 'E-bost', letter: 'Llythyr' },
          errors: { required: "Dewiswch o leiaf un ffordd y gallwn ni gysylltu â nhw", invalid: "Dewiswch o'r rhestr" },
        },
      },
    },
    'contact-details': {
      title: 'Manylion cyswllt',
      summary: 'Manylion cyswllt',
      fields: {
        phone: {
          label: 'Rhif ffôn',
          hint: 'Er enghraifft, 07700 900 982',
          errors: { required: 'Rhowch rif ffôn', invalid: 'Rhowch rif ffôn, fel 07700 900 982', tooLong: 'Rhowch rif ffôn, fel 07700 900 982' },
        },
        email: {
          label: 'Cyfeiriad e-bost',
          errors: { required: 'Rhowch gyfeiriad e-bost', invalid: 'Rhowch gyfeiriad e-bost, fel enw@example.com', tooLong: "Rhaid i'r cyfeiriad e-bost fod yn 200 nod neu lai" },
        },
        address: { label: 'Cyfeiriad ar gyfer llythyrau', errors: { required: 'Rhowch gyfeiriad ar gyfer llythyrau', tooLong: "Rhaid i'r cyfeiriad fod yn 500 nod neu lai", invalid: 'Rhowch gyfeiriad ar gyfer llythyrau' } },
      },
    },
    'safe-times': {
      title: "Pryd mae'n amser da a diogel i gysylltu â nhw?",
      summary: 'Amseroedd da i gysylltu',
      hint: "Er enghraifft, boreau yn ystod yr wythnos. Dywedwch wrthym os oes amseroedd na ddylen ni ffonio.",
      fields: { safeTimes: { errors: { tooLong: "Rhaid i hyn fod yn 500 nod neu lai", invalid: 'Rhowch amseroedd da i gysylltu â nhw' } } },
    },
    'leave-message': {
      title: "Gawn ni adael neges?",
      summary: 'Cael gadael neges',
      hint: "Byddwn ni ond yn dweud ein bod ni o'r tîm therapi galwedigaethol.",
      fields: { mayLeaveMessage: { options: { yes: 'Cewch', no: 'Na chewch' }, errors: { required: 'Dewiswch cewch os gallwn ni adael neges' } } },
    },
    adjustments: {
      title: "Oes angen unrhyw help arnyn nhw i ddefnyddio ein gwasanaeth?",
      summary: "Help i ddefnyddio'r gwasanaeth",
      hint: "Dewiswch bob un sy'n berthnasol. Gadewch yn wag os nad oes angen dim.",
      fields: {
        adjustments: {
          options: {
            large_print: 'Print bras',
            easy_read: 'Hawdd ei ddeall',
            bsl: 'Iaith Arwyddion Prydain',
            hearing_loop: 'Dolen sain',
            step_free: 'Mynediad heb risiau',
            longer_appointments: 'Ymweliadau hirach',
            someone_with_me: 'Rhywun gyda nhw yn yr ymweliadau',
            quiet_space: 'Lle tawel i aros',
          },
          errors: { invalid: "Dewiswch o'r rhestr" },
        },
        adjustmentsDetail: { label: "Unrhyw beth arall y dylen ni ei wybod", errors: { tooLong: "Rhaid i hyn fod yn 2,000 nod neu lai", invalid: "Rhowch unrhyw beth arall y dylen ni ei wybod" } },
      },
    },
    interpreter: {
      title: "Oes angen cyfieithydd arnyn nhw?",
      summary: 'Angen cyfieithydd',
      fields: { interpreter: { options: { yes: 'Oes', no: 'Nac oes' }, errors: { required: 'Dewiswch oes os oes angen cyfieithydd arnyn nhw' } } },
    },
    language: {
      title: "Pa iaith maen nhw'n ei siarad?",
      summary: 'Iaith',
      fields: { language: { errors: { required: "Rhowch yr iaith maen nhw'n ei siarad", tooLong: "Rhaid i hyn fod yn 100 nod neu lai", invalid: "Rhowch yr iaith maen nhw'n ei siarad" } } },
    },
    gp: {
      title: "Beth yw enw eu meddygfa?",
      summary: 'Meddygfa',
      hint: 'Gallwch adael hwn yn wag.',
      fields: { gpPractice: { errors: { tooLong: "Rhaid i hyn fod yn 200 nod neu lai", invalid: "Rhowch enw'r feddygfa" } } },
    },
    consent: {
      title: "Gawn ni ddefnyddio'r manylion hyn?",
      summary: 'Wedi cytuno',
      paragraphs: [
        "Byddwn yn defnyddio'r manylion hyn i benderfynu sut gallwn ni helpu. Byddwn yn eu cadw'n ddiogel.",
        "Efallai y byddwn yn siarad â'u meddyg teulu am yr atgyfeiriad hwn.",
        "Os ydych chi'n llenwi hwn ar ran rhywun arall, rhaid iddyn nhw wybod a chytuno.",
      ],
      fields: {
        consent: { options: { yes: "Rydw i'n cytuno" }, errors: { required: "Dewiswch rydw i'n cytuno i anfon yr atgyfeiriad", invalid: "Dewiswch rydw i'n cytuno i anfon yr atgyfeiriad" } },
      },
    },
    ethnicity: {
      title: 'Beth yw eu grŵp ethnig?',
      summary: 'Grŵp ethnig',
      hint: "Does dim rhaid i chi ateb. Rydyn ni'n gofyn er mwyn gwirio bod ein gwasanaeth yn deg i bawb.",
      fields: {
        ethnicity: {
          options: {
            A: 'Gwyn: Prydeinig',
            B: 'Gwyn: Gwyddelig',
            C: 'Gwyn: unrhyw gefndir Gwyn arall',
            D: 'Cymysg: Gwyn a Du Caribïaidd',
            E: 'Cymysg: Gwyn a Du Affricanaidd',
            F: 'Cymysg: Gwyn ac Asiaidd',
            G: 'Cymysg: unrhyw gefndir cymysg arall',
            H: 'Asiaidd neu Asiaidd Prydeinig: Indiaidd',
            J: 'Asiaidd neu Asiaidd Prydeinig: Pacistanaidd',
            K: 'Asiaidd neu Asiaidd Prydeinig: Bangladeshaidd',
            L: 'Asiaidd neu Asiaidd Prydeinig: unrhyw gefndir Asiaidd arall',
            M: 'Du neu Ddu Prydeinig: Caribïaidd',
            N: 'Du neu Ddu Prydeinig: Affricanaidd',
            P: 'Du neu Ddu Prydeinig: unrhyw gefndir Du arall',
            R: 'Tsieineaidd',
            S: 'Unrhyw grŵp ethnig arall',
            prefer_not_to_say: "Mae'n well gen i beidio â dweud",
          },
          errors: { invalid: "Dewiswch o'r rhestr" },
        },
      },
    },
    sex: {
      title: 'Beth yw eu rhyw?',
      summary: 'Rhyw',
      hint: "Does dim rhaid i chi ateb.",
      fields: { sex: { options: { female: 'Benyw', male: 'Gwryw', prefer_not_to_say: "Mae'n well gen i beidio â dweud" }, errors: { invalid: "Dewiswch o'r rhestr" } } },
    },
    disability: {
      title: "Oes ganddyn nhw anabledd neu gyflwr iechyd hirdymor?",
      summary: 'Anabledd',
      hint: "Does dim rhaid i chi ateb.",
      fields: { disability: { options: { yes: 'Oes', no: 'Nac oes', prefer_not_to_say: "Mae'n well gen i beidio â dweud" }, errors: { invalid: "Dewiswch o'r rhestr" } } },
    },
    inclusion: {
      title: "Oes unrhyw un o'r rhain yn berthnasol iddyn nhw?",
      summary: 'Grwpiau',
      hint: "Does dim rhaid i chi ateb. Dewiswch bob un sy'n berthnasol.",
      fields: {
        inclusionGroups: {
          options: {
            homeless: 'Heb gartref, neu’n ddigartref',
            asylum_seeker: 'Ceisiwr lloches',
            refugee: 'Ffoadur',
            gypsy_roma_traveller: 'Sipsi, Roma neu Deithiwr',
            carer: 'Yn gofalu am rywun heb dâl',
            care_leaver: 'Wedi tyfu i fyny mewn gofal',
            prison_leaver: "Wedi gadael y carchar yn y flwyddyn ddiwethaf",
            veteran: "Wedi gwasanaethu yn y lluoedd arfog",
            none: "Dim un o'r rhain",
            prefer_not_to_say: "Mae'n well gen i beidio â dweud",
          },
          errors: { invalid: "Dewiswch o'r rhestr", exclusive: "Dewiswch grwpiau, neu dim un o'r rhain, neu mae'n well gen i beidio â dweud" },
        },
      },
    },
  },
  or: 'neu',
  check: {
    title: "Gwiriwch eich atebion cyn eu hanfon",
    change: 'Newid',
    notAnswered: 'Heb ateb',
    noFixedAddress: 'Dim cyfeiriad parhaol',
    submitHeading: 'Nawr anfonwch eich atgyfeiriad',
    submitText: "Drwy anfon hwn, rydych chi'n cytuno bod y manylion yn gywir hyd eithaf eich gwybodaeth.",
    submit: 'Anfon atgyfeiriad',
    incomplete: "Mae rhai atebion ar goll. Atebwch y cwestiynau rydyn ni'n eu dangos i chi.",
  },
  confirmation: {
    title: "Atgyfeiriad wedi'i anfon",
    referenceLabel: 'Eich cyfeirnod',
    referenceHint: "Ysgrifennwch hwn i lawr. Dywedwch y rhif hwn wrthym os byddwch yn cysylltu â ni.",
    nextHeading: 'Beth sy’n digwydd nesaf',
    next: [
      "Bydd aelod o'n tîm yn edrych ar yr atgyfeiriad o fewn 5 diwrnod gwaith.",
      "Byddwn yn cysylltu â nhw yn y ffordd a ddewisoch chi.",
    ],
    urgentNext: "Dywedoch wrthym y gallai rhywun fod mewn perygl. Byddwn yn edrych ar yr atgyfeiriad hwn heddiw.",
    another: 'Atgyfeirio rhywun arall',
  },
};
