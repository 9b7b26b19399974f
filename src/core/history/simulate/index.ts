export { simulate, simulateSync, breakEven } from './simulate';
export type { SimulationInput, SimulationResult, SimulationSeries, SimulationTotals } from './types';
export { requestPricer } from './price';
export { promptCacheSplit, sharedPrefix, minCacheable, type CachedRequest, type CacheSplit } from './cache';
