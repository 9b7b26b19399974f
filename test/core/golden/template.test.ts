import { describe, expect, it } from 'vitest';
import { escapeTemplate, missingVars, renderTemplate, templateVars } from '../../../src/core/golden';
import { isAppError } from '../../../src/core/errors';

describe('renderTemplate', () => {
  it('fills {{var}} and {{ var }}, dotted paths, numbers and structures', () => {
    const vars = { q: 'Why?', n: 3, user: { name: 'Ana' }, list: [1, 2], none: null };
    expect(renderTemplate('Q: {{q}} x{{ n }} {{user.name}} {{list}} [{{none}}]', vars)).toBe(
      'Q: Why? x3 Ana [1,2] []',
    );
  });

  it('inserts values literally: a value containing {{x}} is not rendered again', () => {
    expect(renderTemplate('{{a}}', { a: '{{b}}', b: 'no' })).toBe('{{b}}');
  });

  it('leaves non-identifier braces (Handlebars blocks, code) as written', () => {
    const t = 'Use {{#each items}} and {{ 1 + 2 }} and {"a": {"b": 1}}';
    expect(renderTemplate(t, {})).toBe(t);
  });

  it('writes \\{{name}} as a literal {{name}}', () => {
    expect(renderTemplate('\\{{name}} = {{name}}', { name: 'x' })).toBe('{{name}} = x');
  });

  it('names the missing variable, where the template came from, and what is defined', () => {
    try {
      renderTemplate(
        'Hi {{ user.name }}, {{q}}',
        { q: 1, user: {} },
        { file: 'g.yaml', line: 4, field: 'variant "v2"' },
      );
      expect.unreachable();
    } catch (err) {
      expect(isAppError(err) && err.code).toBe('INVALID_INPUT');
      expect((err as Error).message).toBe(
        'Template variable {{user.name}} is not defined (g.yaml, line 4, variant "v2"); defined: q, user.',
      );
      expect(isAppError(err) && err.details).toMatchObject({
        variable: 'user.name',
        defined: ['q', 'user'],
        line: 4,
      });
    }
    expect(() => renderTemplate('{{x}}', {})).toThrow(
      'Template variable {{x}} is not defined; no variables are defined.',
    );
  });

  it('does not treat inherited properties as variables', () => {
    expect(() => renderTemplate('{{toString}}', {})).toThrow(/not defined/);
  });

  it('lists and checks the variables a template uses', () => {
    expect(templateVars('{{a}} {{b.c}} {{a}} \\{{d}}')).toEqual(['a', 'b.c']);
    expect(missingVars('{{a}} {{b.c}}', { a: 1, b: { d: 2 } })).toEqual(['b.c']);
  });

  it('escapeTemplate makes data render back to exactly itself', () => {
    for (const text of ['plain', 'Hello {{name}}!', 'already \\{{x}} escaped', '{{ #if }} {{a.b}}']) {
      expect(renderTemplate(escapeTemplate(text), {})).toBe(text);
    }
  });
});
