/**
 * `@keras-ts/spec`: the contract shared by the Keras frontend and every backend: the op set (each
 * op declared once with its attribute schema, shape and dtype rule and gradient), the graph IR
 * with tracing and reverse-mode autodiff, and the Backend interface.
 *
 * @module \@keras-ts/spec
 */
export * from './dtype.js';
export * from './shape.js';
export * from './errors.js';
export * from './ops/registry.js';
/** The op builders: one function per op of the spec (and a few helpers), appending nodes to the graph of their inputs. */
export * as ops from './ops/index.js';
export { Graph, Sym, trace, withGraph, currentGraph, constantData, type Node } from './graph/graph.js';
export { grad } from './graph/autodiff.js';
export { lowerComposites, liveNodes } from './graph/lower.js';
export { GRAPH_PASSES, prepareGraph, fuseEpilogues, reluMask, scaleShift, rebuild, readersOf, isChannelVector, type GraphPass, type NodeRewrite } from './graph/passes/index.js';
export * from './backend.js';
export { KernelRegistry } from './kernels.js';
export { EagerRunner } from './eager.js';
export { resolveAxes, resolveAxis, reducedShape } from './ops/axes.js';
