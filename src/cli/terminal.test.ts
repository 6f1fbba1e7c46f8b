import { describe, expect, it } from 'vitest';
import { RootsError } from '../errors/roots-error.ts';
import { reportFailure } from './failure.ts';
import { forTerminal, jsonForTerminal } from './terminal.ts';

/** Every character that could move the cursor, recolour, retitle or reorder a terminal line. */
const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const hostile = 'a\u001b[2J\u001b]0;pwned\u0007b\u009b31mc\u202eevil\u2066d\r\ne\u0000';

function capture(): NodeJS.WritableStream & { text: string } {
  const sink = { text: '', write(chunk: string) { sink.text += chunk; return true; } };
  return sink as unknown as NodeJS.WritableStream & { text: string };
}

describe('forTerminal', () => {
  it('shows control characters, escape sequences and bidi overrides as visible escapes, and keeps the rest', () => {
    const shown = forTerminal(hostile);
    expect(shown).not.toMatch(unsafe);
    expect(shown).not.toContain('\n');
    expect(shown).toBe('a\\u001b[2J\\u001b]0;pwned\\u0007b\\u009b31mc\\u202eevil\\u2066d\\u000d\\u000ae\\u0000');
    expect(forTerminal('Siân, Ŵyn: 日本 ✓')).toBe('Siân, Ŵyn: 日本 ✓');
  });
  it('keeps JSON valid and equal in value, with nothing unsafe left raw', () => {
    const value = { name: hostile, nested: [hostile] };
    const text = jsonForTerminal(value);
    expect(text).not.toMatch(unsafe);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('reportFailure', () => {
  it('given an error carrying text from a file, prints no raw control characters', () => {
    const sink = capture();
    const error = new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `The header of /tmp/x${hostile}.csv is not a referral header`,
      problems: [{ row: 3, field: `col${hostile}`, reason: `${hostile} is not a date` }],
    });
    reportFailure(error, sink);
    expect(sink.text).not.toMatch(unsafe);
    expect(sink.text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(sink.text).toContain('\\u001b[2J');
  });
  it('given an unexpected error, prints no raw control characters', () => {
    const sink = capture();
    reportFailure(new Error(`boom ${hostile}`), sink);
    expect(sink.text).not.toMatch(unsafe);
  });
});
