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
import type { Backend, Capabilities, Graph } from '@keras-ts/spec';
import { OnnxExecutable, type OnnxSessionOptions } from './executable.js';
import { NATIVE_COMPOSITES, prepareForOnnx } from './lower.js';

/** The onnxruntime backend. */
export class OnnxBackend implements Backend {
  readonly name = 'onnx';
  readonly capabilities: Capabilities = {
    dtypes: ['float32', 'int32', 'bool'],
    training: true,
    fusedKernels: NATIVE_COMPOSITES,
    sync: false,
  };
  private readonly live = new Set<OnnxExecutable>();

  constructor(readonly options: OnnxSessionOptions = {}) {}

  compile(graph: Graph): OnnxExecutable {
    const exe = new OnnxExecutable(prepareForOnnx(graph), this.options);
    this.live.add(exe);
    const dispose = exe.dispose.bind(exe);
    exe.dispose = () => {
      this.live.delete(exe);
      dispose();
    };
    return exe;
  }

  dispose(): void {
    for (const e of [...this.live]) e.dispose();
  }
}

/**
 * Creates the onnxruntime backend; `options` are the session options of every graph it compiles.
 * @example
 * const backend = createOnnxBackend();
 * setBackend(backend); // @keras-ts/keras
 */
export function createOnnxBackend(options: OnnxSessionOptions = {}): OnnxBackend {
  return new OnnxBackend(options);
}

export { OnnxExecutable, type OnnxSessionOptions } from './executable.js';
export { lowerGraph, prepareForOnnx, NATIVE_COMPOSITES, loweredOps, hasLowering, type LowerOptions, type Lowered, type IOSpec } from './lower.js';
export { exportGraphToOnnx, type ExportOptions, type ExportResult } from './export.js';
/** The conformance runner's module convention (`--backend @keras-ts/backend-onnx`). */
export { createOnnxBackend as createBackend };
