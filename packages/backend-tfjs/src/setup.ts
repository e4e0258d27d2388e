import * as tf from '@tensorflow/tfjs';
import { defaultWasmPaths } from '#platform';
import type { TfjsBackendName } from './kernel.js';
import { KerasStateError } from '@keras-ts/spec';

let wasmRegistered: Promise<void> | null = null;

/**
 * Registers tfjs' wasm backend, its .wasm files read from `wasmPaths` (a folder URL or path
 * ending in '/'), by default on Node from the installed package's dist/.
 */
function registerWasm(wasmPaths?: string): Promise<void> {
  wasmRegistered ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const paths = wasmPaths ?? defaultWasmPaths();
    if (paths) wasm.setWasmPaths(paths);
  })();
  return wasmRegistered;
}

/** Initializes a tfjs backend (once) and makes it the active one. */
export async function initBackend(name: TfjsBackendName, wasmPaths?: string): Promise<void> {
  if (name === 'wasm') await registerWasm(wasmPaths);
  // WebGPU is a package of its own; webgl comes with @tensorflow/tfjs (browsers only).
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new KerasStateError(`backend-tfjs: tfjs backend '${name}' failed to initialize`);
  // The cpu backend prints an advert for tfjs-node (which cannot be installed here) on first use.
  const b = tf.backend() as unknown as { firstUse?: boolean };
  if (name === 'cpu' && b.firstUse) b.firstUse = false;
}

/**
 * Makes an initialized tfjs backend the active one. tfjs keeps one active backend per process;
 * switching to one already initialized completes synchronously inside tf.setBackend.
 */
export function activate(name: TfjsBackendName): void {
  if (tf.getBackend() === name) return;
  void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new KerasStateError(`backend-tfjs: cannot switch to tfjs backend '${name}' (was it initialized by createTfjsBackend?)`);
}
