/**
 * The one place that makes text safe to print on a terminal. Text that came from a file (file
 * names, header names, cell values in problems, summaries) can carry control characters: an
 * escape sequence (ESC [ ... ) can clear the screen, recolour or retitle the terminal, a carriage
 * return can overwrite a line, and a bidi override (U+202E) can reorder what is read. Each such
 * character is shown as a visible `\uXXXX` escape instead; every other character is kept.
 *
 * Covered: C0 controls (U+0000-U+001F, including line breaks and tab), DEL and C1 controls
 * (U+007F-U+009F, which some terminals take as escape sequences), the Arabic letter mark and
 * left-to-right/right-to-left marks, line and paragraph separators, bidi embeddings and overrides
 * (U+202A-U+202E) and isolates (U+2066-U+2069).
 */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The same less C0: JSON.stringify already escapes C0 inside strings, and its own line breaks are layout. */
const unsafeBeyondC0 = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escape = (char: string) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** One line of text for a terminal: nothing in it can move the cursor, recolour or reorder. */
export function forTerminal(text: string): string {
  return text.replace(unsafe, escape);
}

/** Several lines for a terminal: each line made safe, the line breaks between them kept. */
export function linesForTerminal(text: string): string {
  return text.split('\n').map(forTerminal).join('\n');
}

/**
 * JSON for a terminal: the same value when parsed (JSON allows `\uXXXX` for any character in a
 * string, and the unsafe characters only ever appear inside strings), nothing unsafe left raw.
 */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(unsafeBeyondC0, escape);
}
