import { AppError } from '../errors';
import type { PromptParts } from '../golden';
import { requestCost } from '../pricing/requestCost';
import type { ModelRef } from '../providers/modelRef';
import type { BenchCell } from './types';

/**
 * Counts a prompt's input tokens for a model (the host picks the tokenizer or count endpoint per model). It
 * says how it counted, for the estimate's "where the number came from".
 */
export interface InputCounter {
  count(ref: ModelRef, prompt: PromptParts): number;
  /** E.g. "o200k_base (exact)" or "4 characters per token (estimate)". */
  method(ref: ModelRef): string;
}

/** The estimate of one model's share of a run. */
export interface ModelEstimate {
  model: string;
  cells: number;
  inputTokens: number;
  outputTokens: number;
  usd: number;
  /** How input tokens were counted for this model. */
  inputMethod: string;
}

/** A run's worst-case cost before it starts. */
export interface RunEstimate {
  cells: number;
  inputTokens: number;
  /** maxTokens per cell: the most the models may produce. */
  outputTokens: number;
  /** Input priced at catalog prices plus maxTokens of output per cell, in USD: an upper bound for the answers. */
  usd: number;
  perModel: ModelEstimate[];
  /** Each cell's worst-case cost, by cell id: what the budget guard reserves before sending it. */
  perCell: Map<string, number>;
  /** Where the numbers come from. */
  method: string;
}

/**
 * The worst-case cost of sending `cells`: input tokens from `counter`, output at `maxTokens`, priced with the
 * catalog entry of each model (uncached input price; long-context tiers applied). A model without a catalog
 * price fails with NO_PRICE: a budget cap cannot be kept with a price nobody knows.
 */
export function estimateRun(
  cells: readonly BenchCell[],
  maxTokens: number,
  counter: InputCounter,
  options: { batch?: boolean } = {},
): RunEstimate {
  const batch = options.batch === true;
  const perCell = new Map<string, number>();
  const models = new Map<string, ModelEstimate>();
  // the same prompt goes to a model once per repeat: count it once
  const counted = new Map<PromptParts, Map<string, number>>();
  let inputTokens = 0;
  let usd = 0;
  for (const cell of cells) {
    const entry = cell.ref.entry;
    let byModel = counted.get(cell.prompt);
    if (!byModel) counted.set(cell.prompt, (byModel = new Map()));
    let tokens = byModel.get(cell.model);
    if (tokens === undefined) byModel.set(cell.model, (tokens = counter.count(cell.ref, cell.prompt)));
    const cost = entry
      ? requestCost(entry, { inputTokens: tokens, outputTokens: maxTokens }, { batch }).totalUsd
      : null;
    if (cost === null)
      throw new AppError(
        'NO_PRICE',
        batch
          ? `${cell.model} has no catalog batch price, so the budget cap cannot be enforced for a batch run. Run it without batch mode, or add a batch price in the catalog.`
          : `${cell.model} has no catalog price, so the budget cap cannot be enforced. Add a price in the catalog or choose a priced model.`,
        { model: cell.model, ...(batch ? { batch } : {}) },
      );
    perCell.set(cell.id, cost);
    inputTokens += tokens;
    usd += cost;
    let m = models.get(cell.model);
    if (!m)
      models.set(
        cell.model,
        (m = {
          model: cell.model,
          cells: 0,
          inputTokens: 0,
          outputTokens: 0,
          usd: 0,
          inputMethod: counter.method(cell.ref),
        }),
      );
    m.cells++;
    m.inputTokens += tokens;
    m.outputTokens += maxTokens;
    m.usd += cost;
  }
  return {
    cells: cells.length,
    inputTokens,
    outputTokens: cells.length * maxTokens,
    usd,
    perModel: [...models.values()],
    perCell,
    method: `input counted with each model's tokenizer, output at maxTokens=${maxTokens} per cell (worst case), priced at catalog ${batch ? 'batch (half) ' : ''}input/output prices without prompt-cache discounts; judge calls not included`,
  };
}

const usd = (v: number) => `$${v.toFixed(v < 1 ? 4 : 2)}`;

/** BUDGET_EXCEEDED when the estimate is above the cap: the run must not start. */
export function assertWithinBudget(estimate: RunEstimate, capUsd: number): void {
  if (estimate.usd > capUsd)
    throw new AppError(
      'BUDGET_EXCEEDED',
      `This run may cost up to ${usd(estimate.usd)} (${estimate.cells} requests), above the ${usd(capUsd)} budget cap. Raise the cap, lower maxTokens, or run fewer variants, models, cases or repeats.`,
      { estimateUsd: estimate.usd, capUsd, cells: estimate.cells },
    );
}
