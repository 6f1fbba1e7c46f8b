import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as codes from '../domain/codes.ts';
import { ethnicCategoryExtension, ethnicCategorySystems, nhsNumberSystem, rootsFhirBase } from './fhir-bundle.schema.ts';
import { withheldColumns } from './import.types.ts';
import { csvReportColumns, fhirReportColumns } from './import-report.writer.ts';
import { referralColumns, requiredReferralColumns, scoreRanges, type ReferralColumn } from './referral-row.schema.ts';

const doc = readFileSync(new URL('../../docs/import-format.md', import.meta.url), 'utf8');

/** The rows of the column table under "### Columns", as cells. */
function columnTable(): string[][] {
  const section = doc.split('### Columns')[1]!.split('\n### ')[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

const codeLists: Partial<Record<ReferralColumn, readonly string[]>> = {
  referral_source: codes.referralSource.values,
  sex: codes.statedGender.values,
  ethnicity: codes.ethnicCategory.values,
  inclusion_groups: codes.inclusionGroup.values,
  pathway: codes.pathway.values,
  priority: codes.priority.values,
  triage_outcome: codes.triageOutcome.values,
  discharge_reason: codes.dischargeReason.values,
  discharge_outcomes: codes.dischargeOutcome.values,
  outcome_instrument: codes.outcomeInstrument.values,
};

describe('docs/import-format.md', () => {
  it('documents every column of referralColumns, in order, and no other', () => {
    const names = columnTable().map((cells) => /^`([a-z_]+)`$/.exec(cells[0]!)?.[1]);
    expect(names).toEqual([...referralColumns]);
  });

  it('marks exactly the required columns as required', () => {
    const required = columnTable().filter((cells) => cells[1] === 'yes').map((cells) => cells[0]!.replaceAll('`', ''));
    expect(required).toEqual(requiredReferralColumns);
  });

  it('lists every allowed code of each coded column, and nothing else', () => {
    for (const cells of columnTable()) {
      const column = cells[0]!.replaceAll('`', '') as ReferralColumn;
      const listed = [...cells[3]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
      expect(listed.sort(), column).toEqual(codeLists[column] ? [...codeLists[column]].sort() : []);
    }
  });

  it('gives the score range of each instrument', () => {
    const row = columnTable().find((cells) => cells[0] === '`outcome_instrument`')!;
    for (const [instrument, [low, high]] of Object.entries(scoreRanges)) expect(row[3]).toContain(`\`${instrument}\` ${low}–${high}`);
  });

  it('names the report columns and the values withheld from it', () => {
    expect(doc).toContain(`CSV imports: \`${csvReportColumns.join(',')}\``);
    expect(doc).toContain(`FHIR imports: \`${fhirReportColumns.join(',')}\``);
    const withheld = /\*\*Left blank for personal data\*\*: ([^.]+)\./.exec(doc)![1]!;
    expect([...withheld.matchAll(/`([a-z_]+)`/g)].map((match) => match[1]).sort()).toEqual([...withheldColumns].sort());
  });

  it('uses the same FHIR identifiers and extension URLs as the importer', () => {
    for (const url of [nhsNumberSystem, ethnicCategoryExtension, ...ethnicCategorySystems]) expect(doc).toContain(url.replace('UKCore-EthnicCategoryEngland', 'UKCore-EthnicCategory'));
    expect(doc).toContain(`${rootsFhirBase}/StructureDefinition/`);
  });
});
