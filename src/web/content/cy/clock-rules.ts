import type { clockRules as english } from '../en/clock-rules.ts';

/** Tudalen cymharu rheolau'r cloc, Cymraeg (yr un allweddi â src/web/content/en/clock-rules.ts). */
export const clockRules: typeof english = {
  title: "Rheolau'r cloc: beth fyddai newid yn ei wneud",
  lead: "Amseroedd aros {service} ar {asOf}, wedi'u hailgyfrifo o'r un digwyddiadau cloc o dan ddwy set o reolau. Does dim yn cael ei newid.",
  setA: 'Rheolau A',
  setB: 'Rheolau B',
  didNotAttend: "Pan nad yw'r person yn dod",
  patientCancelled: "Pan fydd y person yn canslo",
  patientUnavailable: "Pan nad yw'r person ar gael",
  actions: {
    restart: "Ailddechrau'r cloc",
    pause: "Oedi'r cloc",
    ignore: "Mae'r cloc yn dal i redeg",
  },
  compare: 'Cymharu',
  caption: "Amseroedd aros y bobl sy'n dal i aros, o dan bob set o reolau",
  measure: 'Mesur',
  difference: 'B llai A',
  rows: {
    waiting: "Pobl sy'n aros",
    medianDays: 'Amser aros canolrif (diwrnodau)',
    p92Days: 'Amser aros y 92ain canradd (diwrnodau)',
    over18Weeks: 'Yn aros mwy na 18 wythnos',
    stopped: "Clociau wedi'u stopio",
  },
  none: 'Dim',
  explain:
    "Y canolrif yw'r amser aros canol; nid yw 92% o bobl yn aros yn hwy na'r 92ain canradd (y safon atgyfeirio i driniaeth yw 92% o fewn 18 wythnos). Mae ailddechrau yn cyfrif yr amser aros o ddiwrnod yr apwyntiad a gollwyd neu a ganslwyd; mae oedi yn gadael allan y diwrnodau nes bod y person ar gael eto.",
};
