/**
 * backend-ts on several threads: large matmul, conv and depthwise-conv calls are split by output
 * rows across worker threads (src/parallel/), each element computed by one thread as on one
 * thread, so the results must be bit-identical to `threads: 1` whatever the thread count; and the
 * split must really happen (counted by the pool). A kernel that fails on a worker or on the
 * calling thread fails the call with its error, and the pool keeps working.
 */
import { grad, ops, sizeOf, trace, type HostTensor, type Shape, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '../src/index.js';
import type { Epilogue } from '../src/kernel.js';
import { rowAlignment } from '../src/kernels/matmul-core.js';
import { chunkBounds, parallelFor, threadedCalls, threadsReady } from '../src/parallel/pool.js';
import type { GemmTask } from '../src/parallel/tasks.js';

function rand(shape: Shape, seed: number): HostTensor {
  let s = seed >>> 0;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 4294967296 - 0.5;
  }
  return { shape, dtype: 'float32', data };
}

const f32 = (shape: Shape) => ({ shape, dtype: 'float32' as const });

/** Runs `f` on `inputs` with each thread count; every result must have the bits of threads: 1. */
async function sameBitsAcrossThreads(f: (...xs: Sym[]) => Sym | Sym[], inputs: HostTensor[], counts = [2, 3, 4]): Promise<void> {
  const graph = trace(f, inputs.map((t) => f32(t.shape)));
  const reference = createTsBackend({ threads: 1 }).compile(graph).runSync(inputs);
  for (const threads of counts) {
    const backend = createTsBackend({ threads });
    await backend.threadsReady();
    const before = threadedCalls();
    const got = backend.compile(graph).runSync(inputs);
    expect(threadedCalls(), `threads: ${threads} split no call`).toBeGreaterThan(before);
    got.forEach((t, k) => {
      expect(t.shape).toEqual(reference[k].shape);
      // The first element whose bits differ (a plain loop: toEqual on millions of elements takes seconds).
      const bits = new Uint32Array(new Float32Array(t.data).buffer);
      const want = new Uint32Array(new Float32Array(reference[k].data).buffer);
      const differs = bits.length !== want.length ? 0 : bits.findIndex((v, i) => v !== want[i]);
      expect(differs, `output ${k}, threads: ${threads}: element ${differs} has other bits`).toBe(-1);
    });
  }
}

describe('backend-ts threads', () => {
  it('splits a large matmul (all transposes, a batch, an epilogue) with the bits of one thread', async () => {
    const a = rand([2, 130, 400], 1);
    const b = rand([2, 400, 70], 2);
    const bias = rand([70], 3);
    await sameBitsAcrossThreads((x, y, z) => ops.relu(ops.add(ops.matmul(x, y), z)), [a, b, bias]);
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y, true, true), [rand([500, 129], 4), rand([67, 500], 5)]);
    // Several matrices of M % 3 === 0 rows, split inside matrices (in blocks of 63 rows).
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y), [rand([3, 255, 64], 10), rand([3, 64, 40], 11)]);
  });

  it('splits a product with few rows by columns (a dense layer on a small batch) with the bits of one thread', async () => {
    const bias = rand([1003], 14);
    await sameBitsAcrossThreads((x, y, z) => ops.relu(ops.add(ops.matmul(x, y), z)), [rand([8, 1280], 12), rand([1280, 1003], 13), bias]);
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y, true, true), [rand([300, 5], 15), rand([998, 300], 16)]);
    // Two matrices of 100 rows against one B (planned as one product of 200 rows), and a batch of products.
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y), [rand([2, 100, 96], 17), rand([96, 515], 18)]);
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y), [rand([3, 31, 96], 19), rand([3, 96, 410], 20)]);
  });

  it('splits convolutions, their gradients and depthwise convolutions with the bits of one thread', async () => {
    const x = rand([2, 33, 31, 16], 6);
    const w = rand([3, 3, 16, 24], 7);
    const dw = rand([3, 3, 16, 1], 8);
    const scale = rand([24], 9);
    await sameBitsAcrossThreads(
      (xi, wi, di, si) => {
        const y = ops.relu(ops.mul(ops.conv(xi, wi, { strides: [1, 1], padding: 'same' }), si));
        const d = ops.relu(ops.depthwiseConv(xi, di, { strides: [2, 2], padding: 'same' }));
        return [y, d];
      },
      [x, w, dw, scale],
    );
    await sameBitsAcrossThreads(
      (xi, wi) => {
        const loss = ops.sum(ops.square(ops.conv(xi, wi, { strides: [1, 1], padding: 'same' })));
        return grad([loss], [xi, wi]);
      },
      [x, w],
      [2],
    );
  });

  it('splits a zero-padding of images (the first axis not padded) with the bits of one thread', async () => {
    const x = rand([8, 60, 57, 40], 25);
    const dw = rand([3, 3, 40, 1], 26);
    await sameBitsAcrossThreads(
      (xi, di) => {
        const p = ops.pad(xi, [[0, 0], [0, 1], [1, 1], [0, 0]]);
        return [p, ops.depthwiseConv(p, di, { strides: [2, 2], padding: 'valid' })];
      },
      [x, dw],
    );
    await sameBitsAcrossThreads((xi) => ops.pad(xi, [[0, 0], [2, 0], [0, 0], [1, 3]], -1.5), [x], [2]);
  });

  it('keeps small calls on the calling thread', async () => {
    const backend = createTsBackend({ threads: 2 });
    await backend.threadsReady();
    const before = threadedCalls();
    const exe = backend.compile(trace((x, y) => ops.matmul(x, y), [f32([16, 16]), f32([16, 16])]));
    exe.runSync([rand([16, 16], 1), rand([16, 16], 2)]);
    expect(threadedCalls()).toBe(before);
  });

  it('cuts a call into whole alignments, a multiple of the thread count when it can', () => {
    const sizes = (b: number[]) => b.slice(1).map((e, c) => e - b[c]);
    // MobileNetV2 a0.35 b8's 7x7 layers: 392 rows of a GEMM at least 126 rows a chunk (was 3 chunks on 2 threads).
    expect(sizes(chunkBounds('gemm', 392, 3, 56_197_120, 2))).toEqual([195, 197]);
    expect(sizes(chunkBounds('conv', 392, 3, 56_197_120, 3))).toEqual([129, 129, 134]);
    // Its 14x14 depthwise convs: 112 rows, the work allows 7 chunks -> 6.
    expect(sizes(chunkBounds('depthwise', 112, 1, 2_032_128, 2))).toEqual([18, 19, 19, 18, 19, 19]);
    // Large calls: 16 chunks a thread, whole 63-row blocks, the remainder in the last.
    const big = chunkBounds('gemm', 100_352, 63, 43_352_064, 2);
    expect(big.length - 1).toBe(32);
    expect(big.slice(0, -1).every((r) => r % 63 === 0)).toBe(true);
    expect(big.at(-1)).toBe(100_352);
    // MobileNetV2's dense layer, 8x1280x1000, by columns: chunks of at least 126 columns, in whole 4-column tiles.
    expect(sizes(chunkBounds('gemm-columns', 1000, 4, 10_240_000, 2))).toEqual([164, 168, 168, 164, 168, 168]);
    // Fewer possible chunks than threads: still two.
    expect(chunkBounds('gemm', 8, 3, 10_240_000, 4)).toEqual([0, 3, 8]);
  });

  it('rejects a thread count that is not a whole number >= 1', () => {
    expect(() => createTsBackend({ threads: 0 })).toThrow(/'threads' must be a whole number >= 1 \(1 = no worker threads\), got 0/);
    expect(() => createTsBackend({ threads: 1.5 })).toThrow(/got 1\.5/);
    expect(createTsBackend({ threads: 1 }).options.threads).toBe(1);
  });

  it('takes its default from KERAS_TS_THREADS', () => {
    const saved = process.env.KERAS_TS_THREADS;
    try {
      process.env.KERAS_TS_THREADS = '3';
      expect(createTsBackend().options.threads).toBe(3);
      expect(createTsBackend({ threads: 1 }).options.threads).toBe(1);
      process.env.KERAS_TS_THREADS = 'two';
      expect(() => createTsBackend()).toThrow(/KERAS_TS_THREADS \('two'\) must be a whole number >= 1/);
    } finally {
      if (saved === undefined) delete process.env.KERAS_TS_THREADS;
      else process.env.KERAS_TS_THREADS = saved;
    }
  });

  /**
   * A 512x64x64 product split into chunks, its epilogue given to the workers as a loop whose
   * source `workerSource` is (see ../src/fusion.ts loopFromSource); the calling thread's
   * epilogue is `onCaller`. Every loop sees a shared word, `flag`, as its first operand.
   */
  function splitProduct(workerSource: string, onCaller: (start: number, end: number) => void) {
    const [M, N, K] = [512, 64, 64];
    const shared = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
    const a = rand([M, K], 21).data as Float32Array;
    const b = rand([K, N], 22).data as Float32Array;
    const out = shared(M * N);
    const flag = shared(1);
    const task: GemmTask = { kind: 'gemm', a, b, out, batch: 1, M, N, K, transA: false, transB: false, aStride: 0, bStride: 0 };
    const epilogue: Epilogue = Object.assign(onCaller, { loop: { source: workerSource, L: 1, tables: [], operands: [flag] } });
    return { run: () => parallelFor(2)!.run(task, M, rowAlignment(M), M * N * K, epilogue), flag: new Int32Array(flag.buffer) };
  }

  /** Waits (up to 20 s) until a worker has set the shared word. */
  function waitForWorker(flag: Int32Array): void {
    const deadline = Date.now() + 20_000;
    while (Atomics.load(flag, 0) === 0 && Date.now() < deadline) Atomics.wait(flag, 0, 0, 5);
    expect(Atomics.load(flag, 0), 'no worker took a chunk').not.toBe(0);
  }

  /** A 300x200x100 product on 2 threads has the bits of one thread (the pool still works). */
  async function poolStillWorks(): Promise<void> {
    await sameBitsAcrossThreads((x, y) => ops.matmul(x, y), [rand([300, 100], 23), rand([100, 200], 24)], [2]);
  }

  it('reports a kernel failure on a worker thread, and the pool keeps working', async () => {
    await threadsReady(2);
    // Each worker chunk marks the flag, then fails; the calling thread waits for that before its own rows end.
    const { run, flag } = splitProduct(
      'return (out, args) => { args[1][0] = 1; throw new RangeError("epilogue failed on a worker"); };',
      () => waitForWorker(flag),
    );
    expect(run).toThrow(/backend-ts: a kernel failed on a worker thread: RangeError: epilogue failed on a worker/);
    await poolStillWorks();
  });

  it('throws a failure of the calling thread once the workers are done with the call', async () => {
    await threadsReady(2);
    const { run, flag } = splitProduct('return (out, args) => { args[1][0] = 1; };', () => {
      waitForWorker(flag);
      throw new RangeError('epilogue failed on the calling thread');
    });
    expect(run).toThrow(/^epilogue failed on the calling thread$/);
    await poolStillWorks();
  });
});
