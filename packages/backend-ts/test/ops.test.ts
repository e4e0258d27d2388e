import { describeOpCoverage, describeOpSuite, elementwiseFamily } from '@keras-ts/spec/testing';
import { createTsBackend, tsKernels } from '../src/index.js';

const kernels = tsKernels();

describeOpSuite('ts', () => createTsBackend(), {
  kernels: {
    has: (op) => kernels.has(op),
    home: (op) =>
      elementwiseFamily(op)
        ? 'packages/backend-ts/src/kernels/elementwise.ts (one entry in UNARY_OPS, BINARY_OPS or SHAPED_OPS gives the kernel and the fused-loop expression)'
        : "the kernel table of the op's family in packages/backend-ts/src/kernels/ (listed in TABLES of src/index.ts)",
  },
});
describeOpCoverage();
