/**
 * @keras-ts/spec: the contract shared by the Keras frontend and every backend: the op set (each
 * op declared once with its attribute schema, shape and dtype rule and gradient), the graph IR
 * with tracing and reverse-mode autodiff, and the Backend interface.
 */
export * from './dtype';
export * from './shape';
export * from './errors';
export * from './ops/registry';
export * as ops from './ops/index';
export { Graph, Sym, trace, withGraph, currentGraph, constantData, type Node } from './graph/graph';
export { grad } from './graph/autodiff';
export { lowerComposites, liveNodes } from './graph/lower';
export * from './backend';
export { KernelRegistry } from './kernels';
export { EagerRunner } from './eager';
export { resolveAxes, resolveAxis, reducedShape } from './ops/axes';
