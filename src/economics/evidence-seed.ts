import type { EvidenceFigureInput } from './evidence.ts';

/**
 * The register's built-in packs, written on first run and by `roots evidence seed`.
 *
 * The report pack: the figures of "Roots of recovery: occupational therapy at the heart of health
 * equity" (Royal College of Occupational Therapists), each with the source the report cites and
 * its reference number. Where the report's source could not be followed to the primary figure
 * (an unpublished evaluation, a news item quoting a study, a derived number) `traced` is false
 * and the figure stays out of headlines until someone accepts it with a reason.
 *
 * The open pack: public figures under the Open Government Licence that every appraisal needs.
 *
 * The non-commercial pack: figures whose source licence limits reuse to non-commercial purposes;
 * kept apart so that an organisation can leave it out.
 */
const REPORT = 'Roots of recovery: occupational therapy at the heart of health equity';
const RCOT = 'Royal College of Occupational Therapists';
const reportLicence = 'Figure quoted by the report; reuse with the source named';

const report = (figure: Omit<EvidenceFigureInput, 'pack' | 'edition' | 'licence'> & { licence?: string }): EvidenceFigureInput => ({
  pack: 'report',
  edition: 'Roots of recovery',
  licence: reportLicence,
  ...figure,
});

export const builtInEvidence: readonly EvidenceFigureInput[] = [
  // Primary care: the I CAN Primary Care pilot (Betsi Cadwaladr), report reference 46.
  ...(
    [
      ['ican.self_management_ot', 'Share of people seen by an OT offered self-management support (I CAN Primary Care pilot)', 0.76],
      ['ican.self_management_gp', 'Share of people seen by a GP offered self-management support (I CAN comparison)', 0.05],
      ['ican.gp_appointment_avoided', 'Share of OT cases in which GP appointments were avoided (I CAN Primary Care pilot)', 0.67],
      ['ican.cmh_referral_avoided', 'Share of OT cases in which a community mental health referral was avoided (I CAN Primary Care pilot)', 0.26],
    ] as const
  ).map(([key, label, central]) =>
    report({
      key,
      label,
      kind: 'gross_outcome_rate',
      low: null,
      central,
      high: null,
      unit: 'proportion of people seen',
      priceYear: null,
      geography: 'Wales (Betsi Cadwaladr)',
      source: { title: 'Occupational therapy in primary care during COVID-19 (Foran and Williams), unpublished; quoted in ' + REPORT, organisation: RCOT, year: 2020, locator: 'Primary care chapter, I CAN case study', url: null, reportReference: '46' },
      confidence: 'low',
      traced: false,
      notes: 'An early evaluation of a five-month pilot with no comparison group: a gross rate, not a net effect. The source is unpublished.',
    }),
  ),
  report({
    key: 'ican.people_seen',
    label: 'People seen by OTs working one day a week for five months (I CAN Primary Care pilot)',
    kind: 'count',
    low: null,
    central: 386,
    high: null,
    unit: 'people',
    priceYear: null,
    geography: 'Wales (Betsi Cadwaladr)',
    source: { title: REPORT, organisation: RCOT, year: null, locator: 'Primary care chapter, I CAN case study', url: null, reportReference: '46' },
    confidence: 'moderate',
    traced: false,
    notes: null,
  }),
  report({
    key: 'ican.saving_per_person',
    label: 'Projected average saving per person who saw an OT (I CAN Primary Care pilot)',
    kind: 'unit_cost',
    low: null,
    central: 327.59,
    high: null,
    unit: 'GBP per person',
    priceYear: 2020,
    geography: 'Wales (Betsi Cadwaladr)',
    source: { title: REPORT, organisation: RCOT, year: null, locator: 'Primary care chapter, I CAN case study', url: null, reportReference: '46' },
    confidence: 'low',
    traced: false,
    notes: 'How the projection was made is not published; the price year is assumed to be the pilot year.',
  }),
  report({
    key: 'work.unemployment_to_work_saving',
    label: 'Saving from moving one person from unemployment into work, over a year',
    kind: 'unit_cost',
    low: null,
    central: 12000,
    high: null,
    unit: 'GBP per person per year',
    priceYear: 2017,
    geography: 'England',
    source: { title: 'Making the economic case for prevention', organisation: 'Public Health England', year: 2017, locator: 'Public Health Matters blog, 6 September 2017', url: 'https://publichealthmatters.blog.gov.uk/2017/09/06/making-the-economic-case-for-prevention/', reportReference: '48' },
    licence: 'Open Government Licence v3.0',
    confidence: 'moderate',
    traced: true,
    notes: 'The report says "more than £12,000": a lower bound.',
  }),
  report({
    key: 'work.stress_prevention_return',
    label: 'Saving to society for each £1 invested in work stress prevention, over two years',
    kind: 'return_ratio',
    low: null,
    central: 2,
    high: null,
    unit: 'GBP per GBP invested',
    priceYear: 2017,
    geography: 'England',
    source: { title: 'PHE highlights 8 ways for local areas to prevent mental ill health', organisation: 'Public Health England', year: 2017, locator: 'news release', url: 'https://www.gov.uk/government/news/phe-highlights-8-ways-for-local-areas-to-prevent-mental-ill-health', reportReference: '49' },
    licence: 'Open Government Licence v3.0',
    confidence: 'moderate',
    traced: true,
    notes: null,
  }),
  report({
    key: 'mental_health.stress_management_return',
    label: 'Return on investment of individual therapy such as stress management',
    kind: 'return_ratio',
    low: null,
    central: 3,
    high: null,
    unit: 'GBP per GBP invested',
    priceYear: 2020,
    geography: 'UK',
    source: { title: 'Mental health and employers: refreshing the case for investment', organisation: 'Deloitte', year: 2020, locator: null, url: 'https://www2.deloitte.com/content/dam/Deloitte/uk/Documents/consultancy/deloitte-uk-mental-health-and-employers.pdf', reportReference: '89' },
    confidence: 'low',
    traced: false,
    notes: 'The 3:1 could not be found in the cited source.',
  }),
  ...(
    [
      ['rehab.first_year_cost', 'Average cost of rehabilitation and support in the first year after hospital discharge (complex cases)', 4100],
      ['rehab.excess_care_cost', 'Average excess care and accommodation cost when first-year rehabilitation is not provided (complex cases)', 14600],
      ['rehab.net_saving', 'Approximate saving per patient per year from investing in community rehabilitation (derived)', 10000],
    ] as const
  ).map(([key, label, central]) =>
    report({
      key,
      label,
      kind: key === 'rehab.net_saving' ? 'net_effect' : 'unit_cost',
      low: null,
      central,
      high: null,
      unit: key === 'rehab.net_saving' ? 'GBP per patient per year' : 'GBP per patient',
      priceYear: 2021,
      geography: 'England',
      source: { title: 'Specialist rehabilitation: focus services early to transform lives and save money', organisation: "King's College London", year: 2021, locator: 'news item', url: 'https://www.kcl.ac.uk/news/spotlight/specialist-rehabilitation-focus-services-early-to-transform-lives-and-save-the-nhs-money', reportReference: '81' },
      confidence: 'low',
      traced: false,
      notes: 'Quoted from a news item; the underlying study and its price year were not traced.',
    }),
  ),
  ...(
    [
      ['ltc.avoidable_emergency_admissions', 'Emergency admissions a year that could be avoided if people least able to manage long-term conditions were supported as well as those most able', 436000],
      ['ltc.avoidable_ae_attendances', 'A&E attendances a year that could be avoided on the same basis', 690000],
    ] as const
  ).map(([key, label, central]) =>
    report({
      key,
      label,
      kind: 'count',
      low: null,
      central,
      high: null,
      unit: 'events per year',
      priceYear: null,
      geography: 'England',
      source: { title: 'Reducing emergency admissions: unlocking the potential of people to better manage their long-term conditions', organisation: 'The Health Foundation', year: 2018, locator: null, url: 'https://www.health.org.uk/publications/reducing-emergency-admissions-unlocking-the-potential-of-people-to-better-manage-their-long-term-conditions', reportReference: '84' },
      confidence: 'low',
      traced: false,
      notes: 'Not found in the cited publication in this form.',
    }),
  ),
  report({
    key: 'education.four_years_return',
    label: 'Value of health and other outcomes for each £1 spent on four additional years of education',
    kind: 'return_ratio',
    low: null,
    central: 7.2,
    high: null,
    unit: 'GBP per GBP spent',
    priceYear: 2014,
    geography: 'England',
    source: { title: 'Local action on health inequalities: understanding the economics of investment in social determinants of health', organisation: 'Public Health England; UCL Institute of Health Equity', year: 2014, locator: 'Health Equity Briefing 9', url: 'https://www.instituteofhealthequity.org/resources-reports/local-action-on-health-inequalities-understanding-the-economics-of-investments-in-the-social-determinants-of-health', reportReference: '68' },
    licence: 'Open Government Licence v3.0',
    confidence: 'moderate',
    traced: true,
    notes: null,
  }),
  ...(
    [
      ['swansea.wait_before', 'Wait for children and young people\'s OT before the redesign (Swansea Bay)', 45],
      ['swansea.wait_after', 'Wait for children and young people\'s OT after the redesign (Swansea Bay)', 7],
    ] as const
  ).map(([key, label, central]) =>
    report({
      key,
      label,
      kind: 'count',
      low: null,
      central,
      high: null,
      unit: 'weeks',
      priceYear: null,
      geography: 'Wales (Swansea Bay)',
      source: { title: REPORT, organisation: RCOT, year: null, locator: 'Children, young people and families chapter, Swansea Bay case study', url: null, reportReference: null },
      confidence: 'moderate',
      traced: false,
      notes: 'Reported by the service in the case study; no published evaluation.',
    }),
  ),

  // The open pack: HM Treasury Green Book (2022), Open Government Licence.
  {
    key: 'greenbook.discount_rate',
    pack: 'open',
    edition: 'Green Book 2022',
    label: 'Social time preference rate for years 0 to 30',
    kind: 'assumption',
    low: null,
    central: 0.035,
    high: null,
    unit: 'rate per year',
    priceYear: null,
    geography: 'UK',
    source: { title: 'The Green Book: central government guidance on appraisal and evaluation', organisation: 'HM Treasury', year: 2022, locator: 'Annex A6, table 8', url: 'https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government', reportReference: null },
    licence: 'Open Government Licence v3.0',
    confidence: 'high',
    traced: true,
    notes: 'Falls to 3.0% for years 31 to 75 (economics/discounting.ts).',
  },
  {
    key: 'greenbook.health_discount_rate',
    pack: 'open',
    edition: 'Green Book 2022',
    label: 'Discount rate for health effects valued in QALYs, years 0 to 30',
    kind: 'assumption',
    low: null,
    central: 0.015,
    high: null,
    unit: 'rate per year',
    priceYear: null,
    geography: 'UK',
    source: { title: 'The Green Book: central government guidance on appraisal and evaluation', organisation: 'HM Treasury', year: 2022, locator: 'Annex A6', url: 'https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government', reportReference: null },
    licence: 'Open Government Licence v3.0',
    confidence: 'high',
    traced: true,
    notes: null,
  },

  // The non-commercial pack: PSSRU unit costs as the report quotes them (reference 47).
  ...(
    [
      ['pssru.gp_contact_hour', 'GP cost per hour of patient contact (without qualification costs)', 184],
      ['pssru.advanced_ot_hour', 'Advanced occupational therapist cost per hour (as the report compares)', 120],
    ] as const
  ).map(
    ([key, label, central]): EvidenceFigureInput => ({
      key,
      pack: 'non_commercial',
      edition: 'PSSRU Unit Costs 2020',
      label,
      kind: 'unit_cost',
      low: null,
      central,
      high: null,
      unit: 'GBP per hour',
      priceYear: 2020,
      geography: 'England',
      source: { title: 'Unit costs of health and social care 2020', organisation: 'Personal Social Services Research Unit', year: 2020, locator: 'community-based health care staff', url: 'https://www.pssru.ac.uk/pub/uc/uc2020/2-communityhcstaff.pdf', reportReference: '47' },
      licence: 'Reuse terms as printed in the edition (non-commercial): check before commercial use',
      confidence: 'high',
      traced: true,
      notes: 'Figures as the report quotes them; the edition is the primary source.',
    }),
  ),
];
