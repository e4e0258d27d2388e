import { describeOpSuite, elementwiseFamily, type SuiteOptions } from '@keras-ts/spec/testing';
import { createTfjsBackend, tfjsKernels } from '../src/index.js';

// tfjs initializes its backends asynchronously; the suite takes a synchronous factory, so the
// backends are created first (top-level await in an ESM test file).
const cpu = await createTfjsBackend({ backend: 'cpu' });
const wasm = await createTfjsBackend({ backend: 'wasm' });

// No case is skipped: where tfjs' kernels differ from the spec (see README.md, "Where tfjs
// differs"), the kernels here work around them, on both tfjs backends.
const skip: SuiteOptions['skip'] = {};

const registry = tfjsKernels();
const kernels: SuiteOptions['kernels'] = {
  has: (op) => registry.has(op),
  home: (op) =>
    elementwiseFamily(op)
      ? 'packages/backend-tfjs/src/kernels/elementwise.ts (one entry in its UNARY or BINARY table, or a kernel of its own there)'
      : "the kernel table of the op's family in packages/backend-tfjs/src/kernels/ (listed in TABLES of src/index.ts)",
};

describeOpSuite('tfjs-cpu', () => cpu, { skip, kernels });
describeOpSuite('tfjs-wasm', () => wasm, { skip, kernels });
