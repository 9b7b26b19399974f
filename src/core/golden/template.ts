import { AppError } from '../errors';

/**
 * `{{name}}` or `{{ user.name }}` (a dotted path into an object variable). Only identifier-shaped names are
 * placeholders: prompts quote Handlebars, Jinja and code with other `{{ ... }}` text, which stays as written.
 * `\{{name}}` writes a literal `{{name}}`.
 */
const PLACEHOLDER = /(\\?)\{\{\s*([A-Za-z_][\w-]*(?:\.[\w-]+)*)\s*\}\}/g;

/** Literal text made into a template that renders back to exactly that text (importers of data use it). */
export function escapeTemplate(text: string): string {
  return text.includes('{{') ? text.replace(PLACEHOLDER, '\\$&') : text;
}

/** Where a template came from, for error messages. */
export interface TemplateSource {
  file?: string;
  line?: number;
  /** What the template is: `variant "short"`, `case banking-3 messages[0].content`, ... */
  field?: string;
}

/** The variable paths a template uses, in order of first use, without repeats. */
export function templateVars(template: string): string[] {
  const out = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) if (!m[1]) out.add(m[2]!);
  return [...out];
}

const MISSING = Symbol('missing');

function lookup(vars: Readonly<Record<string, unknown>>, path: string): unknown {
  let cur: unknown = vars;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, key)) return MISSING;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** A variable's text in a prompt: strings as they are, null as nothing, structures as JSON. */
export function varText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The paths a template uses that `vars` does not define. */
export function missingVars(template: string, vars: Readonly<Record<string, unknown>>): string[] {
  return templateVars(template).filter((p) => lookup(vars, p) === MISSING);
}

function where(src: TemplateSource | undefined): string {
  if (!src) return '';
  const parts = [src.file, src.line !== undefined ? `line ${src.line}` : undefined, src.field].filter(
    Boolean,
  );
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * Fills `{{var}}` placeholders from `vars`. A placeholder whose variable is not defined is an INVALID_INPUT
 * error naming it, where the template came from and the variables that are defined: a prompt sent with a
 * literal "{{question}}" in it would cost money and measure nothing.
 */
export function renderTemplate(
  template: string,
  vars: Readonly<Record<string, unknown>>,
  source?: TemplateSource,
): string {
  if (!template.includes('{{')) return template;
  return template.replace(PLACEHOLDER, (whole, escape: string, path: string) => {
    if (escape) return whole.slice(1);
    const v = lookup(vars, path);
    if (v === MISSING) {
      const defined = Object.keys(vars);
      throw new AppError(
        'INVALID_INPUT',
        `Template variable {{${path}}} is not defined${where(source)}; ${
          defined.length ? `defined: ${defined.join(', ')}` : 'no variables are defined'
        }.`,
        { variable: path, defined, ...source },
      );
    }
    return varText(v);
  });
}

/** Renders every string inside a JSON-like value (assertion options may use `{{var}}` anywhere). */
export function renderDeep(
  value: unknown,
  vars: Readonly<Record<string, unknown>>,
  source?: TemplateSource,
): unknown {
  if (typeof value === 'string') return renderTemplate(value, vars, source);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, vars, source));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, vars, source)]));
  return value;
}
