/** Conversation histories (issue 7): the model, importers and exporters, policies and the cost simulation. */
export * from './types';
export * from './formats';
export * from './policy';
export * from './simulate';
