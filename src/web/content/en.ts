import { refer } from './en/refer.ts';
import { triage } from './en/triage.ts';

/** Every piece of page text in English. Welsh (cy.ts) has the same keys; a test keeps them in step. */
export const en = {
  triage,
  serviceName: 'Roots',
  serviceTagline: 'Occupational therapy at the heart of health equity',
  refer,
  skipLink: 'Skip to main content',
  languageSwitch: {
    label: 'Language',
  },
  footer: {
    supportLinks: 'Support links',
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
    measure: 'Measure',
    value: 'Value',
    totalsCaption: 'Counts are rounded to the nearest 5. Counts from 1 to 7 are not shown to protect privacy.',
    noService: 'There is no service set up yet. Run roots synth or import referrals to begin.',
    metric: {
      referrals: 'Referrals received',
      accepted: 'Accepted to the waiting list',
      waiting: 'Waiting now',
      seen: 'Seen at least once',
      discharged: 'Discharged',
      medianWaitWeeks: 'Median wait to first contact, people seen (weeks)',
    },
    suppressed: 'not shown',
    medianWaitNote: 'This median counts only people who have been seen, so it leaves out the longest waits. The equity audit also counts people still waiting:',
    medianWaitLink: 'median wait including people still waiting',
    awarenessHeading: 'Awareness',
    awareness: 'Know who the service is failing: access, waits and outcomes by deprivation, ethnicity, age and more.',
    actionHeading: 'Action',
    action: 'Change how people get in and get seen: self-referral, triage, waiting lists and allocation by competency.',
    advocacyHeading: 'Advocacy',
    advocacy: 'Prove the difference: outcomes, the impact report and the business case.',
  },
  equity: {
    title: 'Equity audit',
    lead: 'Who {service} reached and who it missed, from {from} to {to}: referrals, waits, missed appointments and outcomes, group by group.',
    asOfClamped: 'The period ends after today, so people still waiting are counted up to today, {asOf}.',
    summary: {
      service: 'Service',
      organisation: 'Organisation',
      catchment: 'Catchment',
      period: 'Referrals received',
      periodValue: '{from} to {to}',
      asOf: 'Waits counted up to',
      referrals: 'Referrals',
      rate: 'Referrals per 1,000 residents',
      confidence: 'Confidence intervals',
      generated: 'Produced',
    },
    contents: 'On this page',
    dataQuality: {
      important: 'Important',
      heading: 'Check the data before acting on it',
    },
    findings: {
      heading: 'Findings',
      intro:
        'A gap is reported only when the confidence intervals show a clear difference. "No clear gap" means the figures are consistent with no difference, not that there is none.',
      language: 'Findings are written in English.',
      gaps: 'Gaps',
      noGaps: 'No clear gap',
      data: 'Data quality',
      noneFound: 'No clear gaps were found.',
      tag: { gap: 'Gap', 'no-gap': 'No clear gap', data: 'Data' },
    },
    charts: {
      heading: 'Charts',
      intro: 'Each chart is followed by a table with the same figures.',
      tableCaption: 'Figures for the chart: {title}',
      decile: 'decile',
      quintile: 'quintile',
      gradient: {
        title: 'Referral rate by deprivation {part}',
        description:
          'Referrals per 1,000 residents in each deprivation {part} with {level} confidence intervals: {first} in the most deprived {part} and {last} in the least deprived. The dashed line is the rate across all areas, {overall}.',
        x: 'Deprivation {part} (1 = most deprived)',
        y: 'Referrals per 1,000 residents',
        overall: 'All areas {overall}',
      },
      extremes: {
        title: 'Most and least deprived fifths of areas',
        description:
          'Referrals per 1,000 residents with {level} confidence intervals: {most} in the most deprived fifth of areas and {least} in the least deprived. The rate ratio is {ratio} ({level} CI {lower} to {upper}).',
        descriptionNoRatio: 'Referrals per 1,000 residents with {level} confidence intervals: {most} in the most deprived fifth of areas and {least} in the least deprived.',
        x: 'Referrals per 1,000 residents',
        most: 'Most deprived fifth',
        least: 'Least deprived fifth',
        ratio: 'Rate ratio, most to least deprived',
      },
      funnel: {
        title: 'Referral rate by {area} against population',
        description:
          'Funnel plot of referrals per 1,000 residents in {count} areas against their population, with 95% and 99.8% control limits around the rate across all areas ({overall}). {outside}',
        outsideNone: 'No area is outside the 99.8% limits.',
        outsideSome: 'Outside the 99.8% limits: {areas}.',
        x: 'Resident population',
        y: 'Referrals per 1,000 residents',
        limits: 'Control limits',
        limit95: '95% limits',
        limit998: '99.8% limits',
        positionTitle: 'Compared with all areas',
        overall: 'All areas {overall}',
        localAuthority: 'local authority',
        icb: 'integrated care board',
      },
      waits: {
        title: 'Median wait for a first contact {by}',
        description:
          'Median wait in weeks for a first contact, people still waiting included, with {level} confidence intervals, {by}: from {shortest} to {longest}. The dashed line is the median for all referrals, {overall}.',
        x: 'Median wait, weeks',
        overall: 'All referrals {overall}',
        by: {
          ethnic_group: 'by ethnic group',
          imd_quintile: 'by deprivation quintile',
          imd_decile: 'by deprivation decile',
          age_band: 'by age',
          sex: 'by sex',
          disability: 'by disability',
          interpreter: 'by interpreter need',
        },
      },
    },
    table: {
      group: 'Group',
      area: 'Area',
      referrals: 'Referrals',
      population: 'Population',
      rate: 'Rate per 1,000',
      interval: '{level} CI',
      standardisedRate: 'Age-standardised rate per 1,000',
      accessRatio: 'Referred as a share of expected for age',
      medianWait: 'Median wait including people still waiting, weeks',
      p90Wait: '90th centile wait, weeks',
      over18: 'Waiting over 18 weeks',
      didNotAttend: 'Missed appointments',
      improved: 'Improved on {instrument}',
      compared: 'Compared with all areas',
      notShown: 'not shown',
      notApplicable: 'not applicable',
      position: {
        above998: 'Above the 99.8% limit',
        above95: 'Above the 95% limit only',
        within: 'Within the limits',
        below95: 'Below the 95% limit only',
        below998: 'Below the 99.8% limit',
      },
    },
    breakdowns: {
      heading: 'Breakdowns by group',
      intro: 'Every breakdown shows its not known and not stated groups. People with no fixed address are a group of their own.',
      caption: '{dimension}: referrals, waits and missed appointments',
      unknown: 'Not known or not stated: {share} of referrals.',
      unknownSuppressed: 'The number not known or not stated is not shown, to protect privacy.',
      inequality: 'Inequality across the {part}s',
      rateRatio: 'Rate ratio, most to least deprived',
      sii: 'Slope index of inequality, referrals per 1,000 (PHE method)',
      rii: 'Relative index of inequality (PHE definition)',
      method: 'Method',
    },
    about: {
      heading: 'How these figures are made',
      disclosureHeading: 'Protecting privacy',
      methodsHeading: 'Methods',
      methods:
        'Rates use exact Poisson limits below 10 referrals and Byar\'s method above; shares use Wilson score intervals; waits are Kaplan-Meier estimates with people still waiting included. Differences between groups use the MOVER (Newcombe) interval; medians are compared by whether their intervals overlap; areas by exact Poisson funnel limits. Comparing many groups means about 1 in 20 clear-looking gaps at 95% can arise by chance.',
      sourcesHeading: 'Sources and licence',
      notes: 'Notes',
    },
    periods: {
      heading: 'Choose a period',
    },
    downloads: {
      heading: 'Download the audit',
      json: 'JSON (all figures, for analysts)',
      csv: 'CSV (one tidy table)',
      xlsx: 'Excel workbook (one sheet per breakdown)',
      html: 'Printable report (HTML)',
    },
    report: {
      title: 'Equity audit report',
      printed: 'Printable report produced {generated}.',
    },
  },
  header: {
    account: 'Account',
    signedInAs: 'Signed in as {name}',
    signOut: 'Sign out',
    signIn: 'Sign in',
  },
  signIn: {
    title: 'Sign in',
    email: 'Email address',
    password: 'Password',
    submit: 'Sign in',
    errorPrefix: 'Error',
    errorSummaryTitle: 'There is a problem',
    failed: 'Enter a correct email address and password',
    emailMissing: 'Enter your email address',
    passwordMissing: 'Enter your password',
    locked: 'There have been too many failed attempts to sign in. Wait {minutes} minutes and try again.',
    signedOut: 'You have signed out.',
    alreadySignedIn: 'You are signed in as {name}. Signing in again ends that session.',
  },
  commissioning: {
    title: 'Services you commission',
    lead: 'Every service your organisation commissions, with its equity audit. You see disclosure-controlled totals only: small numbers are hidden and counts are rounded, and no person can be identified.',
    provider: 'Provider',
    service: 'Service',
    since: 'Commissioned since',
    audit: 'Equity audit',
    auditLink: 'Equity audit of {service} ({provider})',
    noServices: 'Your organisation does not commission any service in Roots yet.',
    caption: 'Services commissioned by {organisation}',
  },
  admin: {
    back: 'Back to staff',
    errorPrefix: 'Error',
    roles: {
      therapist: 'Occupational therapist',
      team_lead: 'Team lead',
      commissioner: 'Commissioner',
      analyst: 'Analyst',
      administrator: 'Administrator',
    },
    users: {
      title: 'Staff',
      caption: 'Staff of your organisation',
      add: 'Add a member of staff',
      name: 'Name',
      email: 'Email address',
      role: 'Role',
      status: 'Status',
      actions: 'Actions',
      active: 'Active',
      inactive: 'Deactivated',
      deactivated: 'The member of staff has been deactivated and signed out.',
    },
    newUser: {
      title: 'Add a member of staff',
      lead: 'They will sign in with their email address and a one-time password shown on the next page.',
      name: 'Full name',
      email: 'Email address',
      emailHint: 'Their work email address, for example name@nhs.net',
      role: 'Role',
      chooseRole: 'Choose a role',
      button: 'Add member of staff',
      created: 'Member of staff added',
      emailInvalid: 'Enter an email address in the correct format, like name@example.nhs.uk',
      emailTaken: 'Enter an email address that no other member of staff has',
      nameMissing: 'Enter their full name',
      roleMissing: 'Choose a role',
    },
    password: {
      heading: 'One-time password',
      explanation: 'Give this password to the member of staff in person or by a secure route. It is shown only once and is not stored.',
    },
    deactivate: {
      title: 'Deactivate this member of staff?',
      link: 'Deactivate',
      explanation: 'They will be signed out everywhere, cannot sign in again, and their API tokens stop working.',
      button: 'Deactivate',
    },
    resetPassword: {
      title: 'Reset this password?',
      link: 'Reset password',
      explanation: 'They will be signed out everywhere. A new one-time password is shown on the next page.',
      button: 'Reset password',
      done: 'Password reset',
    },
    tokens: {
      title: 'API tokens',
      lead: 'Tokens let scripts and systems use the Roots API as a member of staff. The tokens themselves are never shown again after they are created.',
      caption: 'API tokens of your organisation',
      label: 'Label',
      created: 'Created',
      expires: 'Expires',
      empty: 'There are no API tokens.',
      revoked: 'The API token has been revoked.',
      status: { live: 'Live', expired: 'Expired', revoked: 'Revoked' },
    },
    revokeToken: {
      title: 'Revoke this API token?',
      link: 'Revoke',
      explanation: 'Anything using this token will stop working at once.',
      button: 'Revoke token',
    },
  },
  pages: {
    about: {
      title: 'About Roots',
      lead: 'Roots is open-source software for occupational therapy services in the NHS and social care.',
      sections: [
        {
          heading: 'What Roots does',
          paragraphs: [
            'Roots helps a service see who it reaches and who it misses, change how people get in and get seen, and show the difference it makes.',
            'It holds referrals, triage, waiting lists and outcomes, and produces an equity audit: access, waits and outcomes by deprivation, ethnicity, age, sex, disability and other groups.',
          ],
        },
        {
          heading: 'Who can see what',
          paragraphs: [
            'The public pages show only figures that have passed disclosure control: small counts are hidden and others rounded, so that no one can be identified.',
            'Records about people are seen only by signed-in staff of the service that holds them.',
          ],
        },
        {
          heading: 'Data sources',
          paragraphs: [
            'Deprivation, geography and population figures come from official statistics published under the Open Government Licence v3.0. The figures on the demonstration service are synthetic: they describe no real person.',
          ],
        },
      ],
    },
    accessibility: {
      title: 'Accessibility statement for Roots',
      lead: 'This statement applies to the Roots web pages run by the service that set up this copy of Roots.',
      sections: [
        {
          heading: 'Using Roots',
          paragraphs: [
            'We want as many people as possible to be able to use Roots. You should be able to change colours, contrast levels and fonts, zoom in up to 400% without the text spilling off the screen, move through the pages using just a keyboard, and listen to the pages using a screen reader.',
            'Every chart is followed by a table with the same figures.',
          ],
        },
        {
          heading: 'How accessible Roots is',
          paragraphs: [
            'We know some parts of Roots are not fully accessible:',
          ],
          items: [
            'the text inside the charts (group names and axis labels) is an image to assistive technology; the table after each chart gives the same figures as text',
            'on the Welsh pages, some text has not been translated yet (group names, findings, data sources); it is marked as English so that screen readers read it correctly',
            'the downloads (CSV, Excel workbook and printable report) have not been checked for accessibility',
          ],
        },
        {
          heading: 'Feedback and contact information',
          paragraphs: [
            'If you need information on this website in a different format, or you find a problem not listed on this page, contact the service that runs this copy of Roots. The service will add its contact details here.',
          ],
        },
        {
          heading: 'Enforcement procedure',
          paragraphs: [
            'The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the accessibility regulations). If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).',
          ],
        },
        {
          heading: 'Technical information about this website\'s accessibility',
          paragraphs: [
            'Roots is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliances listed under "How accessible Roots is".',
            'Roots uses the NHS design system (nhsuk-frontend) for its layout and components.',
          ],
        },
        {
          heading: 'How we tested Roots',
          paragraphs: [
            'Each page is checked automatically with axe-core in the Chromium browser in Roots\' own browser tests, in English and in Welsh. Roots has not yet been tested by an accessibility specialist or with people who use assistive technology.',
            'This statement was prepared on 5 December 2026. The service running Roots should review it when it sets Roots up and at least once a year.',
          ],
        },
      ],
    },
    privacy: {
      title: 'Privacy notice (draft)',
      lead: 'A draft for the service that runs this copy of Roots to complete. Until it is completed, it describes what Roots holds, not the service\'s own legal position.',
      sections: [
        {
          heading: 'Who is responsible for your information',
          paragraphs: [
            'The service that runs this copy of Roots is the data controller. The service will add its name, its contact details and those of its data protection officer here.',
          ],
        },
        {
          heading: 'What Roots holds about people referred to the service',
          paragraphs: [
            'For each referral: who you are to the service (its own reference numbers, and your NHS number when given), date of birth, sex, ethnic group, disability, whether you need an interpreter, your language, the small area you live in (from your postcode), and groups that face barriers to care when recorded.',
            'What happened: the referral, triage, time on the waiting list, appointments attended and missed, outcome measures and discharge.',
          ],
        },
        {
          heading: 'What Roots holds about staff',
          paragraphs: [
            'Name, work email address, organisation and role; a one-way fingerprint (hash) of each password and API token, never the password or token itself; and a record of who read or changed people\'s records.',
          ],
        },
        {
          heading: 'How the information is used and shared',
          paragraphs: [
            'To run the service, and to produce the equity audit. The public pages and downloads show only figures that have passed disclosure control and cannot identify anyone. The service will say here why it may use the information (its lawful basis), who it shares it with and for how long it keeps it.',
          ],
        },
        {
          heading: 'Cookies',
          paragraphs: [
            'Roots sets a cookie to remember the language you chose, and a cookie that keeps staff signed in. They are needed for the site to work and are not used to track you.',
          ],
        },
        {
          heading: 'Your rights',
          paragraphs: [
            'You can ask the service for a copy of the information it holds about you, and ask for it to be corrected. You can complain to the Information Commissioner\'s Office (ICO) if you are unhappy with how your information is used.',
          ],
        },
      ],
    },
  },
  errors: {
    requestTitle: "There is a problem with the request",
    code: 'Error code',
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
