export * from './errors';
export * from './tokens/tokenizer';
export * from './tokens/count';
export * from './pricing/catalog';
export * from './pricing/cost';
