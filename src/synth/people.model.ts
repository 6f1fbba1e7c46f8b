import type { EthnicCategory, InclusionGroup, Nation, Pathway } from '../domain/codes.ts';
import type { PlantedEthnicGroup } from './options.ts';

/**
 * Who people are: ethnicity, language, inclusion-health groups and names. Figures are public
 * statistics where one exists (named beside it) and stated assumptions where none does; the
 * assumptions are listed in docs/synthetic-data.md.
 */

/** The sixteen stated NHS ethnic categories (2001 census groups), in code order. */
export const statedEthnicCategories = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S'] as const satisfies readonly EthnicCategory[];
export type StatedEthnicCategory = (typeof statedEthnicCategories)[number];

export const broadGroupOfCategory: Record<StatedEthnicCategory, PlantedEthnicGroup> = {
  A: 'white', B: 'white', C: 'white',
  D: 'mixed', E: 'mixed', F: 'mixed', G: 'mixed',
  H: 'asian', J: 'asian', K: 'asian', L: 'asian',
  M: 'black', N: 'black', P: 'black',
  R: 'other', S: 'other',
};

/**
 * Census 2021, England and Wales, ethnic group (19 tick-box groups, ONS TS021; Ethnicity facts
 * and figures "Population of England and Wales"), mapped to the NHS 2001 categories:
 * Gypsy or Irish Traveller and Roma go to C (any other White background), Chinese to R and Arab
 * to S, as the NHS Data Dictionary mapping does. Percentages of usual residents.
 */
export const censusEnglandAndWales: Record<StatedEthnicCategory, number> = {
  A: 74.4, B: 0.9, C: 6.5,
  D: 0.9, E: 0.4, F: 0.8, G: 0.8,
  H: 3.1, J: 2.7, K: 1.1, L: 1.6,
  M: 1.0, N: 2.5, P: 0.5,
  R: 0.7, S: 2.2,
};

/**
 * Census 2021, Wales: broad groups White 93.8%, Asian 2.9%, Mixed 1.6%, Black 0.9%, Other 0.9%;
 * White split 90.6 / 0.4 / 2.8; other groups split in the England and Wales proportions above.
 */
export const censusWales: Record<StatedEthnicCategory, number> = (() => {
  const broad: Record<PlantedEthnicGroup, number> = { white: 93.8, mixed: 1.6, asian: 2.9, black: 0.9, other: 0.9 };
  const within = (group: PlantedEthnicGroup) =>
    statedEthnicCategories.filter((c) => broadGroupOfCategory[c] === group).reduce((sum, c) => sum + censusEnglandAndWales[c], 0);
  const result = {} as Record<StatedEthnicCategory, number>;
  for (const code of statedEthnicCategories) {
    const group = broadGroupOfCategory[code];
    result[code] = group === 'white' ? { A: 90.6, B: 0.4, C: 2.8 }[code as 'A' | 'B' | 'C'] : (broad[group] * censusEnglandAndWales[code]) / within(group);
  }
  return result;
})();

/**
 * Share of each group living in the most deprived 10% of neighbourhoods in England (IMD 2019).
 * Published (Ethnicity facts and figures, "People living in deprived neighbourhoods", and the
 * Commission on Race and Ethnic Disparities report citing it): White British 9.1%, Pakistani
 * 31.1%, Bangladeshi 19.3%, Mixed White and Black Caribbean 17.4%, Black African 15.6%; Indian the
 * least likely of all groups; Indian, Chinese, White Irish and White Other no more likely than
 * White British. The other values are assumptions placed consistently with those statements.
 * 10 would mean no concentration.
 */
export const mostDeprivedDecileShare: Record<StatedEthnicCategory, { percent: number; published: boolean }> = {
  A: { percent: 9.1, published: true },
  B: { percent: 7, published: false },
  C: { percent: 8, published: false },
  D: { percent: 17.4, published: true },
  E: { percent: 14, published: false },
  F: { percent: 9, published: false },
  G: { percent: 12, published: false },
  H: { percent: 6, published: false },
  J: { percent: 31.1, published: true },
  K: { percent: 19.3, published: true },
  L: { percent: 12, published: false },
  M: { percent: 15, published: false },
  N: { percent: 15.6, published: true },
  P: { percent: 16, published: false },
  R: { percent: 8, published: false },
  S: { percent: 18, published: false },
};

/**
 * Ethnic mix by deprivation decile. Each group's density over the deprivation percentile x
 * (0 = most deprived) is taken as log-linear, proportional to R^(1 - x), with R solved so that
 * the share in the most deprived tenth matches the table above; the share of group e in decile d
 * is then census share x 10 x (integral of that density over decile d). Across equal-population
 * deciles this keeps each group's national share at its census value.
 * Returns, per decile 1..10 (index 0..9), unnormalised weights in statedEthnicCategories order.
 */
export function ethnicWeightsByDecile(nation: Nation): Float64Array[] {
  const census = nation === 'E' ? censusEnglandAndWales : censusWales;
  const result: Float64Array[] = [];
  for (let decile = 1; decile <= 10; decile++) {
    const weights = new Float64Array(statedEthnicCategories.length);
    statedEthnicCategories.forEach((code, index) => {
      const ratio = concentrationRatio(mostDeprivedDecileShare[code].percent / 100);
      weights[index] = census[code] * 10 * densityMass(ratio, (decile - 1) / 10, decile / 10);
    });
    result.push(weights);
  }
  return result;
}

/**
 * Probability mass between a and b of the density proportional to R^(1 - x) on [0, 1]: the
 * integral from a to b is (R^(1-a) - R^(1-b)) / ln R and over [0, 1] it is (R - 1) / ln R.
 */
function densityMass(ratio: number, a: number, b: number): number {
  if (Math.abs(ratio - 1) < 1e-12) return b - a;
  return (Math.pow(ratio, 1 - a) - Math.pow(ratio, 1 - b)) / (ratio - 1);
}

/** R such that the share of the density R^(1-x) on [0, 0.1] equals `share` (bisection on ln R). */
export function concentrationRatio(share: number): number {
  let low = -12;
  let high = 12;
  for (let i = 0; i < 200; i++) {
    const mid = (low + high) / 2;
    if (densityMass(Math.exp(mid), 0, 0.1) < share) low = mid;
    else high = mid;
  }
  return Math.exp((low + high) / 2);
}

/**
 * Main language other than English, by ethnic category: chance and languages (ISO 639 codes).
 * Guided by Census 2021 (England and Wales) main language: 91.1% English; the commonest others
 * Polish, Romanian, Panjabi, Urdu, Portuguese, Spanish, Arabic, Bengali, Gujarati. Chances per
 * group are assumptions tuned so that about 9% of all people have another main language.
 */
export const otherMainLanguage: Record<StatedEthnicCategory, { chance: number; languages: [string, number][] }> = {
  A: { chance: 0.002, languages: [['bfi', 1]] }, // British Sign Language
  B: { chance: 0.01, languages: [['ga', 1]] },
  C: { chance: 0.55, languages: [['pl', 28], ['ro', 20], ['pt', 10], ['es', 8], ['it', 7], ['lt', 7], ['bg', 6], ['hu', 6], ['lv', 4], ['fr', 4]] },
  D: { chance: 0.02, languages: [['fr', 1]] },
  E: { chance: 0.08, languages: [['fr', 1], ['pt', 1]] },
  F: { chance: 0.05, languages: [['ur', 1], ['pa', 1]] },
  G: { chance: 0.08, languages: [['es', 1], ['pt', 1], ['ar', 1]] },
  H: { chance: 0.25, languages: [['gu', 40], ['pa', 30], ['ta', 15], ['hi', 15]] },
  J: { chance: 0.3, languages: [['ur', 60], ['pa', 40]] },
  K: { chance: 0.35, languages: [['bn', 70], ['syl', 30]] },
  L: { chance: 0.4, languages: [['ta', 25], ['ne', 20], ['tl', 20], ['ps', 20], ['fa', 15]] },
  M: { chance: 0.01, languages: [['fr', 1]] },
  N: { chance: 0.3, languages: [['so', 30], ['ar', 15], ['ti', 15], ['fr', 15], ['yo', 10], ['am', 10], ['pt', 5]] },
  P: { chance: 0.1, languages: [['fr', 50], ['so', 50]] },
  R: { chance: 0.45, languages: [['zh', 60], ['yue', 40]] },
  S: { chance: 0.55, languages: [['ar', 45], ['ku', 20], ['fa', 15], ['tr', 15], ['ps', 5]] },
};

/**
 * Of people whose main language is not English, the share needing an interpreter. Census 2021:
 * of the 8.9% of residents with another main language, about one in five could not speak English
 * well or at all.
 */
export const interpreterShare = 0.2;
/** Higher for people seeking asylum or newly settled as refugees (assumption). */
export const interpreterShareSanctuary = 0.6;
/**
 * Welsh as the language a person asks to be seen in, for White British people in Wales.
 * Census 2021: 17.8% of people in Wales aged 3+ could speak Welsh; fewer ask for Welsh-medium
 * care (assumption).
 */
export const welshPreferenceShare = 0.12;
/** Share of people whose language was not recorded at all (assumption). */
export const languageNotRecorded = 0.06;

/**
 * Inclusion-health groups: base chance per person, the ages it applies to, and whether it rises
 * with deprivation (x1.6 in the most deprived quintile to x0.7 in the least). Assumptions of a
 * plausible order of magnitude for people referred to community OT; NHS England's Core20PLUS5
 * names the groups, not their prevalence among referrals.
 */
export interface InclusionRule {
  group: InclusionGroup;
  chance: number;
  minAge: number;
  maxAge: number;
  deprivationTilt: boolean;
}
export const inclusionRules: InclusionRule[] = [
  { group: 'homeless', chance: 0.004, minAge: 16, maxAge: 120, deprivationTilt: true },
  { group: 'carer', chance: 0.07, minAge: 16, maxAge: 120, deprivationTilt: false },
  { group: 'carer', chance: 0.02, minAge: 8, maxAge: 15, deprivationTilt: false },
  { group: 'care_leaver', chance: 0.02, minAge: 16, maxAge: 25, deprivationTilt: true },
  { group: 'prison_leaver', chance: 0.004, minAge: 18, maxAge: 70, deprivationTilt: true },
  { group: 'veteran', chance: 0.02, minAge: 18, maxAge: 64, deprivationTilt: false },
  { group: 'veteran', chance: 0.07, minAge: 65, maxAge: 120, deprivationTilt: false },
];
export const deprivationTiltByQuintile = [1.6, 1.25, 1, 0.85, 0.7] as const;
/** Asylum seekers and refugees: chance by ethnic category (assumption), adults and children alike. */
export const sanctuaryChance: Partial<Record<StatedEthnicCategory, { asylum: number; refugee: number }>> = {
  C: { asylum: 0.002, refugee: 0.01 },
  L: { asylum: 0.02, refugee: 0.03 },
  N: { asylum: 0.02, refugee: 0.03 },
  P: { asylum: 0.015, refugee: 0.02 },
  S: { asylum: 0.03, refugee: 0.04 },
  G: { asylum: 0.005, refugee: 0.01 },
};
/**
 * Gypsy, Roma and Traveller people sit in the White categories of the 2001 classification:
 * Census 2021 counted 0.1% Gypsy or Irish Traveller and 0.2% Roma, about 4% of "any other White".
 */
export const gypsyRomaTravellerChance: Partial<Record<StatedEthnicCategory, number>> = { A: 0.0005, B: 0.02, C: 0.04 };

/**
 * Stated gender (NHS Person Stated Gender Code): chance of female by age, from the ONS mid-year
 * estimates' familiar shape (fewer girls than boys; women the majority from the 70s), with small
 * shares of indeterminate (9) and not known (X).
 */
export function femaleChance(age: number): number {
  if (age < 16) return 0.488;
  if (age < 65) return 0.505;
  if (age < 85) return 0.535;
  return 0.64;
}
export const sexIndeterminate = 0.0005;

/**
 * Disability (Equality Act definition) by the pathway of the first referral. Census 2021: 17.7%
 * of people in England were disabled; people referred to OT far more often (assumption).
 */
export const disabilityChance: Record<Pathway, number> = {
  mental_health: 0.4, frailty_falls: 0.65, work_health: 0.3, children_families: 0.35, community_rehab: 0.7, signpost: 0.25,
};
export const disabilityNotRecorded = 0.12;
export const sexNotKnown = 0.003;

// ---------------------------------------------------------------------------------------------
// Names: small built-in lists, mixed at random, so no generated person is a real one. Welsh
// names carry the Welsh letters (â, ô, ŵ, ŷ, ï); some family names are invented house-style
// names (Tŷ-Gwyn, Pen-y-Dŵr) that exist only here.

export type NameSet = 'british' | 'irish' | 'welsh' | 'european' | 'south_asian' | 'african_caribbean' | 'east_asian' | 'middle_eastern';

interface NameList {
  female: string[];
  male: string[];
  family: string[];
}

const nfc = (names: string[]) => names.map((n) => n.normalize('NFC'));
const list = (female: string[], male: string[], family: string[]): NameList => ({ female: nfc(female), male: nfc(male), family: nfc(family) });

export const nameLists: Record<NameSet, NameList> = {
  british: list(
    ['Olivia', 'Amelia', 'Isla', 'Ava', 'Emily', 'Sophie', 'Grace', 'Lily', 'Chloë', 'Jessica', 'Hannah', 'Charlotte', 'Lucy', 'Megan', 'Sarah', 'Rebecca', 'Laura', 'Emma', 'Claire', 'Karen', 'Susan', 'Margaret', 'Patricia', 'Joan', 'Dorothy', 'Sheila', 'Brenda', 'Zoë', 'Ruby', 'Mia'],
    ['Oliver', 'George', 'Harry', 'Noah', 'Jack', 'Leo', 'Arthur', 'Thomas', 'James', 'William', 'Daniel', 'Matthew', 'Christopher', 'Andrew', 'David', 'Paul', 'Mark', 'Stephen', 'John', 'Peter', 'Michael', 'Robert', 'Brian', 'Kenneth', 'Alfie', 'Freddie'],
    ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Robinson', 'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Wood', 'Jackson', 'Clarke', 'Hughes', 'Edwards', 'Turner', 'Hill', 'Moore', 'Cooper', 'Ward', 'Morris', 'King', 'Baker', 'Harrison', 'Lloyd-Hughes', 'Ashworth', 'Pickering'],
  ),
  irish: list(
    ['Siobhán', 'Aoife', 'Niamh', 'Saoirse', 'Orla', 'Róisín', 'Mary', 'Bridget'],
    ['Seán', 'Ciarán', 'Declan', 'Pádraig', 'Liam', 'Conor', 'Eoin', 'Michael'],
    ["O'Brien", "O'Connor", 'Murphy', 'Kelly', 'Byrne', 'McCarthy', 'Doyle', 'Fitzgerald', 'Ó Súilleabháin', 'Walsh'],
  ),
  welsh: list(
    ['Siân', 'Ffion', 'Cerys', 'Angharad', 'Eluned', 'Gwenllïan', 'Nia', 'Rhiannon', 'Mererid', 'Heledd', 'Llinos', 'Tegwen', 'Elin', 'Catrin', 'Non'],
    ['Dafydd', 'Gethin', 'Rhodri', 'Iolo', 'Aled', 'Emyr', 'Gwilym', 'Llŷr', 'Siôn', 'Tomos', 'Dylan', 'Ioan', 'Carwyn', 'Huw', 'Gruffydd'],
    ['Jones', 'Davies', 'Williams', 'Evans', 'Thomas', 'Roberts', 'Hughes', 'Lewis', 'Morgan', 'Griffiths', 'Price', 'Pritchard', 'Pugh', 'Powell', 'Bowen', 'Rees', 'ap Dafydd', 'Llwyd', 'Gruffudd', 'Prys', 'Tŷ-Gwyn', 'Pen-y-Dŵr'],
  ),
  european: list(
    ['Zofia', 'Anna', 'Małgorzata', 'Agnieszka', 'Ioana', 'Elena', 'Maria', 'Ana', 'Giulia', 'Rūta', 'Katarzyna', 'Andreea'],
    ['Piotr', 'Łukasz', 'Krzysztof', 'Tomasz', 'Andrei', 'Mihai', 'João', 'Marco', 'Jonas', 'Gheorghe', 'Mateusz', 'José'],
    ['Kowalski', 'Nowak', 'Wiśniewska', 'Wójcik', 'Popescu', 'Ionescu', 'Silva', 'Santos', 'Rossi', 'Kazlauskas', 'Kovács', 'Dimitrov', 'Ozoliņš'],
  ),
  south_asian: list(
    ['Priya', 'Aisha', 'Fatima', 'Ayesha', 'Zara', 'Sana', 'Nusrat', 'Anjali', 'Simran', 'Farzana', 'Shabana', 'Harpreet', 'Rukhsana'],
    ['Mohammed', 'Muhammad', 'Arjun', 'Rahul', 'Imran', 'Bilal', 'Hamza', 'Rajesh', 'Sanjay', 'Abdul', 'Gurpreet', 'Tariq', 'Vikram'],
    ['Patel', 'Shah', 'Singh', 'Kaur', 'Khan', 'Hussain', 'Ahmed', 'Begum', 'Ali', 'Iqbal', 'Rahman', 'Uddin', 'Chowdhury', 'Sharma', 'Gill', 'Mistry'],
  ),
  african_caribbean: list(
    ['Abena', 'Chidinma', 'Amara', 'Ngozi', 'Adaeze', 'Shanice', 'Keisha', 'Marcia', 'Hodan', 'Fartun', 'Yetunde', 'Beverley'],
    ['Kwame', 'Chinedu', 'Oluwaseun', 'Tunde', 'Emeka', 'Jermaine', 'Delroy', 'Winston', 'Abdi', 'Mohamed', 'Kofi', 'Tyrone'],
    ['Okafor', 'Adeyemi', 'Mensah', 'Asante', 'Okonkwo', 'Campbell', 'Francis', 'Grant', 'Osei', 'Abdullahi', 'Mohamud', 'Hassan', 'Bailey', 'Samuels'],
  ),
  east_asian: list(
    ['Mei', 'Xiaoling', 'Wing', 'Yan', 'Hui', 'Ling'],
    ['Wei', 'Jun', 'Hao', 'Ming', 'Kai', 'Chi Keung'],
    ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Wong', 'Chan', 'Lam', 'Cheung', 'Ng'],
  ),
  middle_eastern: list(
    ['Layla', 'Maryam', 'Noor', 'Zeynep', 'Shirin', 'Rana', 'Dilan'],
    ['Omar', 'Ahmad', 'Ali', 'Reza', 'Emre', 'Karwan', 'Yusuf'],
    ['Al-Sayed', 'Haddad', 'Rahimi', 'Yılmaz', 'Karimi', 'Mansour', 'Abadi', 'Aziz'],
  ),
};

/** Which name lists a person's names come from, by ethnic category (weights). */
export const nameSetsByCategory: Record<StatedEthnicCategory, [NameSet, number][]> = {
  A: [['british', 92], ['irish', 5], ['welsh', 3]],
  B: [['irish', 80], ['british', 20]],
  C: [['european', 85], ['british', 15]],
  D: [['british', 70], ['african_caribbean', 30]],
  E: [['british', 50], ['african_caribbean', 50]],
  F: [['british', 60], ['south_asian', 40]],
  G: [['british', 60], ['european', 20], ['middle_eastern', 20]],
  H: [['south_asian', 95], ['british', 5]],
  J: [['south_asian', 97], ['british', 3]],
  K: [['south_asian', 97], ['british', 3]],
  L: [['south_asian', 60], ['east_asian', 20], ['middle_eastern', 20]],
  M: [['african_caribbean', 70], ['british', 30]],
  N: [['african_caribbean', 90], ['middle_eastern', 10]],
  P: [['african_caribbean', 80], ['british', 20]],
  R: [['east_asian', 90], ['british', 10]],
  S: [['middle_eastern', 80], ['european', 10], ['british', 10]],
};
/** In Wales, the share of White British people given Welsh names (0.9 when they prefer Welsh). */
export const welshNamesInWales = 0.45;
