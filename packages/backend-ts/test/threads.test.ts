/**
 * backend-ts on several threads: large matmul, conv and depthwise-conv calls are split by output
 * rows across worker threads (src/parallel/), each element computed by one thread as on one
 * thread, so the results must be bit-identical to `threads: 1` whatever the thread count; and the
 * split must really happen (counted by the pool).
 */
import { grad, ops, sizeOf, trace, type HostTensor, type Shape, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '../src/index.js';
import { threadedCalls } from '../src/parallel/pool.js';

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
      expect(new Uint32Array(new Float32Array(t.data).buffer), `output ${k}, threads: ${threads}`).toEqual(
        new Uint32Array(new Float32Array(reference[k].data).buffer),
      );
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

  it('keeps small calls on the calling thread', async () => {
    const backend = createTsBackend({ threads: 2 });
    await backend.threadsReady();
    const before = threadedCalls();
    const exe = backend.compile(trace((x, y) => ops.matmul(x, y), [f32([16, 16]), f32([16, 16])]));
    exe.runSync([rand([16, 16], 1), rand([16, 16], 2)]);
    expect(threadedCalls()).toBe(before);
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
});
