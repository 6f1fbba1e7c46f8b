/**
 * The public self-referral (/refer) in English. Plain words, short sentences: a test keeps the
 * reading age at 9 or below (refer.readability.test.ts). Welsh: ../cy/refer.ts, same keys.
 */
export const refer = {
  title: 'Refer yourself to occupational therapy',
  homeLink: 'Refer yourself or someone you care for',
  back: 'Back',
  continue: 'Continue',
  optional: '(optional)',
  errorSummaryTitle: 'There is a problem',
  errorPrefix: 'Error',
  yes: 'Yes',
  no: 'No',
  start: {
    lead: 'Occupational therapy helps you do the things you need and want to do each day.',
    paragraphs: [
      'You do not need to see your GP first. You do not need a diagnosis.',
      'You can fill in this form for yourself. You can also fill it in for someone else, if they agree.',
      'It takes about 10 minutes. We will keep your answers for 24 hours while you fill it in.',
    ],
    needHeading: 'What you will need',
    needItems: ['your postcode', 'your date of birth', 'a phone number, email or address so we can reach you'],
    serviceLegend: 'Which service do you want to refer to?',
    button: 'Start now',
    noService: 'No service takes self-referrals here yet. Ask your GP or local health team.',
    expired: 'We deleted your answers because 24 hours have passed. Please start again.',
  },
  urgentHelp: {
    heading: 'Get help now',
    intro: 'This form is not for an emergency. If you need help now:',
    items: [
      'call 999 or go to A&E if your life or someone else\'s life is at risk',
      'call NHS 111 (NHS 111 Wales in Wales) for urgent help, day or night',
      'call Samaritans on 116 123 to talk to someone, day or night, for free',
      'in Wales, call C.A.L.L. on 0800 132 737 to talk about your mental health, day or night, for free',
    ],
    after: 'You can still send this form. We will look at it the same day.',
  },
  steps: {
    urgent: {
      title: 'Are you in danger now, or thinking about harming yourself?',
      summary: 'In danger or thinking of self-harm',
      hint: 'If you are filling this in for someone else, answer for them.',
      fields: { urgent: { options: { yes: 'Yes', no: 'No' }, errors: { required: 'Select yes if you are in danger now or thinking about harming yourself' } } },
    },
    'urgent-help': {
      title: 'Get help now',
      summary: 'Urgent help',
      fields: {},
    },
    who: {
      title: 'Who is this referral for?',
      summary: 'Who is filling in the form',
      fields: {
        referredBy: {
          options: { self: 'Me', parent_or_carer: 'Someone I am a parent or carer for', other: 'Someone else' },
          errors: { required: 'Select who the referral is for' },
        },
      },
    },
    referrer: {
      title: 'About you',
      summary: 'Your name and how you know them',
      hint: 'We need to know who filled in the form.',
      fields: {
        referrerName: { label: 'Your full name', errors: { required: 'Enter your full name', tooLong: 'Your name must be 200 characters or less', invalid: 'Enter your full name' } },
        referrerRelationship: {
          label: 'How do you know them?',
          hint: 'For example, parent, partner, friend or support worker',
          errors: { required: 'Enter how you know them', tooLong: 'This must be 200 characters or less', invalid: 'Enter how you know them' },
        },
      },
    },
    name: {
      title: 'What is the name of the person who needs help?',
      summary: 'Name',
      fields: {
        givenName: { label: 'First name', errors: { required: 'Enter a first name', tooLong: 'The first name must be 100 characters or less', invalid: 'Enter a first name' } },
        familyName: { label: 'Last name', errors: { required: 'Enter a last name', tooLong: 'The last name must be 100 characters or less', invalid: 'Enter a last name' } },
      },
    },
    'date-of-birth': {
      title: 'What is their date of birth?',
      summary: 'Date of birth',
      hint: 'For example, 15 3 1984',
      fields: {
        dateOfBirth: {
          day: 'Day',
          month: 'Month',
          year: 'Year',
          errors: {
            required: 'Enter a date of birth',
            incomplete: 'A date of birth must have a day, month and year',
            invalid: 'Date of birth must be a real date',
            future: 'Date of birth must be today or in the past',
            tooOld: 'Date of birth must be after 1 January 1900',
          },
        },
      },
    },
    activities: {
      title: 'Which things are hard to do?',
      summary: 'Things that are hard to do',
      hint: 'Select all that apply.',
      fields: {
        hardActivities: {
          options: {
            washing_dressing: 'Washing and getting dressed',
            cooking_eating: 'Cooking and eating',
            housework: 'Jobs in the home',
            shopping: 'Shopping',
            getting_out: 'Getting out and about',
            work_study: 'Work, school or study',
            caring: 'Caring for others',
            hobbies: 'Hobbies and seeing people',
            sleep: 'Sleep and rest',
            money: 'Money and bills',
            something_else: 'Something else',
          },
          errors: { required: 'Select at least one thing that is hard to do', invalid: 'Select from the list' },
        },
      },
    },
    'what-matters': {
      title: 'What matters most in daily life, and what would help?',
      summary: 'What matters',
      hint: 'Tell us in your own words. For example, what you want to be able to do again.',
      fields: { whatMatters: { errors: { required: 'Tell us what matters in daily life', tooLong: 'This must be 4,000 characters or less', invalid: 'Tell us what matters in daily life' } } },
    },
    postcode: {
      title: 'What is their postcode?',
      summary: 'Postcode',
      fields: {
        postcode: {
          label: 'Postcode',
          hint: 'For example, LS1 4AP',
          errors: {
            required: 'Enter a postcode, or select that they do not have a fixed address',
            invalid: 'Enter a real postcode, like LS1 4AP',
            both: 'Enter a postcode or select no fixed address, not both',
            tooLong: 'Enter a real postcode, like LS1 4AP',
          },
        },
        noFixedAddress: { options: { yes: 'They do not have a fixed address' }, errors: { invalid: 'Select from the list' } },
      },
    },
    'lives-alone': {
      title: 'Do they live alone?',
      summary: 'Lives alone',
      fields: { livesAlone: { options: { yes: 'Yes', no: 'No' }, errors: { required: 'Select yes if they live alone' } } },
    },
    'contact-methods': {
      title: 'How can we contact them?',
      summary: 'How to contact',
      hint: 'Select all that are OK.',
      fields: {
        contactMethods: {
          options: { phone: 'Phone call', text: 'Text message', email: 'Email', letter: 'Letter' },
          errors: { required: 'Select at least one way we can contact them', invalid: 'Select from the list' },
        },
      },
    },
    'contact-details': {
      title: 'Contact details',
      summary: 'Contact details',
      fields: {
        phone: {
          label: 'Phone number',
          hint: 'For example, 07700 900 982',
          errors: { required: 'Enter a phone number', invalid: 'Enter a phone number, like 07700 900 982', tooLong: 'Enter a phone number, like 07700 900 982' },
        },
        email: {
          label: 'Email address',
          errors: { required: 'Enter an email address', invalid: 'Enter an email address, like name@example.com', tooLong: 'The email address must be 200 characters or less' },
        },
        address: { label: 'Address for letters', errors: { required: 'Enter an address for letters', tooLong: 'The address must be 500 characters or less', invalid: 'Enter an address for letters' } },
      },
    },
    'safe-times': {
      title: 'When is a good and safe time to contact them?',
      summary: 'Good times to contact',
      hint: 'For example, weekday mornings. Tell us if there are times we should not call.',
      fields: { safeTimes: { errors: { tooLong: 'This must be 500 characters or less', invalid: 'Enter good times to contact them' } } },
    },
    'leave-message': {
      title: 'Can we leave a message?',
      summary: 'Can leave a message',
      hint: 'We will only say we are from the occupational therapy team.',
      fields: { mayLeaveMessage: { options: { yes: 'Yes', no: 'No' }, errors: { required: 'Select yes if we can leave a message' } } },
    },
    adjustments: {
      title: 'Do they need any help to use our service?',
      summary: 'Help to use the service',
      hint: 'Select all that apply. Leave blank if they do not need any.',
      fields: {
        adjustments: {
          options: {
            large_print: 'Large print',
            easy_read: 'Easy read',
            bsl: 'British Sign Language',
            hearing_loop: 'Hearing loop',
            step_free: 'Step-free access',
            longer_appointments: 'Longer visits',
            someone_with_me: 'Someone with them at visits',
            quiet_space: 'A quiet place to wait',
          },
          errors: { invalid: 'Select from the list' },
        },
        adjustmentsDetail: { label: 'Anything else we should know', errors: { tooLong: 'This must be 2,000 characters or less', invalid: 'Enter anything else we should know' } },
      },
    },
    interpreter: {
      title: 'Do they need an interpreter?',
      summary: 'Needs an interpreter',
      fields: { interpreter: { options: { yes: 'Yes', no: 'No' }, errors: { required: 'Select yes if they need an interpreter' } } },
    },
    language: {
      title: 'What language do they speak?',
      summary: 'Language',
      fields: { language: { errors: { required: 'Enter the language they speak', tooLong: 'This must be 100 characters or less', invalid: 'Enter the language they speak' } } },
    },
    gp: {
      title: 'What is the name of their GP surgery?',
      summary: 'GP surgery',
      hint: 'You can leave this blank.',
      fields: { gpPractice: { errors: { tooLong: 'This must be 200 characters or less', invalid: 'Enter the name of the GP surgery' } } },
    },
    consent: {
      title: 'Can we use these details?',
      summary: 'Agreed',
      paragraphs: [
        'We will use these details to decide how we can help. We will keep them safe.',
        'We may talk to their GP about this referral.',
        'If you fill this in for someone else, they must know and agree.',
      ],
      fields: {
        consent: { options: { yes: 'I agree' }, errors: { required: 'Select I agree to send the referral', invalid: 'Select I agree to send the referral' } },
      },
    },
    ethnicity: {
      title: 'What is their ethnic group?',
      summary: 'Ethnic group',
      hint: 'You do not have to answer. We ask to check our service is fair to everyone.',
      fields: {
        ethnicity: {
          options: {
            A: 'White: British',
            B: 'White: Irish',
            C: 'White: any other White background',
            D: 'Mixed: White and Black Caribbean',
            E: 'Mixed: White and Black African',
            F: 'Mixed: White and Asian',
            G: 'Mixed: any other mixed background',
            H: 'Asian or Asian British: Indian',
            J: 'Asian or Asian British: Pakistani',
            K: 'Asian or Asian British: Bangladeshi',
            L: 'Asian or Asian British: any other Asian background',
            M: 'Black or Black British: Caribbean',
            N: 'Black or Black British: African',
            P: 'Black or Black British: any other Black background',
            R: 'Chinese',
            S: 'Any other ethnic group',
            prefer_not_to_say: 'Prefer not to say',
          },
          errors: { invalid: 'Select from the list' },
        },
      },
    },
    sex: {
      title: 'What is their sex?',
      summary: 'Sex',
      hint: 'You do not have to answer.',
      fields: { sex: { options: { female: 'Female', male: 'Male', prefer_not_to_say: 'Prefer not to say' }, errors: { invalid: 'Select from the list' } } },
    },
    disability: {
      title: 'Do they have a disability or long-term health condition?',
      summary: 'Disability',
      hint: 'You do not have to answer.',
      fields: { disability: { options: { yes: 'Yes', no: 'No', prefer_not_to_say: 'Prefer not to say' }, errors: { invalid: 'Select from the list' } } },
    },
    inclusion: {
      title: 'Do any of these apply to them?',
      summary: 'Groups',
      hint: 'You do not have to answer. Select all that apply.',
      fields: {
        inclusionGroups: {
          options: {
            homeless: 'Has no home, or is homeless',
            asylum_seeker: 'Asylum seeker',
            refugee: 'Refugee',
            gypsy_roma_traveller: 'Gypsy, Roma or Traveller',
            carer: 'Looks after someone without pay',
            care_leaver: 'Grew up in care',
            prison_leaver: 'Left prison in the last year',
            veteran: 'Served in the armed forces',
            none: 'None of these',
            prefer_not_to_say: 'Prefer not to say',
          },
          errors: { invalid: 'Select from the list', exclusive: 'Select groups, or none of these, or prefer not to say' },
        },
      },
    },
  },
  or: 'or',
  check: {
    title: 'Check your answers before you send them',
    change: 'Change',
    notAnswered: 'Not answered',
    noFixedAddress: 'No fixed address',
    submitHeading: 'Now send your referral',
    submitText: 'By sending this, you agree the details are right to the best of your knowledge.',
    submit: 'Send referral',
    incomplete: 'Some answers are missing. Please answer the questions we show you.',
  },
  confirmation: {
    title: 'Referral sent',
    referenceLabel: 'Your reference number',
    referenceHint: 'Write this down. Tell us this number if you contact us.',
    nextHeading: 'What happens next',
    next: [
      'A member of our team will look at the referral within 5 working days.',
      'We will contact them in the way you chose.',
    ],
    urgentNext: 'You told us someone may be in danger. We will look at this referral today.',
    another: 'Refer someone else',
  },
} as const;
