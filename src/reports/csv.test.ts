import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, toCsvText } from './csv.ts';

describe('neutraliseFormula', () => {
  it('prefixes an apostrophe to text a spreadsheet would run as a formula', () => {
    for (const text of ['=1+1', '+1', '-2', '@SUM(A1)', '\tcmd', '\rcmd']) expect(neutraliseFormula(text)).toBe(`'${text}`);
  });
  it('leaves other text alone', () => {
    for (const text of ['plain', "Siân", ' =not first', '', "'already"]) expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('toCsvText', () => {
  it('quotes with csv-stringify, neutralises text cells and keeps numbers numeric', () => {
    const text = toCsvText([
      ['a', 'b', 'c'],
      ['=HYPERLINK("http://example.com","x")', -4.14, 'line\nbreak, comma'],
      [null, 0, '@x'],
    ]);
    expect(parse(text)).toEqual([
      ['a', 'b', 'c'],
      ['\'=HYPERLINK("http://example.com","x")', '-4.14', 'line\nbreak, comma'],
      ['', '0', "'@x"],
    ]);
  });
  it('writes CRLF records and an optional byte-order mark', () => {
    expect(toCsvText([['x'], ['y']], { bom: true, crlf: true })).toBe('\uFEFFx\r\ny\r\n');
    expect(toCsvText([['x']])).toBe('x\n');
  });
});
