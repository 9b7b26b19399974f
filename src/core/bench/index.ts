export * from './types';
export * from './matrix';
export * from './estimate';
export * from './budget';
export * from './stats';
export * from './report';
export * from './exportReport';
export * from './compare';
