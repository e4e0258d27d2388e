/**
 * `@keras-ts/spec/testing`: the shared op suite every backend runs: hand-checked forward cases
 * for every op, bad-input errors, and finite-difference checks of every gradient, with the
 * coverage check that fails when an op has no case (vitest).
 *
 * @example
 * import { describeOpCoverage, describeOpSuite } from '@keras-ts/spec/testing';
 * describeOpSuite('mine', () => createMyBackend(), {
 *   skip: { 'case name': 'reason' },
 *   kernels: { has: (op) => myKernels.has(op), home: () => 'src/kernels.ts' },
 * });
 * describeOpCoverage();
 *
 * @module \@keras-ts/spec/testing
 */
export { t, ti, tb, rand, type OpCase, type TensorLit } from './case.js';
export {
  describeOpSuite,
  describeOpCoverage,
  elementwiseFamily,
  expectTensorClose,
  GRAD_CHECK_EXEMPT,
  CASE_EXEMPT,
  KERNEL_EXEMPT,
  type KernelCoverage,
  type SuiteOptions,
} from './suite.js';
export { ALL_CASES } from './cases/index.js';
export { OpCheckFailure } from './failure.js';
export {
  valuesAndGradients,
  expectSameResults,
  randomConvConfigs,
  convWindow,
  convConfigFn,
  convConfigInputs,
  type ConvConfig,
} from './differential.js';
