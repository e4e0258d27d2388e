/**
 * What the thread pool needs from the platform; `#platform` (the package.json `imports` entry)
 * resolves to ./node.ts under the `node` condition and to ./browser.ts elsewhere.
 */

/** A started worker, as the pool sees it. */
export interface WorkerHandle {
  /** Posts a message (typed arrays over SharedArrayBuffers are shared, not copied). */
  post(message: unknown): void;
  /** Stops the worker. */
  terminate(): void;
}

/** Inside a worker: the messages its creator posts. */
export interface WorkerPort {
  onMessage(listener: (message: unknown) => void): void;
}

/** What a platform file exports. */
export interface Platform {
  /** Threads the platform suggests using: Node's os.availableParallelism(), a browser's navigator.hardwareConcurrency. */
  cpuCount(): number;
  /** Why this thread cannot use worker threads (no SharedArrayBuffer, or Atomics.wait forbidden here), or null if it can. */
  threadsUnavailable(): string | null;
  /** Starts a worker running ../parallel/worker.ts; it must never keep the process alive by itself. */
  startWorker(onError: (error: unknown) => void): WorkerHandle;
  /** The port of the worker this code runs in. */
  workerPort(): WorkerPort;
}
