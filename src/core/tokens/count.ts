import type { ModelEntry } from '../pricing/catalog';
import { inputCost, type InputCost } from '../pricing/cost';
import type { CountMethod, EncodingId, Tokenizer } from './tokenizer';

export interface TextCount {
  model: string;
  encoding: EncodingId;
  tokens: number;
  method: CountMethod;
  characters: number;
  cost: InputCost;
}

/** Counts `text` for `model` and prices it as one uncached input. */
export function countText(tokenizer: Tokenizer, model: ModelEntry, text: string): TextCount {
  const tokens = tokenizer.count(text, model.tokenizer);
  return {
    model: model.id,
    encoding: model.tokenizer,
    tokens,
    method: model.tokenCountMethod,
    characters: text.length,
    cost: inputCost(model, tokens),
  };
}
