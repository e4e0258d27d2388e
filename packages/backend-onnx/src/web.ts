/**
 * `@keras-ts/backend-onnx/web`: backend-onnx in a web page, on onnxruntime-web. The same lowering
 * and executables as on Node (`@keras-ts/backend-onnx`, onnxruntime-node), training included; the
 * sessions run in WebAssembly with SIMD (threads when the page is cross-origin isolated), or on
 * WebGPU. Nothing on this path imports Node built-ins or onnxruntime-node.
 *
 * @example
 * import { setBackend } from '@keras-ts/keras';
 * import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
 * // the .wasm files of node_modules/onnxruntime-web/dist/, served by the page's server
 * setBackend(await createOnnxWebBackend({ wasmPaths: '/ort/' }));
 *
 * @module \@keras-ts/backend-onnx/web
 */
import { OnnxBackend } from './backend.js';
import type { OnnxSessionOptions } from './executable.js';
import { loadWebRuntime, type OnnxWebRuntimeOptions } from './runtime-web.js';
import { KerasTypeError } from '@keras-ts/spec';

/**
 * Options of {@link createOnnxWebBackend}: the session options of every compiled graph (as on
 * Node, less `intraOpNumThreads`: a page's threads are `numThreads`) and onnxruntime-web's
 * page-wide settings.
 */
export interface OnnxWebOptions extends Omit<OnnxSessionOptions, 'intraOpNumThreads'>, OnnxWebRuntimeOptions {}

/** Every option, so that one added to OnnxSessionOptions fails typechecking here until it is listed. */
const OPTION_KEYS = {
  spinning: true,
  graphOptimizationLevel: true,
  specializeStableInputs: true,
  minStableElements: true,
  logSeverityLevel: true,
  wasmPaths: true,
  numThreads: true,
  device: true,
} satisfies Record<keyof OnnxWebOptions, true>;
const KEYS: readonly string[] = Object.keys(OPTION_KEYS);

/**
 * Creates backend-onnx on onnxruntime-web (backend name `onnx-web`, or `onnx-webgpu` with
 * `device: 'webgpu'`). Loads onnxruntime-web for the device (`onnxruntime-web/webgpu` only when
 * `device: 'webgpu'`) and applies its page-wide settings.
 * @example
 * const backend = await createOnnxWebBackend({ wasmPaths: '/ort/', numThreads: crossOriginIsolated ? 2 : 1 });
 * setBackend(backend); // @keras-ts/keras
 */
export async function createOnnxWebBackend(options: OnnxWebOptions = {}): Promise<OnnxBackend> {
  for (const key of Object.keys(options)) {
    if (KEYS.includes(key)) continue;
    const hint = key === 'intraOpNumThreads' ? " (in a page threads are set once for onnxruntime-web: use 'numThreads')" : '';
    throw new KerasTypeError(`backend-onnx/web: unknown option '${key}'${hint}; the options are ${KEYS.join(', ')}`);
  }
  const { wasmPaths, numThreads, device, ...session } = options;
  const runtime = await loadWebRuntime({ wasmPaths, numThreads, device });
  return new OnnxBackend(session, runtime);
}

export { OnnxBackend } from './backend.js';
export { OnnxExecutable, type OnnxSessionOptions } from './executable.js';
export { loadWebRuntime, webDeviceUnavailable, type OnnxWebDevice, type OnnxWebRuntimeOptions } from './runtime-web.js';
export type { OrtRuntime, OrtSession, OrtSessionOptions, OrtTensor, OrtDtype } from './runtime.js';
export { lowerGraph, prepareForOnnx, NATIVE_COMPOSITES, loweredOps, hasLowering, type LowerOptions, type Lowered, type IOSpec } from './lower.js';
/** The conformance runner's module convention. */
export { createOnnxWebBackend as createBackend };
