import { triage } from './cy/triage.ts';
import type { Content } from './en.ts';
import { refer } from './cy/refer.ts';

/**
 * Welsh text. Draft translations for review by a Welsh-language translator before use with the
 * public (the Welsh Language Standards expect professional translation).
 */
export const cy: Content = {
  triage,
  serviceName: 'Roots',
  serviceTagline: 'Therapi galwedigaethol wrth galon tegwch iechyd',
  refer,
  skipLink: "Neidio i'r prif gynnwys",
  languageSwitch: {
    label: 'Iaith',
  },
  footer: {
    supportLinks: 'Dolenni cymorth',
    about: 'Ynglŷn â Roots',
    accessibility: 'Datganiad hygyrchedd',
    privacy: 'Preifatrwydd',
    referenceData: "Yn cynnwys gwybodaeth y sector cyhoeddus a drwyddedir o dan y Drwydded Llywodraeth Agored v3.0.",
  },
  home: {
    title: 'Roots',
    lead:
      "Mae Roots yn helpu gwasanaethau therapi galwedigaethol i weld pwy maen nhw'n eu cyrraedd a phwy maen nhw'n eu colli, newid sut mae pobl yn cael mynediad ac yn cael eu gweld, a dangos y gwahaniaeth maen nhw'n ei wneud.",
    totalsHeading: "Y gwasanaeth hwn yn ystod y 12 mis diwethaf",
    measure: 'Mesur',
    value: 'Gwerth',
    totalsCaption: "Mae'r niferoedd wedi'u talgrynnu i'r 5 agosaf. Ni ddangosir niferoedd o 1 i 7 er mwyn diogelu preifatrwydd.",
    noService: "Nid oes gwasanaeth wedi'i sefydlu eto. Rhedwch roots synth neu mewnforiwch atgyfeiriadau i ddechrau.",
    metric: {
      referrals: 'Atgyfeiriadau a dderbyniwyd',
      accepted: "Wedi'u derbyn i'r rhestr aros",
      waiting: 'Yn aros nawr',
      seen: "Wedi'u gweld o leiaf unwaith",
      discharged: "Wedi'u rhyddhau",
      medianWaitWeeks: 'Amser aros canolrifol tan y cyswllt cyntaf, pobl a welwyd (wythnosau)',
    },
    suppressed: 'heb ei ddangos',
    medianWaitNote: "Mae'r canolrif hwn yn cyfrif dim ond pobl sydd wedi cael eu gweld, felly mae'n gadael allan yr amseroedd aros hiraf. Mae'r archwiliad tegwch hefyd yn cyfrif pobl sy'n dal i aros:",
    medianWaitLink: "amser aros canolrifol gan gynnwys pobl sy'n dal i aros",
    awarenessHeading: 'Ymwybyddiaeth',
    awareness: "Gwybod pwy mae'r gwasanaeth yn eu methu: mynediad, amseroedd aros a chanlyniadau yn ôl amddifadedd, ethnigrwydd, oedran a mwy.",
    actionHeading: 'Gweithredu',
    action: 'Newid sut mae pobl yn cael mynediad ac yn cael eu gweld: hunangyfeirio, brysbennu, rhestrau aros a dyrannu yn ôl cymhwysedd.',
    advocacyHeading: 'Eiriolaeth',
    advocacy: "Profi'r gwahaniaeth: canlyniadau, yr adroddiad effaith a'r achos busnes.",
  },
  equity: {
    title: 'Archwiliad tegwch',
    lead: "Pwy wnaeth {service} eu cyrraedd a phwy a fethwyd, o {from} i {to}: atgyfeiriadau, amseroedd aros, apwyntiadau a gollwyd a chanlyniadau, fesul grŵp.",
    asOfClamped: 'Mae\'r cyfnod yn dod i ben ar ôl heddiw, felly mae pobl sy\'n dal i aros yn cael eu cyfrif hyd at heddiw, {asOf}.',
    summary: {
      service: 'Gwasanaeth',
      organisation: 'Sefydliad',
      catchment: 'Dalgylch',
      period: 'Atgyfeiriadau a dderbyniwyd',
      periodValue: '{from} i {to}',
      asOf: 'Amseroedd aros wedi’u cyfrif hyd at',
      referrals: 'Atgyfeiriadau',
      rate: 'Atgyfeiriadau fesul 1,000 o breswylwyr',
      confidence: 'Cyfyngau hyder',
      generated: 'Cynhyrchwyd',
    },
    contents: 'Ar y dudalen hon',
    dataQuality: {
      important: 'Pwysig',
      heading: "Gwiriwch y data cyn gweithredu arno",
    },
    findings: {
      heading: 'Canfyddiadau',
      intro:
        "Dim ond pan fydd y cyfyngau hyder yn dangos gwahaniaeth clir yr adroddir bwlch. Mae \"Dim bwlch clir\" yn golygu bod y ffigurau’n gyson â dim gwahaniaeth, nid nad oes gwahaniaeth.",
      language: "Mae'r canfyddiadau wedi'u hysgrifennu yn Saesneg.",
      gaps: 'Bylchau',
      noGaps: 'Dim bwlch clir',
      data: 'Ansawdd data',
      noneFound: "Ni chanfuwyd unrhyw fylchau clir.",
      tag: { gap: 'Bwlch', 'no-gap': 'Dim bwlch clir', data: 'Data' },
    },
    charts: {
      heading: 'Siartiau',
      intro: "Mae tabl gyda'r un ffigurau yn dilyn pob siart.",
      tableCaption: "Ffigurau'r siart: {title}",
      decile: 'degradd',
      quintile: 'cwintel',
      gradient: {
        title: 'Cyfradd atgyfeirio yn ôl {part} amddifadedd',
        description:
          "Atgyfeiriadau fesul 1,000 o breswylwyr ym mhob {part} amddifadedd gyda chyfyngau hyder {level}: {first} yn y {part} mwyaf difreintiedig a {last} yn y lleiaf difreintiedig. Y llinell doriad yw'r gyfradd ar draws pob ardal, {overall}.",
        x: '{part} amddifadedd (1 = mwyaf difreintiedig)',
        y: 'Atgyfeiriadau fesul 1,000 o breswylwyr',
        overall: 'Pob ardal {overall}',
      },
      extremes: {
        title: 'Y pumedau mwyaf a lleiaf difreintiedig o ardaloedd',
        description:
          "Atgyfeiriadau fesul 1,000 o breswylwyr gyda chyfyngau hyder {level}: {most} yn y pumed mwyaf difreintiedig o ardaloedd a {least} yn y lleiaf difreintiedig. Y gymhareb cyfraddau yw {ratio} (CI {level} {lower} i {upper}).",
        descriptionNoRatio: 'Atgyfeiriadau fesul 1,000 o breswylwyr gyda chyfyngau hyder {level}: {most} yn y pumed mwyaf difreintiedig o ardaloedd a {least} yn y lleiaf difreintiedig.',
        x: 'Atgyfeiriadau fesul 1,000 o breswylwyr',
        most: 'Pumed mwyaf difreintiedig',
        least: 'Pumed lleiaf difreintiedig',
        ratio: "Cymhareb cyfraddau, mwyaf i leiaf difreintiedig",
      },
      funnel: {
        title: 'Cyfradd atgyfeirio yn ôl {area} yn erbyn poblogaeth',
        description:
          "Plot twndis o atgyfeiriadau fesul 1,000 o breswylwyr mewn {count} ardal yn erbyn eu poblogaeth, gyda therfynau rheoli 95% a 99.8% o amgylch y gyfradd ar draws pob ardal ({overall}). {outside}",
        outsideNone: "Nid oes unrhyw ardal y tu allan i'r terfynau 99.8%.",
        outsideSome: "Y tu allan i'r terfynau 99.8%: {areas}.",
        x: 'Poblogaeth breswyl',
        y: 'Atgyfeiriadau fesul 1,000 o breswylwyr',
        limits: 'Terfynau rheoli',
        limit95: 'Terfynau 95%',
        limit998: 'Terfynau 99.8%',
        positionTitle: "O'i gymharu â phob ardal",
        overall: 'Pob ardal {overall}',
        localAuthority: 'awdurdod lleol',
        icb: 'bwrdd gofal integredig',
      },
      waits: {
        title: 'Amser aros canolrifol am y cyswllt cyntaf {by}',
        description:
          "Amser aros canolrifol mewn wythnosau am y cyswllt cyntaf, gan gynnwys pobl sy'n dal i aros, gyda chyfyngau hyder {level}, {by}: o {shortest} i {longest}. Y llinell doriad yw'r canolrif ar gyfer pob atgyfeiriad, {overall}.",
        x: 'Amser aros canolrifol, wythnosau',
        overall: 'Pob atgyfeiriad {overall}',
        by: {
          ethnic_group: 'yn ôl grŵp ethnig',
          imd_quintile: 'yn ôl cwintel amddifadedd',
          imd_decile: 'yn ôl degradd amddifadedd',
          age_band: 'yn ôl oedran',
          sex: 'yn ôl rhyw',
          disability: 'yn ôl anabledd',
          interpreter: 'yn ôl angen cyfieithydd',
        },
      },
    },
    table: {
      group: 'Grŵp',
      area: 'Ardal',
      referrals: 'Atgyfeiriadau',
      population: 'Poblogaeth',
      rate: 'Cyfradd fesul 1,000',
      interval: 'CI {level}',
      standardisedRate: 'Cyfradd wedi’i safoni yn ôl oedran fesul 1,000',
      accessRatio: "Atgyfeiriwyd fel cyfran o'r disgwyl ar gyfer oedran",
      medianWait: "Amser aros canolrifol gan gynnwys pobl sy'n dal i aros, wythnosau",
      p90Wait: 'Amser aros y 90fed canradd, wythnosau',
      over18: 'Yn aros dros 18 wythnos',
      didNotAttend: 'Apwyntiadau a gollwyd',
      improved: 'Wedi gwella ar {instrument}',
      compared: "O'i gymharu â phob ardal",
      notShown: 'heb ei ddangos',
      notApplicable: 'amherthnasol',
      position: {
        above998: 'Uwchben y terfyn 99.8%',
        above95: 'Uwchben y terfyn 95% yn unig',
        within: "O fewn y terfynau",
        below95: 'Islaw y terfyn 95% yn unig',
        below998: 'Islaw y terfyn 99.8%',
      },
    },
    breakdowns: {
      heading: 'Dadansoddiadau fesul grŵp',
      intro: "Mae pob dadansoddiad yn dangos ei grwpiau anhysbys a heb eu nodi. Mae pobl heb gyfeiriad sefydlog yn grŵp ar eu pennau eu hunain.",
      caption: '{dimension}: atgyfeiriadau, amseroedd aros ac apwyntiadau a gollwyd',
      unknown: "Anhysbys neu heb ei nodi: {share} o'r atgyfeiriadau.",
      unknownSuppressed: "Ni ddangosir y nifer anhysbys neu heb ei nodi, er mwyn diogelu preifatrwydd.",
      inequality: "Anghydraddoldeb ar draws y {part}au",
      rateRatio: 'Cymhareb cyfraddau, mwyaf i leiaf difreintiedig',
      sii: 'Mynegai llethr anghydraddoldeb, atgyfeiriadau fesul 1,000 (dull PHE)',
      rii: 'Mynegai cymharol anghydraddoldeb (diffiniad PHE)',
      method: 'Dull',
    },
    about: {
      heading: "Sut mae'r ffigurau hyn yn cael eu llunio",
      disclosureHeading: 'Diogelu preifatrwydd',
      methodsHeading: 'Dulliau',
      methods:
        "Mae cyfraddau'n defnyddio terfynau Poisson union o dan 10 atgyfeiriad a dull Byar uwchlaw hynny; mae cyfrannau'n defnyddio cyfyngau sgôr Wilson; mae amseroedd aros yn amcangyfrifon Kaplan-Meier gan gynnwys pobl sy'n dal i aros. Mae gwahaniaethau rhwng grwpiau'n defnyddio cyfwng MOVER (Newcombe); cymharir canolrifau yn ôl a yw eu cyfyngau'n gorgyffwrdd; ac ardaloedd yn ôl terfynau twndis Poisson union. Wrth gymharu llawer o grwpiau, gall tua 1 o bob 20 bwlch sy'n edrych yn glir ar 95% godi ar hap.",
      sourcesHeading: 'Ffynonellau a thrwydded',
      notes: 'Nodiadau',
    },
    periods: {
      heading: 'Dewiswch gyfnod',
    },
    downloads: {
      heading: "Lawrlwytho'r archwiliad",
      json: 'JSON (pob ffigur, ar gyfer dadansoddwyr)',
      csv: 'CSV (un tabl taclus)',
      xlsx: 'Llyfr gwaith Excel (un ddalen i bob dadansoddiad)',
      html: 'Adroddiad i’w argraffu (HTML)',
    },
    report: {
      title: 'Adroddiad archwiliad tegwch',
      printed: "Adroddiad i'w argraffu a gynhyrchwyd {generated}.",
    },
  },
  header: {
    account: 'Cyfrif',
    signedInAs: 'Wedi mewngofnodi fel {name}',
    signOut: 'Allgofnodi',
    signIn: 'Mewngofnodi',
  },
  signIn: {
    title: 'Mewngofnodi',
    email: 'Cyfeiriad e-bost',
    password: 'Cyfrinair',
    submit: 'Mewngofnodi',
    errorPrefix: 'Gwall',
    errorSummaryTitle: 'Mae problem wedi codi',
    failed: 'Rhowch gyfeiriad e-bost a chyfrinair cywir',
    emailMissing: 'Rhowch eich cyfeiriad e-bost',
    passwordMissing: 'Rhowch eich cyfrinair',
    locked: 'Bu gormod o ymdrechion aflwyddiannus i fewngofnodi. Arhoswch {minutes} munud a rhowch gynnig arall arni.',
    signedOut: 'Rydych wedi allgofnodi.',
    alreadySignedIn: 'Rydych wedi mewngofnodi fel {name}. Mae mewngofnodi eto yn dod â\'r sesiwn honno i ben.',
  },
  commissioning: {
    title: "Gwasanaethau rydych yn eu comisiynu",
    lead: "Pob gwasanaeth y mae eich sefydliad yn ei gomisiynu, gyda'i archwiliad tegwch. Dim ond cyfansymiau dan reolaeth datgelu a welwch: mae niferoedd bach wedi'u cuddio a chyfrifon wedi'u talgrynnu, ac ni ellir adnabod neb.",
    provider: 'Darparwr',
    service: 'Gwasanaeth',
    since: 'Wedi’i gomisiynu ers',
    audit: 'Archwiliad tegwch',
    auditLink: 'Archwiliad tegwch {service} ({provider})',
    noServices: "Nid yw eich sefydliad yn comisiynu unrhyw wasanaeth yn Roots eto.",
    caption: 'Gwasanaethau a gomisiynir gan {organisation}',
  },
  admin: {
    back: "Yn ôl i'r staff",
    errorPrefix: 'Gwall',
    roles: {
      therapist: 'Therapydd galwedigaethol',
      team_lead: 'Arweinydd tîm',
      commissioner: 'Comisiynydd',
      analyst: 'Dadansoddwr',
      administrator: 'Gweinyddwr',
    },
    users: {
      title: 'Staff',
      caption: 'Staff eich sefydliad',
      add: 'Ychwanegu aelod o staff',
      name: 'Enw',
      email: 'Cyfeiriad e-bost',
      role: 'Rôl',
      status: 'Statws',
      actions: 'Camau',
      active: 'Gweithredol',
      inactive: 'Wedi dadactifadu',
      deactivated: "Mae'r aelod o staff wedi'i ddadactifadu a'i allgofnodi.",
    },
    newUser: {
      title: 'Ychwanegu aelod o staff',
      lead: "Byddant yn mewngofnodi gyda'u cyfeiriad e-bost a chyfrinair untro a ddangosir ar y dudalen nesaf.",
      name: 'Enw llawn',
      email: 'Cyfeiriad e-bost',
      emailHint: 'Eu cyfeiriad e-bost gwaith, er enghraifft enw@nhs.net',
      role: 'Rôl',
      chooseRole: 'Dewiswch rôl',
      button: 'Ychwanegu aelod o staff',
      created: "Aelod o staff wedi'i ychwanegu",
      emailInvalid: "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.nhs.uk",
      emailTaken: 'Rhowch gyfeiriad e-bost nad oes gan unrhyw aelod arall o staff',
      nameMissing: 'Rhowch eu henw llawn',
      roleMissing: 'Dewiswch rôl',
    },
    password: {
      heading: 'Cyfrinair untro',
      explanation: "Rhowch y cyfrinair hwn i'r aelod o staff wyneb yn wyneb neu drwy lwybr diogel. Dim ond unwaith y caiff ei ddangos ac ni chaiff ei gadw.",
    },
    deactivate: {
      title: "Dadactifadu'r aelod hwn o staff?",
      link: 'Dadactifadu',
      explanation: "Byddant yn cael eu hallgofnodi ym mhobman, ni allant fewngofnodi eto, a bydd eu tocynnau API yn peidio â gweithio.",
      button: 'Dadactifadu',
    },
    resetPassword: {
      title: "Ailosod y cyfrinair hwn?",
      link: 'Ailosod cyfrinair',
      explanation: "Byddant yn cael eu hallgofnodi ym mhobman. Dangosir cyfrinair untro newydd ar y dudalen nesaf.",
      button: 'Ailosod cyfrinair',
      done: "Cyfrinair wedi'i ailosod",
    },
    tokens: {
      title: 'Tocynnau API',
      lead: "Mae tocynnau'n gadael i sgriptiau a systemau ddefnyddio API Roots fel aelod o staff. Ni ddangosir y tocynnau eu hunain eto ar ôl eu creu.",
      caption: 'Tocynnau API eich sefydliad',
      label: 'Label',
      created: 'Crëwyd',
      expires: 'Yn dod i ben',
      empty: 'Nid oes tocynnau API.',
      revoked: "Mae'r tocyn API wedi'i ddirymu.",
      status: { live: 'Byw', expired: "Wedi dod i ben", revoked: "Wedi'i ddirymu" },
    },
    revokeToken: {
      title: "Dirymu'r tocyn API hwn?",
      link: 'Dirymu',
      explanation: "Bydd unrhyw beth sy'n defnyddio'r tocyn hwn yn peidio â gweithio ar unwaith.",
      button: 'Dirymu tocyn',
    },
  },
  pages: {
    about: {
      title: 'Ynglŷn â Roots',
      lead: "Meddalwedd ffynhonnell agored yw Roots ar gyfer gwasanaethau therapi galwedigaethol yn y GIG a gofal cymdeithasol.",
      sections: [
        {
          heading: 'Beth mae Roots yn ei wneud',
          paragraphs: [
            "Mae Roots yn helpu gwasanaeth i weld pwy mae'n eu cyrraedd a phwy mae'n eu methu, newid sut mae pobl yn cael mynediad ac yn cael eu gweld, a dangos y gwahaniaeth mae'n ei wneud.",
            "Mae'n cadw atgyfeiriadau, brysbennu, rhestrau aros a chanlyniadau, ac yn cynhyrchu archwiliad tegwch: mynediad, amseroedd aros a chanlyniadau yn ôl amddifadedd, ethnigrwydd, oedran, rhyw, anabledd a grwpiau eraill.",
          ],
        },
        {
          heading: 'Pwy all weld beth',
          paragraphs: [
            "Dim ond ffigurau sydd wedi pasio rheolaeth datgelu y mae'r tudalennau cyhoeddus yn eu dangos: mae niferoedd bach wedi'u cuddio ac eraill wedi'u talgrynnu, fel na ellir adnabod neb.",
            "Dim ond staff y gwasanaeth sy'n eu cadw, wedi mewngofnodi, sy'n gweld cofnodion am bobl.",
          ],
        },
        {
          heading: 'Ffynonellau data',
          paragraphs: [
            "Daw ffigurau amddifadedd, daearyddiaeth a phoblogaeth o ystadegau swyddogol a gyhoeddir o dan y Drwydded Llywodraeth Agored v3.0. Mae'r ffigurau ar y gwasanaeth arddangos yn synthetig: nid ydynt yn disgrifio unrhyw berson go iawn.",
          ],
        },
      ],
    },
    accessibility: {
      title: 'Datganiad hygyrchedd ar gyfer Roots',
      lead: "Mae'r datganiad hwn yn berthnasol i dudalennau gwe Roots a redir gan y gwasanaeth a sefydlodd y copi hwn o Roots.",
      sections: [
        {
          heading: 'Defnyddio Roots',
          paragraphs: [
            "Rydym am i gynifer o bobl â phosibl allu defnyddio Roots. Dylech allu newid lliwiau, lefelau cyferbyniad a ffontiau, chwyddo hyd at 400% heb i'r testun fynd oddi ar y sgrin, symud drwy'r tudalennau gan ddefnyddio bysellfwrdd yn unig, a gwrando ar y tudalennau gan ddefnyddio darllenydd sgrin.",
            "Mae tabl gyda'r un ffigurau yn dilyn pob siart.",
          ],
        },
        {
          heading: 'Pa mor hygyrch yw Roots',
          paragraphs: [
            "Rydym yn gwybod nad yw rhai rhannau o Roots yn gwbl hygyrch:",
          ],
          items: [
            "mae'r testun y tu mewn i'r siartiau (enwau grwpiau a labeli echelinau) yn ddelwedd i dechnoleg gynorthwyol; mae'r tabl ar ôl pob siart yn rhoi'r un ffigurau fel testun",
            "ar y tudalennau Cymraeg, nid yw rhywfaint o destun wedi'i gyfieithu eto (enwau grwpiau, canfyddiadau, ffynonellau data); mae wedi'i farcio fel Saesneg fel bod darllenwyr sgrin yn ei ddarllen yn gywir",
            "nid yw'r ffeiliau i'w llwytho i lawr (CSV, llyfr gwaith Excel ac adroddiad i'w argraffu) wedi'u gwirio am hygyrchedd",
          ],
        },
        {
          heading: 'Adborth a gwybodaeth gyswllt',
          paragraphs: [
            "Os oes angen gwybodaeth ar y wefan hon mewn fformat gwahanol arnoch, neu os dewch o hyd i broblem nad yw wedi'i rhestru ar y dudalen hon, cysylltwch â'r gwasanaeth sy'n rhedeg y copi hwn o Roots. Bydd y gwasanaeth yn ychwanegu ei fanylion cyswllt yma.",
          ],
        },
        {
          heading: 'Gweithdrefn orfodi',
          paragraphs: [
            "Y Comisiwn Cydraddoldeb a Hawliau Dynol (EHRC) sy'n gyfrifol am orfodi Rheoliadau Hygyrchedd Cyrff Sector Cyhoeddus (Gwefannau a Rhaglenni Symudol) (Rhif 2) 2018 (y rheoliadau hygyrchedd). Os nad ydych yn hapus â'r ffordd rydym yn ymateb i'ch cwyn, cysylltwch â'r Gwasanaeth Cynghori a Chymorth Cydraddoldeb (EASS).",
          ],
        },
        {
          heading: 'Gwybodaeth dechnegol am hygyrchedd y wefan hon',
          paragraphs: [
            "Mae Roots yn cydymffurfio'n rhannol â safon AA Canllawiau Hygyrchedd Cynnwys y We fersiwn 2.2, oherwydd y diffyg cydymffurfio a restrir o dan 'Pa mor hygyrch yw Roots'.",
            "Mae Roots yn defnyddio system ddylunio'r GIG (nhsuk-frontend) ar gyfer ei gynllun a'i gydrannau.",
          ],
        },
        {
          heading: 'Sut y gwnaethom brofi Roots',
          paragraphs: [
            "Caiff pob tudalen ei gwirio'n awtomatig gydag axe-core yn y porwr Chromium ym mhrofion porwr Roots ei hun, yn Saesneg ac yn Gymraeg. Nid yw Roots wedi'i brofi eto gan arbenigwr hygyrchedd na chyda phobl sy'n defnyddio technoleg gynorthwyol.",
            "Paratowyd y datganiad hwn ar 5 Rhagfyr 2026. Dylai'r gwasanaeth sy'n rhedeg Roots ei adolygu pan fydd yn sefydlu Roots ac o leiaf unwaith y flwyddyn.",
          ],
        },
      ],
    },
    privacy: {
      title: 'Hysbysiad preifatrwydd (drafft)',
      lead: "Drafft i'r gwasanaeth sy'n rhedeg y copi hwn o Roots ei gwblhau. Hyd nes y caiff ei gwblhau, mae'n disgrifio'r hyn y mae Roots yn ei gadw, nid sefyllfa gyfreithiol y gwasanaeth ei hun.",
      sections: [
        {
          heading: "Pwy sy'n gyfrifol am eich gwybodaeth",
          paragraphs: [
            "Y gwasanaeth sy'n rhedeg y copi hwn o Roots yw'r rheolydd data. Bydd y gwasanaeth yn ychwanegu ei enw, ei fanylion cyswllt a rhai ei swyddog diogelu data yma.",
          ],
        },
        {
          heading: "Beth mae Roots yn ei gadw am bobl a atgyfeiriwyd i'r gwasanaeth",
          paragraphs: [
            "Ar gyfer pob atgyfeiriad: pwy ydych chi i'r gwasanaeth (ei rifau cyfeirnod ei hun, a'ch rhif GIG pan gaiff ei roi), dyddiad geni, rhyw, grŵp ethnig, anabledd, a oes angen cyfieithydd arnoch, eich iaith, yr ardal fach lle rydych yn byw (o'ch cod post), a grwpiau sy'n wynebu rhwystrau i ofal pan gânt eu cofnodi.",
            "Beth ddigwyddodd: yr atgyfeiriad, brysbennu, amser ar y rhestr aros, apwyntiadau a fynychwyd ac a gollwyd, mesurau canlyniadau a rhyddhau.",
          ],
        },
        {
          heading: 'Beth mae Roots yn ei gadw am staff',
          paragraphs: [
            "Enw, cyfeiriad e-bost gwaith, sefydliad a rôl; ôl bys unffordd (hash) o bob cyfrinair a thocyn API, byth y cyfrinair na'r tocyn ei hun; a chofnod o bwy a ddarllenodd neu a newidiodd gofnodion pobl.",
          ],
        },
        {
          heading: "Sut y caiff y wybodaeth ei defnyddio a'i rhannu",
          paragraphs: [
            "I redeg y gwasanaeth, ac i gynhyrchu'r archwiliad tegwch. Dim ond ffigurau sydd wedi pasio rheolaeth datgelu ac na allant adnabod neb y mae'r tudalennau cyhoeddus a'r ffeiliau i'w llwytho i lawr yn eu dangos. Bydd y gwasanaeth yn dweud yma pam y gall ddefnyddio'r wybodaeth (ei sail gyfreithlon), gyda phwy y mae'n ei rhannu ac am ba hyd y mae'n ei chadw.",
          ],
        },
        {
          heading: 'Cwcis',
          paragraphs: [
            "Mae Roots yn gosod cwci i gofio'r iaith a ddewisoch, a chwci sy'n cadw staff wedi mewngofnodi. Maent yn angenrheidiol i'r wefan weithio ac ni chânt eu defnyddio i'ch olrhain.",
          ],
        },
        {
          heading: 'Eich hawliau',
          paragraphs: [
            "Gallwch ofyn i'r gwasanaeth am gopi o'r wybodaeth y mae'n ei chadw amdanoch, a gofyn iddi gael ei chywiro. Gallwch gwyno i Swyddfa'r Comisiynydd Gwybodaeth (ICO) os nad ydych yn hapus â'r ffordd y defnyddir eich gwybodaeth.",
          ],
        },
      ],
    },
  },
  errors: {
    requestTitle: "Mae problem gyda'r cais",
    code: 'Cod gwall',
    notFoundTitle: "Heb ddod o hyd i'r dudalen",
    notFound: "Os teipiwch chi'r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch chi ei gludo, gwiriwch eich bod wedi copïo'r cyfeiriad cyfan.",
    serverTitle: "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
    server: 'Rhowch gynnig arall arni yn nes ymlaen.',
    unavailableTitle: "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael",
    unavailable: 'Rhowch gynnig arall arni mewn ychydig funudau.',
  },
};
