export { t, ti, tb, rand, type OpCase, type TensorLit } from './case.js';
export { describeOpSuite, describeOpCoverage, expectTensorClose, GRAD_CHECK_EXEMPT, CASE_EXEMPT, type SuiteOptions } from './suite.js';
export { ALL_CASES } from './cases/index.js';
