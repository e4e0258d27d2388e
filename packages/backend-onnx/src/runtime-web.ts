/**
 * onnxruntime-web as backend-onnx's runtime (see runtime.ts): the same ONNX Runtime compiled to
 * WebAssembly with SIMD (`onnxruntime-web/wasm`), or with the WebGPU execution provider
 * (`onnxruntime-web/webgpu`, loaded only when asked for). Unlike onnxruntime-node, the threads,
 * the location of the .wasm files and the SIMD check are settings of the whole page (`ort.env`),
 * read once, when the first session starts the WebAssembly module.
 */
import * as ortWasm from 'onnxruntime-web/wasm';
import type { OrtRuntime, OrtSession, OrtTensor } from './runtime.js';
import { KerasNotImplementedError, KerasStateError, KerasValueError } from '@keras-ts/spec';

/** Where onnxruntime-web's sessions run. */
export type OnnxWebDevice = 'wasm' | 'webgpu';

/** The page-wide settings of onnxruntime-web (see {@link OnnxWebOptions}). */
export interface OnnxWebRuntimeOptions {
  /**
   * The URL of the folder that serves onnxruntime-web's `ort-wasm-simd-threaded.wasm` and
   * `ort-wasm-simd-threaded.mjs` (WebGPU: the `.asyncify` pair), ending in '/'; copy them from
   * `node_modules/onnxruntime-web/dist/`. Default: onnxruntime-web's own, next to the
   * bundle that holds it (`new URL('ort-wasm-simd-threaded.wasm', import.meta.url)`).
   */
  readonly wasmPaths?: string;
  /**
   * WebAssembly threads (default: onnxruntime-web's, one thread unless the page is cross-origin
   * isolated, then up to 4). More than 1 needs a cross-origin isolated page
   * (`Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`).
   */
  readonly numThreads?: number;
  /** 'wasm' (default) or 'webgpu' (needs `navigator.gpu` with an adapter). */
  readonly device?: OnnxWebDevice;
}

type OrtModule = typeof ortWasm;

/** The page-wide settings the first backend of each ort module set (they cannot change after). */
const settled = new Map<OrtModule, { wasmPaths?: string; numThreads?: number }>();

interface PageGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { gpu?: { requestAdapter(): Promise<unknown> } };
}

/** Why `device` cannot run here, or null. */
export async function webDeviceUnavailable(device: OnnxWebDevice): Promise<string | null> {
  if (device !== 'webgpu') return null;
  const gpu = (globalThis as PageGlobals).navigator?.gpu;
  if (!gpu) return 'this browser has no WebGPU (navigator.gpu)';
  return (await gpu.requestAdapter()) ? null : 'navigator.gpu.requestAdapter() gave no adapter';
}

function checkSettings(options: OnnxWebRuntimeOptions): void {
  const { numThreads, wasmPaths, device } = options;
  if (device !== undefined && device !== 'wasm' && device !== 'webgpu') {
    throw new KerasValueError(`backend-onnx/web: device must be 'wasm' or 'webgpu', got ${JSON.stringify(device)}`);
  }
  if (numThreads !== undefined) {
    if (!Number.isInteger(numThreads) || numThreads < 1) throw new KerasValueError(`backend-onnx/web: numThreads must be an integer >= 1, got ${numThreads}`);
    if (numThreads > 1 && (globalThis as PageGlobals).crossOriginIsolated !== true) {
      throw new KerasStateError(`backend-onnx/web: numThreads ${numThreads} needs a cross-origin isolated page (serve it with 'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'); this one is not, so onnxruntime-web can only run 1 thread`);
    }
  }
  if (wasmPaths !== undefined && (typeof wasmPaths !== 'string' || !wasmPaths.endsWith('/'))) {
    throw new KerasValueError(`backend-onnx/web: wasmPaths must be the URL of a folder, ending in '/', got ${JSON.stringify(wasmPaths)}`);
  }
}

/**
 * Loads onnxruntime-web for `options.device` and applies the page-wide settings; a second call
 * that asks for other settings than the first one of the same device is an error (onnxruntime-web
 * reads them once).
 */
export async function loadWebRuntime(options: OnnxWebRuntimeOptions = {}): Promise<OrtRuntime> {
  checkSettings(options);
  const device = options.device ?? 'wasm';
  const why = await webDeviceUnavailable(device);
  if (why) throw new KerasNotImplementedError(`backend-onnx/web: device 'webgpu' is not available: ${why}`);
  const ort: OrtModule = device === 'webgpu' ? ((await import('onnxruntime-web/webgpu')) as OrtModule) : ortWasm;
  const wanted = { wasmPaths: options.wasmPaths, numThreads: options.numThreads };
  const before = settled.get(ort);
  if (before) {
    for (const key of ['wasmPaths', 'numThreads'] as const) {
      if (wanted[key] !== undefined && wanted[key] !== before[key]) {
        throw new KerasStateError(`backend-onnx/web: ${key} is ${before[key] === undefined ? "onnxruntime-web's default" : JSON.stringify(before[key])} for this page (set by the first onnx-web backend); onnxruntime-web reads it once, so ${JSON.stringify(wanted[key])} cannot apply`);
      }
    }
  } else {
    if (wanted.wasmPaths !== undefined) ort.env.wasm.wasmPaths = wanted.wasmPaths;
    if (wanted.numThreads !== undefined) ort.env.wasm.numThreads = wanted.numThreads;
    settled.set(ort, wanted);
  }
  const executionProviders = device === 'webgpu' ? ['webgpu', 'wasm'] : ['wasm'];
  return {
    name: 'onnxruntime-web',
    backendName: device === 'webgpu' ? 'onnx-webgpu' : 'onnx-web',
    createSession: async (model, sessionOptions) => (await ort.InferenceSession.create(model, { ...sessionOptions, executionProviders })) as unknown as OrtSession,
    tensor: (dtype, data, dims) => new ort.Tensor(dtype, data, [...dims]) as OrtTensor,
  };
}
