/**
 * `@keras-ts/backend-onnx`: the spec's graphs lowered to ONNX (opset 18) and run by
 * onnxruntime-node on the CPU, training-step graphs included.
 *
 * @example
 * import { createOnnxBackend } from '@keras-ts/backend-onnx';
 * import { trace, ops } from '@keras-ts/spec';
 * const backend = createOnnxBackend();
 * const exe = backend.compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
 * const [y] = await exe.run([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
 *
 * @module \@keras-ts/backend-onnx
 */
import { nodeRuntime } from './runtime-node.js';
import { OnnxBackend } from './backend.js';
import type { OnnxSessionOptions } from './executable.js';

/**
 * Creates the onnxruntime backend; `options` are the session options of every graph it compiles.
 * @example
 * const backend = createOnnxBackend();
 * setBackend(backend); // @keras-ts/keras
 */
export function createOnnxBackend(options: OnnxSessionOptions = {}): OnnxBackend {
  return new OnnxBackend(options, nodeRuntime);
}

export { OnnxBackend } from './backend.js';
export { OnnxExecutable, type OnnxSessionOptions } from './executable.js';
export { nodeRuntime } from './runtime-node.js';
export type { OrtRuntime, OrtSession, OrtSessionOptions, OrtTensor, OrtDtype } from './runtime.js';
export { lowerGraph, prepareForOnnx, NATIVE_COMPOSITES, loweredOps, hasLowering, type LowerOptions, type Lowered, type IOSpec } from './lower.js';
export { exportGraphToOnnx, type ExportOptions, type ExportResult } from './export.js';
/** The conformance runner's module convention (`--backend @keras-ts/backend-onnx`). */
export { createOnnxBackend as createBackend };
