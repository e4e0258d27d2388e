export { t, ti, tb, rand, type OpCase, type TensorLit } from './case';
export { describeOpSuite, describeOpCoverage, expectTensorClose, GRAD_CHECK_EXEMPT, CASE_EXEMPT, type SuiteOptions } from './suite';
export { ALL_CASES } from './cases/index';
