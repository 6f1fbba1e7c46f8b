/** The clock rules comparison page, English (src/web/content/cy/clock-rules.ts has the same keys). */
export const clockRules = {
  title: 'Clock rules: what a change would do',
  lead: 'The waits of {service} as of {asOf}, recomputed from the same clock events under two sets of rules. Nothing is changed.',
  setA: 'Rules A',
  setB: 'Rules B',
  didNotAttend: 'When the person does not attend',
  patientCancelled: 'When the person cancels',
  patientUnavailable: 'When the person is unavailable',
  actions: {
    restart: 'Restart the clock',
    pause: 'Pause the clock',
    ignore: 'The clock runs on',
  },
  compare: 'Compare',
  caption: 'Waits of people still waiting, under each set of rules',
  measure: 'Measure',
  difference: 'B minus A',
  rows: {
    waiting: 'People waiting',
    medianDays: 'Median wait (days)',
    p92Days: '92nd percentile wait (days)',
    over18Weeks: 'Waiting more than 18 weeks',
    stopped: 'Clocks stopped',
  },
  none: 'None',
  explain:
    'The median is the middle wait; 92% of people wait no longer than the 92nd percentile (the referral-to-treatment standard is 92% within 18 weeks). A restart counts the wait from the day of the missed or cancelled appointment; a pause leaves out the days until the person is available again.',
};
