import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Folder of the NHS design system build (its Nunjucks macros, CSS, JavaScript and images). */
export const nhsukFrontendDist = join(dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const templatesDir = join(here, '..', 'web', 'templates');
export const appAssetsDir = join(here, '..', 'web', 'assets');

/**
 * The Nunjucks environment for every page: Roots' templates first, then nhsuk-frontend's
 * ("nhsuk/components/..."). Autoescaping is on; templates are cached once loaded.
 */
export function createViews(): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([templatesDir, nhsukFrontendDist], { noCache: false });
  const environment = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
  environment.addFilter('number', (value: unknown, digits = 0) =>
    typeof value === 'number' && Number.isFinite(value)
      ? value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits })
      : '',
  );
  // Form errors as [{ field, text }]: the error summary's list (each linking to its field) and
  // the message for one field (the first, if several).
  environment.addFilter('errorList', (errors: { field: string; text: string }[] | undefined) =>
    (errors ?? []).map((error) => ({ text: error.text, href: `#${error.field}` })),
  );
  environment.addFilter('fieldError', (errors: { field: string; text: string }[] | undefined, field: string) =>
    (errors ?? []).find((error) => error.field === field)?.text ?? '',
  );
  return environment;
}
