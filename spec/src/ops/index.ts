// The spec's op set. Importing this module registers every op; the builders append nodes to
// the graph their tensor inputs belong to.
export * from './source.js';
export * from './unary.js';
export * from './binary.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './matmul.js';
export * from './dims.js';
export * from './slicing.js';
export * from './indexing.js';
export * from './nn.js';
export * from './conv.js';
export * from './fused.js';
export * from './pool.js';
export * from './resize.js';
export { lift, graphOf, scalar, type Operand } from './operand.js';
export { resolveAxes, resolveAxis, reducedShape } from './axes.js';
