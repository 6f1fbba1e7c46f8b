/** Every answer of one complete journey (self, not urgent unless told), step by step. */
export function journeyAnswers(options: { urgent?: boolean; postcode?: string } = {}): [string, Record<string, string | string[]>][] {
  return [
    ['urgent', { urgent: options.urgent ? 'yes' : 'no' }],
    ...(options.urgent ? [['urgent-help', {}] as [string, Record<string, string>]] : []),
    ['who', { referredBy: 'self' }],
    ['name', { givenName: 'Ffion', familyName: 'Jones' }],
    ['date-of-birth', { 'dateOfBirth[day]': '15', 'dateOfBirth[month]': '3', 'dateOfBirth[year]': '1984' }],
    ['activities', { hardActivities: ['cooking_eating', 'getting_out'] }],
    ['what-matters', { whatMatters: 'Getting back to my allotment.' }],
    ['postcode', { postcode: options.postcode ?? 'ls1 4ap' }],
    ['lives-alone', { livesAlone: 'yes' }],
    ['contact-methods', { contactMethods: ['phone', 'email'] }],
    ['contact-details', { phone: '07700 900982', email: 'ffion@example.org' }],
    ['safe-times', { safeTimes: 'Mornings' }],
    ['leave-message', { mayLeaveMessage: 'no' }],
    ['adjustments', { adjustments: ['large_print'], adjustmentsDetail: '' }],
    ['interpreter', { interpreter: 'yes' }],
    ['language', { language: 'Polish' }],
    ['gp', { gpPractice: '' }],
    ['consent', { consent: 'yes' }],
    ['ethnicity', { ethnicity: 'prefer_not_to_say' }],
    ['sex', { sex: 'female' }],
    ['disability', {}],
    ['inclusion', { inclusionGroups: ['carer'] }],
  ];
}

