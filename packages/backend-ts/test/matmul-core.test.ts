import { describe, it, expect } from 'vitest';
import { matmulF32 } from '../src/kernels/matmul-core.js';

/** Deterministic PRNG (mulberry32) so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomArray(n: number, rand: () => number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rand() * 2 - 1;
  return x;
}

interface Case {
  batch: number; M: number; N: number; K: number;
  transA: boolean; transB: boolean; aStride: number; bStride: number;
}

/** Naive triple loop in float64. */
function reference(a: Float32Array, b: Float32Array, c: Case): Float64Array {
  const { batch, M, N, K, transA, transB, aStride, bStride } = c;
  const out = new Float64Array(batch * M * N);
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const av = a[t * aStride + (transA ? k * M + i : i * K + k)];
          const bv = b[t * bStride + (transB ? j * K + k : k * N + j)];
          s += av * bv;
        }
        out[t * M * N + i * N + j] = s;
      }
    }
  }
  return out;
}

/** Runs matmulF32 on fresh random inputs and compares with the reference (1e-4 relative). */
function check(c: Case, seed: number): void {
  const rand = rng(seed);
  const aLen = Math.max(0, (c.batch - 1) * c.aStride + c.M * c.K);
  const bLen = Math.max(0, (c.batch - 1) * c.bStride + c.K * c.N);
  const a = randomArray(aLen, rand);
  const b = randomArray(bLen, rand);
  const out = new Float32Array(c.batch * c.M * c.N).fill(Number.NaN); // must be fully overwritten
  matmulF32(a, b, out, c.batch, c.M, c.N, c.K, c.transA, c.transB, c.aStride, c.bStride);
  const ref = reference(a, b, c);
  // Scale for the relative tolerance: sum_k |a||b| bounds the cancellation error.
  const scale = Math.max(1, Math.sqrt(c.K));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(out[i] - ref[i]) / (Math.abs(ref[i]) + scale);
    if (!(err <= worst)) { worst = err; worstAt = i; }
  }
  if (!(worst <= 1e-4)) {
    throw new Error(`mismatch for ${JSON.stringify(c)} at ${worstAt}: got ${out[worstAt]}, want ${ref[worstAt]} (rel ${worst})`);
  }
  expect(worst).toBeLessThanOrEqual(1e-4);
}

const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

describe('matmulF32', () => {
  it('computes a known 2x3 @ 3x2 product exactly', () => {
    const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float32Array.from([7, 8, 9, 10, 11, 12]);
    const out = new Float32Array(4);
    matmulF32(a, b, out, 1, 2, 2, 3, false, false, 0, 0);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
  });

  it('handles every transpose combination on a known product (packed path)', () => {
    // A (5x6), B (6x7) with small integers: results are exact in float32.
    const M = 5, N = 7, K = 6;
    const A = Float32Array.from({ length: M * K }, (_, i) => (i % 7) - 3);
    const B = Float32Array.from({ length: K * N }, (_, i) => (i % 5) - 2);
    const AT = new Float32Array(K * M);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) AT[k * M + i] = A[i * K + k];
    const BT = new Float32Array(N * K);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) BT[j * K + k] = B[k * N + j];
    const want = reference(A, B, { batch: 1, M, N, K, transA: false, transB: false, aStride: 0, bStride: 0 });
    for (const [tA, tB] of TRANSPOSES) {
      const out = new Float32Array(M * N);
      matmulF32(tA ? AT : A, tB ? BT : B, out, 1, M, N, K, tA, tB, 0, 0);
      expect(Array.from(out)).toEqual(Array.from(want));
    }
  });

  it('handles zero-sized dimensions', () => {
    for (const [tA, tB] of TRANSPOSES) {
      // K = 0: output is all zeros (overwriting garbage).
      const out = new Float32Array(12).fill(7);
      matmulF32(new Float32Array(0), new Float32Array(0), out, 2, 2, 3, 0, tA, tB, 0, 0);
      expect(Array.from(out)).toEqual(new Array(12).fill(0));
      // M = 0 / N = 0 / batch = 0: nothing to write, must not throw.
      matmulF32(new Float32Array(0), new Float32Array(15), new Float32Array(0), 1, 0, 3, 5, tA, tB, 0, 0);
      matmulF32(new Float32Array(10), new Float32Array(0), new Float32Array(0), 1, 2, 0, 5, tA, tB, 0, 0);
      matmulF32(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, 4, 4, 4, tA, tB, 16, 16);
    }
  });

  it('matches the naive product for small and edge shapes, all transposes', () => {
    const dims = [1, 2, 3, 4, 5, 7, 8, 9];
    let seed = 1;
    for (const [tA, tB] of TRANSPOSES) {
      for (const M of dims) for (const N of dims) for (const K of [1, 3, 4, 6]) {
        check({ batch: 1, M, N, K, transA: tA, transB: tB, aStride: 0, bStride: 0 }, seed++);
      }
    }
  });

  it('matches the naive product across K blocks and M/N blocks (sizes not multiple of the tile)', () => {
    const shapes: [number, number, number][] = [
      [17, 13, 383], [17, 13, 384], [17, 13, 385], [33, 5, 800], [9, 8, 1200], [70, 66, 129],
      [67, 130, 300], [4, 4, 513], [129, 4, 64], [4, 131, 64], [65, 65, 65],
      [1, 300, 270], [300, 1, 270], [3, 257, 33], [257, 2, 33], [2, 2, 1000],
      [5, 2100, 3], // N > NC (1024): several N blocks
    ];
    let seed = 1000;
    for (const [M, N, K] of shapes) {
      for (const [tA, tB] of TRANSPOSES) {
        check({ batch: 1, M, N, K, transA: tA, transB: tB, aStride: 0, bStride: 0 }, seed++);
      }
    }
  });

  it('matches the naive product for random shapes including 0 and 1 sizes', () => {
    const rand = rng(42);
    const dims = [0, 1, 1, 2, 3, 4, 5, 7, 8, 11, 16, 31, 33, 64, 65, 100];
    const pick = () => dims[Math.floor(rand() * dims.length)];
    for (let t = 0; t < 250; t++) {
      const M = pick(), N = pick(), K = pick() + (rand() < 0.1 ? 400 : 0);
      const batch = 1 + Math.floor(rand() * 3);
      const transA = rand() < 0.5, transB = rand() < 0.5;
      const aStride = rand() < 0.25 ? 0 : M * K;
      const bStride = rand() < 0.25 ? 0 : K * N;
      check({ batch, M, N, K, transA, transB, aStride, bStride }, 5000 + t);
    }
  });

  it('supports batches with broadcast (stride 0) on either side and padded strides', () => {
    let seed = 9000;
    for (const [tA, tB] of TRANSPOSES) {
      for (const [M, N, K] of [[5, 6, 7], [12, 9, 40], [1, 8, 8], [8, 1, 8], [3, 3, 3]] as [number, number, number][]) {
        const batch = 3;
        check({ batch, M, N, K, transA: tA, transB: tB, aStride: M * K, bStride: K * N }, seed++);
        check({ batch, M, N, K, transA: tA, transB: tB, aStride: 0, bStride: K * N }, seed++);
        check({ batch, M, N, K, transA: tA, transB: tB, aStride: M * K, bStride: 0 }, seed++);
        check({ batch, M, N, K, transA: tA, transB: tB, aStride: 0, bStride: 0 }, seed++);
        // Batch matrices that are not packed back to back.
        check({ batch, M, N, K, transA: tA, transB: tB, aStride: M * K + 3, bStride: K * N + 5 }, seed++);
      }
    }
  });

  it('does not read past the operands when given subarray views', () => {
    const rand = rng(7);
    const big = randomArray(1000, rand);
    const a = big.subarray(10, 10 + 6 * 9);
    const b = big.subarray(100, 100 + 9 * 10);
    const out = new Float32Array(60);
    matmulF32(a, b, out, 1, 6, 10, 9, false, false, 0, 0);
    const ref = reference(a, b, { batch: 1, M: 6, N: 10, K: 9, transA: false, transB: false, aStride: 0, bStride: 0 });
    for (let i = 0; i < 60; i++) expect(out[i]).toBeCloseTo(ref[i], 4);
  });

  it('rejects operands that are too small', () => {
    expect(() => matmulF32(new Float32Array(5), new Float32Array(6), new Float32Array(4), 1, 2, 2, 3, false, false, 0, 0)).toThrow(RangeError);
    expect(() => matmulF32(new Float32Array(6), new Float32Array(6), new Float32Array(3), 1, 2, 2, 3, false, false, 0, 0)).toThrow(RangeError);
  });

  it('propagates NaN and Infinity like a plain dot product', () => {
    const M = 6, N = 6, K = 5;
    const a = new Float32Array(M * K).fill(1);
    const b = new Float32Array(K * N).fill(1);
    a[0] = Number.NaN; // row 0 of the result becomes NaN
    b[1] = Number.POSITIVE_INFINITY; // column 1 becomes +Inf (except row 0)
    const out = new Float32Array(M * N);
    matmulF32(a, b, out, 1, M, N, K, false, false, 0, 0);
    for (let j = 0; j < N; j++) expect(out[j]).toBeNaN();
    for (let i = 1; i < M; i++) {
      expect(out[i * N + 1]).toBe(Number.POSITIVE_INFINITY);
      expect(out[i * N + 0]).toBe(K);
    }
  });
});
