/**
 * `keras.regularizers`: the classes (`L1`, `L2`, `L1L2`, `OrthogonalRegularizer`) and Keras 2's
 * factories `l1(0.01)`, `l2(0.01)`, `l1_l2(l1, l2)` (also `l1L2`).
 * @example new layers.Dense({ units: 8, kernelRegularizer: regularizers.l2(1e-4) })
 * @module
 */
export * from '../regularizers/index.js';
export { l1, l2, l1_l2 } from '../regularizers/factories.js';
