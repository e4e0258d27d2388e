import { describeOpSuite, type SuiteOptions } from '@keras-ts/spec/testing';
import { createTfjsBackend } from '../src/index.js';

// tfjs initializes its backends asynchronously; the suite takes a synchronous factory, so the
// backends are created first (top-level await in an ESM test file).
const cpu = await createTfjsBackend({ backend: 'cpu' });
const wasm = await createTfjsBackend({ backend: 'wasm' });

// No case is skipped: where tfjs' kernels differ from the spec (see README.md, "Where tfjs
// differs"), the kernels here work around them, on both tfjs backends.
const skip: SuiteOptions['skip'] = {};

describeOpSuite('tfjs-cpu', () => cpu, { skip });
describeOpSuite('tfjs-wasm', () => wasm, { skip });
