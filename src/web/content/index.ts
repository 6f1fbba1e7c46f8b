import { cy } from './cy.ts';
import { en, type Content } from './en.ts';

export type Language = 'en' | 'cy';
export const languages: Record<Language, Content> = { en, cy };

export function contentFor(language: Language): Content {
  return languages[language];
}
export type { Content };
