/**
 * The worker pool behind backend-ts' `threads` option. Workers are started lazily, once, the
 * first time a kernel asks for them, and are shared by every backend of the process (a backend
 * with `threads: t` uses t - 1 of them). A large kernel call is split into chunks of rows, about
 * {@link CHUNKS_PER_THREAD} per thread, which the calling thread and the ready workers claim until
 * none is left (./protocol.ts); the calling thread runs the first chunk and waits for the others
 * with Atomics.wait. A call runs on the calling thread alone when the work is below
 * {@link MIN_PARALLEL_WORK}, when no worker is ready yet (workers load their modules in the
 * background; {@link threadsReady} waits for them), when the output is not in shared memory, or
 * when the epilogue cannot be described to a worker.
 */
import { cpuCount, startWorker, threadsUnavailable } from '#platform';
import { KerasStateError } from '@keras-ts/spec';
import type { Epilogue } from '../kernel.js';
import { MIN_GEMM_CHUNK_ROWS } from '../kernels/matmul-core.js';
import type { WorkerHandle } from '../platform/types.js';
import { isShared, SharedArena } from './arena.js';
import { claim, claimWord, COMPLETED, CLAIM, ERROR_BYTES, FAILED, JOB_WORDS, MAX_CHUNKS, readError, SEQ_LIMIT, workOnChunks, type InitMessage, type JobMessage } from './protocol.js';
import { runTask, type LoopSpec, type Task } from './tasks.js';

/**
 * Work (multiply-adds; taps for a depthwise conv; elements written for a pad) below which a call
 * stays on one thread.
 */
export const MIN_PARALLEL_WORK = 1 << 20;
/**
 * Chunks per thread (fewer when the call is small, see below): enough that a thread that starts
 * late (a busy machine) holds nobody up, and that the wait for the last chunk is short.
 */
export const CHUNKS_PER_THREAD = 16;
/** Work of the smallest chunk. */
const MIN_CHUNK_WORK = 1 << 18;

/** Splits kernel calls across threads; what kernels receive as `ctx.parallel`. */
export interface Parallel {
  /** Threads a call may use, the calling one included. */
  readonly threads: number;
  /**
   * Runs rows [0, rows) of `task` split across the threads (chunks aligned to `align` rows),
   * `epilogue` on the finished parts; `work` sizes the call. Returns false, having done
   * nothing, when the call should run on this thread alone.
   */
  run(task: Task, rows: number, align: number, work: number, epilogue?: Epilogue): boolean;
}

interface PoolWorker {
  /** Null when the worker could not be started (`failed` says why). */
  readonly handle: WorkerHandle | null;
  readonly ready: Int32Array;
  failed: string | null;
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly arena = new SharedArena();
  private readonly job = new Int32Array(new SharedArrayBuffer(JOB_WORDS * 4));
  private readonly error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
  private seq = 0;
  private running = false;

  /** Starts workers until there are `n` (one that cannot start is kept as failed, and never used). */
  private grow(n: number): void {
    while (this.workers.length < n) {
      const ready = new Int32Array(new SharedArrayBuffer(4));
      let failed: string | null = null;
      let handle: WorkerHandle | null = null;
      try {
        handle = startWorker((e) => (w.failed = reason(e)));
        const init: InitMessage = { type: 'init', ready, job: this.job, error: this.error };
        handle.post(init);
      } catch (e) {
        failed = reason(e);
      }
      const w: PoolWorker = { handle, ready, failed };
      this.workers.push(w);
    }
  }

  /** The workers, among the first `n`, that are ready to take jobs. */
  private readyWorkers(n: number): PoolWorker[] {
    this.grow(n);
    return this.workers.slice(0, n).filter((w) => w.failed === null && Atomics.load(w.ready, 0) === 1);
  }

  /** Resolves once the first `n` workers have loaded (rejects if one failed to start). */
  async whenReady(n: number): Promise<void> {
    this.grow(n);
    for (;;) {
      const failed = this.workers.slice(0, n).find((w) => w.failed !== null);
      if (failed) throw new KerasStateError(`backend-ts: a worker thread failed to start: ${failed.failed}`);
      if (this.readyWorkers(n).length === n) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  run(threads: number, task: Task, rows: number, align: number, work: number, epilogue?: Epilogue): boolean {
    if (threads < 2 || work < MIN_PARALLEL_WORK || rows < 2 * align || this.running) return false;
    if (!isShared(task.out) || (epilogue && !epilogue.loop)) return false;
    const workers = this.readyWorkers(threads - 1);
    if (workers.length === 0) return false;
    const bounds = chunkBounds(task.kind, rows, align, work, workers.length + 1);
    const chunks = bounds.length - 1;
    this.running = true;
    try {
      this.arena.reset();
      const shared = shareTask(task, this.arena);
      const spec: LoopSpec | null = epilogue?.loop
        ? { ...epilogue.loop, operands: epilogue.loop.operands.map((o) => this.arena.share(o)) }
        : null;
      const job = this.job;
      const seq = (this.seq = (this.seq + 1) % SEQ_LIMIT);
      Atomics.store(job, COMPLETED, 0);
      Atomics.store(job, FAILED, 0);
      // Chunk 0 is claimed for this thread before any worker can claim.
      Atomics.store(job, CLAIM, claimWord(seq, 1));
      const message: JobMessage = { type: 'job', seq, task: shared, epilogue: spec, bounds };
      for (const w of workers) w.handle!.post(message);
      const t0 = Date.now();
      // A failure here is thrown only once the workers are done with the call's memory.
      let failure: unknown = null;
      try {
        runTask(shared, bounds[0], bounds[1], epilogue);
        workOnChunks(job, this.error, seq, chunks, false, (c) => runTask(shared, bounds[c], bounds[c + 1], epilogue));
      } catch (e) {
        failure = e;
        while (claim(job, seq, chunks, false) >= 0) Atomics.add(job, COMPLETED, 1);
      }
      Atomics.add(job, COMPLETED, 1);
      // Chunks a worker claimed take about as long as this thread's: far longer means it died.
      const limit = 30_000 + 20 * (Date.now() - t0);
      for (let done = Atomics.load(job, COMPLETED); done < chunks; done = Atomics.load(job, COMPLETED)) {
        if (Atomics.wait(job, COMPLETED, done, limit) === 'timed-out' && Atomics.load(job, COMPLETED) === done) {
          workers.forEach((w) => (w.failed = `no answer in ${limit} ms`));
          throw new KerasStateError(`backend-ts: a worker thread gave no answer in ${limit} ms (threads: ${threads}); the pool's workers are no longer used`);
        }
      }
      if (failure !== null) throw failure;
      if (Atomics.load(job, FAILED) !== 0) throw new KerasStateError(`backend-ts: a kernel failed on a worker thread: ${readError(this.error)}`);
      splitCalls++;
      return true;
    } finally {
      this.running = false;
    }
  }
}

/**
 * Where a call of `rows` rows (whole `align`s; `work` sizes it) is cut for `threads` threads:
 * chunk c covers rows [bounds[c], bounds[c + 1]). At least two chunks (the first is the calling
 * thread's: a fused kernel counts on it); about {@link CHUNKS_PER_THREAD} per thread, fewer for
 * small calls; a GEMM's chunks have at least {@link MIN_GEMM_CHUNK_ROWS} rows (columns for
 * `gemm-columns`), since each chunk packs an operand again. A multiple of the thread count when
 * there are enough: with few chunks, one thread running one more is a large loss (3 chunks on 2
 * threads run at most 1.5x faster than one; MobileNetV2's 7x7 layers were cut so).
 */
export function chunkBounds(kind: Task['kind'], rows: number, align: number, work: number, threads: number): number[] {
  const units = Math.floor(rows / align);
  const perChunk = kind === 'depthwise' || kind === 'pad' ? 1 : Math.ceil(MIN_GEMM_CHUNK_ROWS / align);
  const most = Math.min(Math.floor(units / perChunk), threads * CHUNKS_PER_THREAD, Math.floor(work / MIN_CHUNK_WORK), MAX_CHUNKS);
  const chunks = Math.max(2, most >= threads ? most - (most % threads) : most);
  const bounds: number[] = [];
  for (let c = 0; c < chunks; c++) bounds.push(Math.floor((units * c) / chunks) * align);
  bounds.push(rows);
  return bounds;
}

/** The task with its operands in shared memory (the output already is). */
function shareTask(task: Task, arena: SharedArena): Task {
  switch (task.kind) {
    case 'gemm':
    case 'gemm-columns':
      return { ...task, a: arena.share(task.a), b: arena.share(task.b) };
    case 'conv':
    case 'depthwise':
      return { ...task, x: arena.share(task.x), w: arena.share(task.w) };
    case 'pad':
      return { ...task, x: arena.share(task.x) };
  }
}

let pool: WorkerPool | null = null;
let splitCalls = 0;

/** How many kernel calls of this process ran split across threads (for tests and benchmarks). */
export function threadedCalls(): number {
  return splitCalls;
}

function thePool(): WorkerPool {
  return (pool ??= new WorkerPool());
}

/** Why threads cannot be used here (see the platform files), or null. */
export function whyNoThreads(): string | null {
  return threadsUnavailable();
}

/** The thread count backend-ts uses by default: the platform's core count where threads work, else 1. */
export function defaultThreads(): number {
  return threadsUnavailable() === null ? Math.max(1, cpuCount()) : 1;
}

/** A {@link Parallel} using up to `threads` threads (null for one thread). */
export function parallelFor(threads: number): Parallel | null {
  if (threads < 2) return null;
  return { threads, run: (task, rows, align, work, epilogue) => thePool().run(threads, task, rows, align, work, epilogue) };
}

/**
 * Resolves once the workers for `threads` threads are loaded (they start on the first large
 * kernel call, or here; until they are ready, kernels run on the calling thread).
 */
export function threadsReady(threads: number): Promise<void> {
  return threads < 2 ? Promise.resolve() : thePool().whenReady(threads - 1);
}
