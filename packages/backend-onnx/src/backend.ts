/**
 * The backend class, on any ONNX Runtime binding: `@keras-ts/backend-onnx` makes it on
 * onnxruntime-node, `@keras-ts/backend-onnx/web` on onnxruntime-web.
 */
import type { Backend, Capabilities, Graph } from '@keras-ts/spec';
import { OnnxExecutable, type OnnxSessionOptions } from './executable.js';
import { NATIVE_COMPOSITES, prepareForOnnx } from './lower.js';
import { defaultRuntime, type OrtRuntime } from './runtime.js';

/**
 * The onnxruntime backend: graphs lowered to ONNX and run by `runtime` (default onnxruntime-node,
 * which `@keras-ts/backend-onnx` loads). Its name is the runtime's (`onnx`, `onnx-web`).
 * @example
 * import { OnnxBackend } from '@keras-ts/backend-onnx';
 * const backend = new OnnxBackend({ intraOpNumThreads: 1 });
 */
export class OnnxBackend implements Backend {
  readonly name: string;
  readonly capabilities: Capabilities = {
    dtypes: ['float32', 'int32', 'bool'],
    training: true,
    fusedKernels: NATIVE_COMPOSITES,
    sync: false,
  };
  private readonly live = new Set<OnnxExecutable>();

  constructor(
    readonly options: OnnxSessionOptions = {},
    /** The ONNX Runtime binding its sessions run on. */
    readonly runtime: OrtRuntime = defaultRuntime(),
  ) {
    this.name = runtime.backendName;
  }

  compile(graph: Graph): OnnxExecutable {
    const exe = new OnnxExecutable(prepareForOnnx(graph), this.options, this.runtime);
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
