import { isAppError } from '../errors';
import { getScorer, SCORER_LIST } from '../scorers/registry';
import { checkAssertion } from '../scorers/run';
import type { AssertionSpec } from '../scorers/types';
import { fieldName, fromZod, invalid, rawSet, type RawAssertion, type Where } from './schema';
import type { DataPath } from './structured';
import { missingVars, renderDeep } from './template';
import type { GoldenCase, GoldenFormat, GoldenSet, GoldenWarning } from './types';

/** What an importer hands to fromNative besides the data: where it came from and how to find lines. */
export interface SourceInfo {
  file: string;
  format: GoldenFormat;
  /** Line of a path in the native shape (`['cases', 3, 'assert', 0]`). */
  lineOf: (path: DataPath) => number | undefined;
  /** The field's name in the source, when the native path would confuse its author (a CSV column). */
  fieldOf?: (path: DataPath) => string | undefined;
  warnings?: GoldenWarning[];
}

function toSpec(raw: RawAssertion): AssertionSpec {
  const { type, weight, name, ...options } = raw;
  return { type, weight: weight ?? 1, ...(name !== undefined ? { name } : {}), options };
}

const KNOWN_TYPES = SCORER_LIST.map((s) => s.id).join(', ');

const lineNote = (line: number | undefined) => (line !== undefined ? `, line ${line}` : '');

/** Where a native path is in the source file. */
function place(src: SourceInfo, path: DataPath, fallbackLine?: number): Where {
  return { file: src.file, line: src.lineOf(path) ?? fallbackLine, path, field: src.fieldOf?.(path) };
}

function checkSpec(spec: AssertionSpec, path: DataPath, src: SourceInfo): void {
  const issue = checkAssertion(spec)[0];
  if (!issue) return;
  const at = issue.path[0] === 'type' && !getScorer(spec.type) ? [...path, 'type'] : [...path, ...issue.path];
  const message = getScorer(spec.type)
    ? issue.message
    : `${issue.message}; known types: ${KNOWN_TYPES} (each also as not-<type>)`;
  throw invalid(place(src, at), message);
}

/**
 * Validates data in the native golden-set shape and builds the GoldenSet: field types, assertion types and
 * options (against each scorer's schema), unique case ids, a reference for every assertion that needs one,
 * and every `{{var}}` in messages and assertion options defined for its case. Each error is INVALID_INPUT
 * naming the file, line and field.
 */
export function fromNative(data: unknown, src: SourceInfo): GoldenSet {
  const parsed = rawSet.safeParse(data);
  if (!parsed.success) throw fromZod(parsed.error, (p) => place(src, p));
  const raw = parsed.data;
  if (raw.cases.length === 0) throw invalid(place(src, ['cases']), 'the set has no cases');

  const defaults = {
    vars: raw.defaultTest?.vars ?? {},
    assert: (raw.defaultTest?.assert ?? []).map(toSpec),
    ...(raw.defaultTest?.threshold !== undefined ? { threshold: raw.defaultTest.threshold } : {}),
  };
  defaults.assert.forEach((a, j) => checkSpec(a, ['defaultTest', 'assert', j], src));

  const ids = new Map<string, number>();
  const cases = raw.cases.map((c, i): GoldenCase => {
    const line = src.lineOf(['cases', i]);
    const id = c.id !== undefined ? String(c.id) : `case-${i + 1}`;
    if (ids.has(id)) {
      const first = ids.get(id)!;
      throw invalid(
        place(src, ['cases', i, 'id'], line),
        `case id "${id}" is used twice (first by case ${first + 1}${lineNote(src.lineOf(['cases', first]))})`,
      );
    }
    ids.set(id, i);
    const assert = (c.assert ?? []).map(toSpec);
    assert.forEach((a, j) => checkSpec(a, ['cases', i, 'assert', j], src));
    const gc: GoldenCase = {
      id,
      ...(c.description !== undefined ? { description: c.description } : {}),
      vars: c.vars ?? {},
      ...(c.messages ? { messages: c.messages } : {}),
      ...(c.expected !== undefined ? { expected: c.expected } : {}),
      assert,
      ...(c.threshold !== undefined ? { threshold: c.threshold } : {}),
      ...(c.metadata ? { metadata: c.metadata } : {}),
      ...(line !== undefined ? { line } : {}),
    };
    checkCase(gc, i, defaults.vars, defaults.assert, src);
    return gc;
  });

  return {
    ...(raw.name !== undefined ? { name: raw.name } : {}),
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    defaultTest: defaults,
    cases,
    source: { file: src.file, format: src.format },
    warnings: src.warnings ?? [],
  };
}

/** Checks what depends on the case: its variables cover every template, and each assertion has a reference. */
function checkCase(
  c: GoldenCase,
  i: number,
  defaultVars: Record<string, unknown>,
  defaultAssert: AssertionSpec[],
  src: SourceInfo,
): void {
  const vars = { ...defaultVars, ...c.vars };
  const fail = (path: DataPath, message: string): never => {
    throw invalid(place(src, path, c.line), message, { case: c.id });
  };
  c.messages?.forEach((m, j) => {
    const missing = missingVars(m.content, vars);
    if (missing.length)
      fail(
        ['cases', i, 'messages', j, 'content'],
        `uses {{${missing[0]}}}, which case "${c.id}" does not define`,
      );
  });
  const all: [AssertionSpec, DataPath][] = [
    ...defaultAssert.map((a, j): [AssertionSpec, DataPath] => [a, ['defaultTest', 'assert', j]]),
    ...c.assert.map((a, j): [AssertionSpec, DataPath] => [a, ['cases', i, 'assert', j]]),
  ];
  for (const [a, path] of all) {
    const fromDefaults = path[0] === 'defaultTest';
    try {
      renderDeep(a.options, vars);
    } catch (err) {
      if (!isAppError(err)) throw err;
      const v = String(err.details?.variable);
      fail(
        fromDefaults ? ['cases', i] : path,
        `${fieldName(path)} uses {{${v}}}, which case "${c.id}" does not define`,
      );
    }
    if (getScorer(a.type)?.usesExpected && a.options.value === undefined && c.expected === undefined)
      fail(
        fromDefaults ? ['cases', i] : path,
        `the ${a.type} assertion${fromDefaults ? ' from defaultTest' : ''} has no value and case "${c.id}" has no expected output`,
      );
  }
}
