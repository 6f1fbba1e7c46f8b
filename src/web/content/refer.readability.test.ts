import { describe, expect, it } from 'vitest';
import { refer } from './en/refer.ts';

/**
 * Reading age of the English /refer content, by the Flesch-Kincaid grade level:
 *   grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
 * (Kincaid et al. 1975). Reading age = grade + 5. Target: reading age 9 or below, so grade <= 4.
 *
 * Method, honestly stated:
 * - every string a person reads on /refer is included (questions, hints, options, errors,
 *   urgent help, check and confirmation pages), except the 16 ethnic-group labels (the NHS
 *   Data Dictionary's own wording, which we must not simplify) and telephone numbers;
 * - a sentence ends at . ! ? or at the end of a string: a label or option ("Cooking and
 *   eating") counts as one sentence, as a reader meets it on its own line;
 * - syllables are counted with the usual heuristic (vowel groups, silent final e, -le), which
 *   is accurate to about a syllable in ten for English words.
 */
function strings(value: unknown, path = ''): { path: string; text: string }[] {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${path}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => strings(inner, path ? `${path}.${key}` : key));
  return [];
}

export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return 0;
  if (w.length <= 3) return 1;
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, '').replace(/^y/, '');
  const groups = w.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

export function fleschKincaidGrade(texts: readonly string[]): { grade: number; words: number; sentences: number; syllables: number } {
  let words = 0;
  let sentences = 0;
  let syllableCount = 0;
  for (const text of texts) {
    const parts = text.split(/[.!?]+(?:\s|$)/).map((part) => part.trim()).filter(Boolean);
    for (const part of parts) {
      const partWords = part.split(/\s+/).filter((word) => /[a-z]/i.test(word));
      if (partWords.length === 0) continue;
      sentences++;
      words += partWords.length;
      syllableCount += partWords.reduce((n, word) => n + syllables(word), 0);
    }
  }
  return { grade: 0.39 * (words / sentences) + 11.8 * (syllableCount / words) - 15.59, words, sentences, syllables: syllableCount };
}

describe('reading age of the /refer content (English)', () => {
  it('counts syllables of known words', () => {
    expect(['cat', 'help', 'water', 'table', 'referral', 'occupational', 'simple'].map(syllables)).toEqual([1, 1, 2, 2, 3, 5, 2]);
  });

  it('scores a known hard text above grade 4, so the check can fail', () => {
    const hard = fleschKincaidGrade(['The organisation facilitates multidisciplinary rehabilitation interventions, prioritising individuals experiencing considerable functional limitations.']);
    expect(hard.grade).toBeGreaterThan(12);
  });

  it('has a Flesch-Kincaid grade of 4 or below (reading age 9 or below)', () => {
    const texts = strings(refer)
      .filter(({ path }) => !/^steps\.ethnicity\.fields\.ethnicity\.options\.[A-S]$/.test(path))
      .map(({ text }) => text.replace(/\b\d[\d ]*\d\b/g, '').replace(/A&E/g, 'A and E'));
    const result = fleschKincaidGrade(texts);
    // Printed so the figure can be reported: grade, and reading age = grade + 5.
    console.info(`/refer English content: ${result.words} words, ${result.sentences} sentences, FK grade ${result.grade.toFixed(2)}, reading age ${(result.grade + 5).toFixed(1)}`);
    expect(result.grade).toBeLessThanOrEqual(4);
  });
});
