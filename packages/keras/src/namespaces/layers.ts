/**
 * `keras.layers`: every layer class, the merge functions (`add`, `concatenate`, ...), `Input`,
 * `InputLayer` and the `Layer` base class.
 * @example const x = layers.Input({ shape: [784] }); const h = new layers.Dense({ units: 64 }).apply(x);
 * @module
 */
export * from '../layers/index.js';
export { Input, InputLayer } from '../engine/input-layer.js';
export { Layer } from '../engine/layer.js';
