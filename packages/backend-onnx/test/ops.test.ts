import { describeOpSuite, elementwiseFamily } from '@keras-ts/spec/testing';
import { createOnnxBackend, hasLowering } from '../src/index.js';

describeOpSuite('onnx', () => createOnnxBackend(), {
  kernels: {
    has: hasLowering,
    home: (op) => {
      const family = elementwiseFamily(op);
      return family
        ? `packages/backend-onnx/src/lowerings/${family}.ts`
        : "the lowering file of the op's family in packages/backend-onnx/src/lowerings/ (as in spec/src/ops, listed in FAMILIES of lowerings/index.ts)";
    },
  },
});
