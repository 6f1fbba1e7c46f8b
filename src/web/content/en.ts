/** Every piece of page text in English. Welsh (cy.ts) has the same keys; a test keeps them in step. */
export const en = {
  serviceName: 'Roots',
  serviceTagline: 'Occupational therapy at the heart of health equity',
  skipLink: 'Skip to main content',
  footer: {
    about: 'About Roots',
    accessibility: 'Accessibility statement',
    privacy: 'Privacy',
    referenceData:
      'Contains public sector information licensed under the Open Government Licence v3.0.',
  },
  home: {
    title: 'Roots',
    lead:
      'Roots helps occupational therapy services see who they reach and who they miss, change how people get in and get seen, and show the difference they make.',
    totalsHeading: 'This service in the last 12 months',
    totalsCaption: 'Counts are rounded to the nearest 5. Counts from 1 to 7 are not shown to protect privacy.',
    noService: 'There is no service set up yet. Run roots synth or import referrals to begin.',
    metric: {
      referrals: 'Referrals received',
      accepted: 'Accepted to the waiting list',
      waiting: 'Waiting now',
      seen: 'Seen at least once',
      discharged: 'Discharged',
      medianWaitWeeks: 'Median wait to first contact (weeks)',
    },
    suppressed: 'not shown',
    awarenessHeading: 'Awareness',
    awareness: 'Know who the service is failing: access, waits and outcomes by deprivation, ethnicity, age and more.',
    actionHeading: 'Action',
    action: 'Change how people get in and get seen: self-referral, triage, waiting lists and allocation by competency.',
    advocacyHeading: 'Advocacy',
    advocacy: 'Prove the difference: outcomes, the impact report and the business case.',
  },
  errors: {
    notFoundTitle: 'Page not found',
    notFound: 'If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address.',
    serverTitle: 'Sorry, there is a problem with the service',
    server: 'Try again later.',
    unavailableTitle: 'Sorry, the service is unavailable',
    unavailable: 'Try again in a few minutes.',
  },
} as const;

/** The shape every language's content must have: same keys, any wording. */
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Content = Widen<typeof en>;
