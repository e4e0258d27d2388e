/**
 * The Node side of the package's `#platform` import: worker_threads workers, unref'd so they
 * never keep the process alive. Atomics.wait is allowed on Node's main thread, so every thread
 * can use the pool. platform/browser.ts is the other side.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parentPort, Worker } from 'node:worker_threads';
import type { WorkerHandle, WorkerPort } from './types.js';
import { KerasStateError } from '@keras-ts/spec';

/** os.availableParallelism(): the cores this process may use. */
export function cpuCount(): number {
  return availableParallelism();
}

/** Null when SharedArrayBuffer exists (Node 20 always has it), else why not. */
export function threadsUnavailable(): string | null {
  return typeof SharedArrayBuffer === 'function' ? null : 'SharedArrayBuffer is not available';
}

/**
 * The worker's entry next to this module's build: dist/parallel/worker.js. Run from the
 * TypeScript sources (tests, tsx), the entry is src/parallel/worker.ts: the worker then starts
 * with a small script that registers tsx (the workspace's TypeScript loader; Node 20 does not
 * apply an `--import` of a worker's execArgv before its entry) and imports the entry with the
 * `keras-ts-source` condition.
 */
function spawn(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(`../parallel/worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(url);
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = [
    `import(${JSON.stringify(api)})`,
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`,
    '.catch((e) => { setTimeout(() => { throw e; }); });',
  ].join('');
  return new Worker(boot, { eval: true, execArgv: ['--conditions=keras-ts-source'] });
}

/** Starts a worker thread (unref'd: it never keeps Node alive). */
export function startWorker(onError: (error: unknown) => void): WorkerHandle {
  const worker = spawn();
  worker.unref();
  worker.on('error', onError);
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => void worker.terminate(),
  };
}

/** worker_threads' parentPort. */
export function workerPort(): WorkerPort {
  const port = parentPort;
  if (!port) throw new KerasStateError('backend-ts: parallel/worker runs only as a worker thread');
  return { onMessage: (listener) => port.on('message', listener) };
}
