import { describe, expect, it } from 'vitest';
import { cy } from './cy.ts';
import { en } from './en.ts';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe('content', () => {
  it('has the same keys in English and Welsh', () => {
    expect(keys(cy).sort()).toEqual(keys(en).sort());
  });
  it('has no empty text', () => {
    const empty = (content: unknown) => keys(content).filter((key) => {
      const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], content);
      return typeof value !== 'string' || value.trim() === '';
    });
    expect(empty(en)).toEqual([]);
    expect(empty(cy)).toEqual([]);
  });
});
