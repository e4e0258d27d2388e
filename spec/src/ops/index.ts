// The spec's op set. Importing this module registers every op; the builders append nodes to
// the graph their tensor inputs belong to.
export * from './source';
export * from './unary';
export * from './binary';
export * from './elementwise';
export * from './reduce';
export * from './shape';
export * from './matmul';
export * from './dims';
export * from './slicing';
export * from './indexing';
export * from './nn';
export * from './conv';
export * from './pool';
export * from './resize';
export { lift, graphOf, scalar, type Operand } from './operand';
export { resolveAxes, resolveAxis, reducedShape } from './axes';
