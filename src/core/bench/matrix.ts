import { AppError } from '../errors';
import { buildPrompt } from '../golden';
import type { Catalog } from '../pricing/catalog';
import { resolveModelRef } from '../providers/modelRef';
import type { BenchCell, BenchConfig } from './types';

const positiveInt = (v: number) => Number.isInteger(v) && v >= 1;

/** Checks a config's shape and numbers; INVALID_INPUT naming the field otherwise. */
export function validateBenchConfig(config: BenchConfig): void {
  const bad = (field: string, message: string) => {
    throw new AppError('INVALID_INPUT', message, { field });
  };
  if (config.variants.length === 0) bad('variants', 'Add at least one prompt variant.');
  if (config.models.length === 0) bad('models', 'Choose at least one model.');
  if (config.golden.cases.length === 0) bad('golden', 'The golden set has no cases.');
  const names = new Set<string>();
  for (const v of config.variants) {
    if (v.name.trim() === '') bad('variants', 'Every variant needs a name.');
    if (names.has(v.name)) bad('variants', `Two variants are named "${v.name}"; names must be unique.`);
    names.add(v.name);
  }
  if (new Set(config.models).size !== config.models.length) bad('models', 'A model is listed twice.');
  if (!positiveInt(config.repeats)) bad('repeats', 'Repeats must be a whole number ≥ 1.');
  if (!positiveInt(config.concurrency)) bad('concurrency', 'Concurrency must be a whole number ≥ 1.');
  if (!positiveInt(config.maxTokens)) bad('maxTokens', 'maxTokens must be a whole number ≥ 1.');
  if (!(config.budgetUsd >= 0) || !Number.isFinite(config.budgetUsd))
    bad('budgetUsd', 'The budget cap must be a finite amount in USD ≥ 0.');
  if (config.temperature !== undefined && !(config.temperature >= 0 && config.temperature <= 2))
    bad('temperature', 'Temperature must be between 0 and 2.');
}

/** The stable id of a cell; parts are URI-escaped so a "/" or "#" in a name cannot collide with another cell. */
export function cellId(variant: string, model: string, caseId: string, repeat: number): string {
  const e = encodeURIComponent;
  return `${e(variant)}/${e(model)}/${e(caseId)}#${repeat}`;
}

/**
 * Expands a config into its cells, variants × models × cases × repeats, in that nesting order, with each
 * variant rendered for each case. Fails with INVALID_INPUT (bad config, undefined template variable) or
 * UNKNOWN_MODEL before anything is sent.
 */
export function expandMatrix(config: BenchConfig, catalog: Catalog): BenchCell[] {
  validateBenchConfig(config);
  const refs = config.models.map((m) => ({ model: m, ref: resolveModelRef(m, catalog) }));
  const cells: BenchCell[] = [];
  for (const v of config.variants) {
    const prompts = config.golden.cases.map((c) => ({
      c,
      prompt: buildPrompt(v.template, config.golden, c, `variant "${v.name}"`),
    }));
    for (const { model, ref } of refs) {
      for (const { c, prompt } of prompts) {
        for (let r = 1; r <= config.repeats; r++) {
          cells.push({
            id: cellId(v.name, model, c.id, r),
            variant: v.name,
            model,
            ref,
            caseId: c.id,
            repeat: r,
            prompt,
          });
        }
      }
    }
  }
  return cells;
}
