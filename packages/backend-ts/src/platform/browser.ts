/**
 * The browser side of the package's `#platform` import: Web Workers (module workers). Atomics.wait
 * is not allowed on a page's main thread, so there the pool is not used and backend-ts runs on one
 * thread; inside a worker (backend-ts run from a Web Worker) it is. SharedArrayBuffer needs a
 * cross-origin isolated page (COOP/COEP headers); without it, one thread. Nothing here imports a
 * Node built-in.
 */
import type { WorkerHandle, WorkerPort } from './types.js';
import { KerasNotImplementedError, KerasStateError } from '@keras-ts/spec';

/** The parts of the browser globals used here (the package compiles without the DOM types). */
interface BrowserGlobals {
  navigator?: { hardwareConcurrency?: number };
  document?: unknown;
  crossOriginIsolated?: boolean;
  Worker?: new (url: URL, options: { type: 'module' }) => {
    postMessage(message: unknown): void;
    terminate(): void;
    addEventListener(type: 'error', listener: (event: unknown) => void): void;
  };
  addEventListener?(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** The global Worker constructor, named as such so that bundlers (Vite, webpack) see the worker entry below. */
declare const Worker: NonNullable<BrowserGlobals['Worker']>;

const g = globalThis as unknown as BrowserGlobals;

/** navigator.hardwareConcurrency (1 when unknown). */
export function cpuCount(): number {
  return Math.max(1, g.navigator?.hardwareConcurrency ?? 1);
}

/** Why worker threads cannot be used here, or null. */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
    return 'SharedArrayBuffer is not available (the page must be cross-origin isolated)';
  }
  if (g.document !== undefined) return "Atomics.wait is not allowed on a browser's main thread (run backend-ts in a Web Worker to use threads)";
  if (typeof g.Worker !== 'function') return 'Web Workers are not available';
  return null;
}

/**
 * Starts a module Web Worker on ../parallel/worker.js, written as `new Worker(new URL(...,
 * import.meta.url))`, the form Vite and webpack bundle as a worker entry of its own. (A bundler
 * that does not, such as esbuild, needs `@keras-ts/backend-ts/dist/parallel/worker.js` served
 * at that URL beside the bundle.)
 */
export function startWorker(onError: (error: unknown) => void): WorkerHandle {
  if (typeof g.Worker !== 'function') throw new KerasNotImplementedError('backend-ts: Web Workers are not available');
  const worker = new Worker(new URL('../parallel/worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('error', onError);
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
  };
}

/** The worker's global scope. */
export function workerPort(): WorkerPort {
  const add = g.addEventListener;
  if (!add) throw new KerasStateError('backend-ts: parallel/worker runs only in a Web Worker');
  return { onMessage: (listener) => add.call(g, 'message', (event) => listener(event.data)) };
}
