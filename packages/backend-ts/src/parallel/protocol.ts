/**
 * How the pool (./pool.ts) and its workers (./worker.ts) share a call. Each worker has a READY
 * word (set once its modules are loaded). A call is split into chunks of rows; the calling
 * thread numbers the call (its sequence number), resets the shared job words and posts the job to
 * every ready worker; then every thread claims chunks with a compare-and-swap on CLAIM (the
 * call's number in the high bits, so a worker that reads an old job's message claims nothing,
 * then how many chunks were taken from the back and from the front), runs each, and counts it
 * in COMPLETED; the calling thread waits on COMPLETED with Atomics.wait. The calling thread takes
 * chunks from the front (the first is its own from the start), the workers from the back: on two
 * free cores each thread computes one contiguous half, the same half for every layer of the same
 * size (its rows stay in its own cache), and a thread that is slow to start (a busy machine)
 * holds nobody up: the others take its chunks.
 */
import type { LoopSpec, Task } from './tasks.js';

/** Words of the job control array. */
export const CLAIM = 0;
export const COMPLETED = 1;
export const FAILED = 2;
export const JOB_WORDS = 3;

/** CLAIM holds two chunk counts of this many bits (front, then back above it); a call has at most MAX_CHUNKS chunks. */
export const CHUNK_BITS = 8;
export const MAX_CHUNKS = (1 << CHUNK_BITS) - 1;
/** Where the call's number starts in CLAIM; call numbers wrap at SEQ_LIMIT. */
export const SEQ_SHIFT = 2 * CHUNK_BITS;
export const SEQ_LIMIT = 1 << (31 - SEQ_SHIFT);

/** Bytes of the error message buffer (a length word, then UTF-8). */
export const ERROR_BYTES = 4096;

/** The first message a worker receives. */
export interface InitMessage {
  readonly type: 'init';
  /** The worker's READY word. */
  readonly ready: Int32Array;
  /** The job control words ({@link CLAIM}, ...), shared by the pool's workers. */
  readonly job: Int32Array;
  readonly error: Uint8Array;
}

/** A call: chunk c covers rows [bounds[c], bounds[c + 1]) of `task`. */
export interface JobMessage {
  readonly type: 'job';
  readonly seq: number;
  readonly task: Task;
  readonly epilogue: LoopSpec | null;
  readonly bounds: readonly number[];
}

/** The CLAIM word of call `seq` with `front` chunks taken from the front and none from the back. */
export function claimWord(seq: number, front: number): number {
  return (seq << SEQ_SHIFT) | front;
}

/**
 * Claims the next chunk of call `seq` (of `chunks`) from the front or the back, or returns -1
 * when there is none left.
 */
export function claim(job: Int32Array, seq: number, chunks: number, fromBack: boolean): number {
  const mask = (1 << CHUNK_BITS) - 1;
  for (;;) {
    const v = Atomics.load(job, CLAIM);
    const front = v & mask;
    const back = (v >>> CHUNK_BITS) & mask;
    if (v >>> SEQ_SHIFT !== seq || front + back >= chunks) return -1;
    const next = fromBack ? v + (1 << CHUNK_BITS) : v + 1;
    if (Atomics.compareExchange(job, CLAIM, v, next) === v) return fromBack ? chunks - 1 - back : front;
  }
}

/** Runs `run(c)` for each chunk this thread claims, counting each in COMPLETED; the first failure is recorded. */
export function workOnChunks(job: Int32Array, error: Uint8Array, seq: number, chunks: number, fromBack: boolean, run: (chunk: number) => void): void {
  for (let c = claim(job, seq, chunks, fromBack); c >= 0; c = claim(job, seq, chunks, fromBack)) {
    try {
      run(c);
    } catch (e) {
      if (Atomics.compareExchange(job, FAILED, 0, 1) === 0) writeError(error, e instanceof Error ? (e.stack ?? e.message) : String(e));
    }
    Atomics.add(job, COMPLETED, 1);
    Atomics.notify(job, COMPLETED);
  }
}

/** Writes `message` into an error buffer (truncated to fit). */
export function writeError(buffer: Uint8Array, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, buffer.length - 4);
  new DataView(buffer.buffer, buffer.byteOffset, 4).setInt32(0, bytes.length, true);
  buffer.set(bytes, 4);
}

/** Reads what {@link writeError} wrote. */
export function readError(buffer: Uint8Array): string {
  const n = new DataView(buffer.buffer, buffer.byteOffset, 4).getInt32(0, true);
  // TextDecoder does not read shared memory: copy first.
  return new TextDecoder().decode(buffer.slice(4, 4 + n));
}
