import type { CostRow } from '../../../../shared/contract';
import type { ModelEntry } from '../../../../core/pricing/catalog';

type Method = CostRow['method'];
type EstimateError = CostRow['estimateError'];

const pct = (n: number) => `${n.toFixed(1)}%`;

/** "error not yet measured", or the measured error of the estimate against provider counts. */
function errorText(error: EstimateError): string {
  if (!error || error.samples === 0) return 'error not yet measured';
  const bias = `${error.meanSignedPctError >= 0 ? '+' : ''}${pct(error.meanSignedPctError)}`;
  return `measured error ±${pct(error.meanAbsPctError)} (bias ${bias}, max ${pct(error.maxAbsPctError)}) over ${error.samples} ${error.samples === 1 ? 'count' : 'counts'}`;
}

/** Where a token count came from, as its tooltip says it. */
export function tokenProvenance(
  method: Method,
  encoding: string,
  counter: string,
  model: Pick<ModelEntry, 'tokenizer'> | undefined,
  error?: EstimateError,
): string {
  switch (method) {
    case 'exact':
      return `exact — ${encoding} via ${counter}`;
    case 'estimate':
      return `≈ estimate — ${encoding} stand-in for the ${model?.tokenizer ?? "model's own"} tokenizer; ${errorText(error)}`;
    case 'provider-reported':
      return `provider-reported — ${counter === `${encoding} stand-in` ? "the provider's token counting API" : counter}`;
  }
}

/** Where a price came from: "catalog: <source> as of <date>". */
export function priceProvenance(model: Pick<ModelEntry, 'source' | 'asOf'>): string {
  return `catalog: ${model.source} as of ${model.asOf}`;
}
