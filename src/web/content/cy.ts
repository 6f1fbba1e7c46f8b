import type { Content } from './en.ts';

/**
 * Welsh text. Draft translations for review by a Welsh-language translator before use with the
 * public (the Welsh Language Standards expect professional translation).
 */
export const cy: Content = {
  serviceName: 'Roots',
  serviceTagline: 'Therapi galwedigaethol wrth galon tegwch iechyd',
  skipLink: "Neidio i'r prif gynnwys",
  footer: {
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
    totalsCaption: "Mae'r niferoedd wedi'u talgrynnu i'r 5 agosaf. Ni ddangosir niferoedd o 1 i 7 er mwyn diogelu preifatrwydd.",
    noService: "Nid oes gwasanaeth wedi'i sefydlu eto. Rhedwch roots synth neu mewnforiwch atgyfeiriadau i ddechrau.",
    metric: {
      referrals: 'Atgyfeiriadau a dderbyniwyd',
      accepted: "Wedi'u derbyn i'r rhestr aros",
      waiting: 'Yn aros nawr',
      seen: "Wedi'u gweld o leiaf unwaith",
      discharged: "Wedi'u rhyddhau",
      medianWaitWeeks: 'Amser aros canolrifol tan y cyswllt cyntaf (wythnosau)',
    },
    suppressed: 'heb ei ddangos',
    awarenessHeading: 'Ymwybyddiaeth',
    awareness: "Gwybod pwy mae'r gwasanaeth yn eu methu: mynediad, amseroedd aros a chanlyniadau yn ôl amddifadedd, ethnigrwydd, oedran a mwy.",
    actionHeading: 'Gweithredu',
    action: 'Newid sut mae pobl yn cael mynediad ac yn cael eu gweld: hunangyfeirio, brysbennu, rhestrau aros a dyrannu yn ôl cymhwysedd.',
    advocacyHeading: 'Eiriolaeth',
    advocacy: "Profi'r gwahaniaeth: canlyniadau, yr adroddiad effaith a'r achos busnes.",
  },
  errors: {
    notFoundTitle: "Heb ddod o hyd i'r dudalen",
    notFound: "Os teipiwch chi'r cyfeiriad gwe, gwiriwch ei fod yn gywir. Os gwnaethoch chi ei gludo, gwiriwch eich bod wedi copïo'r cyfeiriad cyfan.",
    serverTitle: "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
    server: 'Rhowch gynnig arall arni yn nes ymlaen.',
    unavailableTitle: "Mae'n ddrwg gennym, nid yw'r gwasanaeth ar gael",
    unavailable: 'Rhowch gynnig arall arni mewn ychydig funudau.',
  },
};
