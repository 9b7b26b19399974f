import type { ModelEntry } from '../pricing/catalog';
import { inputCost, type InputCost } from '../pricing/cost';
import type { CountMethod, EncodingId, Tokenizer } from './tokenizer';

export interface TextCount {
  model: string;
  encoding: EncodingId;
  tokens: number;
  method: CountMethod;
  /** The implementation that counted (for exact counts) or the stand-in encoding's (for estimates). */
  counter: string;
  characters: number;
  cost: InputCost;
}

/** Counts `text` for `model` and prices it as one uncached input. */
export function countText(tokenizer: Tokenizer, model: ModelEntry, text: string): TextCount {
  const tokens = tokenizer.count(text, model.countWith);
  return {
    model: model.id,
    encoding: model.countWith,
    tokens,
    method: model.tokenCountMethod,
    counter: tokenizer.id,
    characters: text.length,
    cost: inputCost(model, tokens),
  };
}
