/**
 * The small interface between backend-onnx and an ONNX Runtime binding: create a session from the
 * model's bytes, run it with named feeds and fetch its outputs, make input tensors, release the
 * session. The lowering, the executables and the backend are the same everywhere; only this part
 * differs between onnxruntime-node (`runtime-node.ts`, Node: native CPU kernels, threads per
 * session) and onnxruntime-web (`runtime-web.ts`, a page: WebAssembly with SIMD, threads set once
 * per page and only when it is cross-origin isolated, optionally WebGPU). Both bindings' sessions
 * are asynchronous, so every executable's `run` is.
 */
import type { DataArray } from '@keras-ts/spec';
import { KerasStateError } from '@keras-ts/spec';

/** The element types the lowered graphs feed and fetch. */
export type OrtDtype = 'float32' | 'int32' | 'bool';

/** A tensor of the binding (an `ort.Tensor` of onnxruntime-node or onnxruntime-web). */
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  readonly type: string;
}

/** A session of the binding (an `ort.InferenceSession`). */
export interface OrtSession {
  /** Runs the model on `feeds` (by input name); resolves to every output by name. */
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  /** Frees the session's native or WebAssembly memory. */
  release(): Promise<void>;
}

/**
 * The session options backend-onnx sets (a subset of onnxruntime-common's `SessionOptions`, which
 * both bindings take). A binding that cannot honour one refuses it when the backend is created.
 */
export interface OrtSessionOptions {
  readonly graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  readonly executionMode: 'sequential' | 'parallel';
  readonly logSeverityLevel: 0 | 1 | 2 | 3 | 4;
  readonly intraOpNumThreads?: number;
  /** Session configuration entries (onnxruntime's `key = value` config, nested by the dots). */
  readonly extra?: Record<string, unknown>;
}

/**
 * An ONNX Runtime binding as backend-onnx uses it.
 * @example
 * // runtime-node.ts, in short:
 * const nodeRuntime: OrtRuntime = {
 *   name: 'onnxruntime-node',
 *   backendName: 'onnx',
 *   createSession: (model, options) => ort.InferenceSession.create(model, options),
 *   tensor: (dtype, data, dims) => new ort.Tensor(dtype, data, [...dims]),
 * };
 */
export interface OrtRuntime {
  /** The binding's package ('onnxruntime-node', 'onnxruntime-web'). */
  readonly name: string;
  /** The name of the keras-ts backend on it ('onnx', 'onnx-web', 'onnx-webgpu'): conformance skip lists go by it. */
  readonly backendName: string;
  /** Creates a session from an encoded ONNX ModelProto. */
  createSession(model: Uint8Array, options: OrtSessionOptions): Promise<OrtSession>;
  /** Makes a tensor of the binding over `data` (not copied where the binding allows). */
  tensor(dtype: OrtDtype, data: DataArray, dims: readonly number[]): OrtTensor;
}

let fallback: OrtRuntime | null = null;

/**
 * Sets the runtime of executables made without one (`new OnnxExecutable(graph)`):
 * `@keras-ts/backend-onnx` sets onnxruntime-node when it is imported.
 */
export function setDefaultRuntime(runtime: OrtRuntime): void {
  fallback = runtime;
}

/** The runtime of executables made without one; an error when no entry set it. */
export function defaultRuntime(): OrtRuntime {
  if (!fallback) {
    throw new KerasStateError("backend-onnx: no ONNX Runtime binding is loaded: import '@keras-ts/backend-onnx' (Node, onnxruntime-node), or in a web page create the backend with createOnnxWebBackend() from '@keras-ts/backend-onnx/web' (onnxruntime-web)");
  }
  return fallback;
}
