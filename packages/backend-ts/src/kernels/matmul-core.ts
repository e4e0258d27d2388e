/**
 * Pure-TypeScript float32 GEMM kernel (no imports, no WebAssembly).
 *
 * Design (BLIS-style, tuned for V8/TurboFan):
 *  - The K dimension is split in equal blocks of at most KC, N in blocks of NC, M in
 *    blocks of MC.
 *  - For every (jc, pc) block, B[pc:pc+kc, jc:jc+nc] is packed into NR-wide
 *    micro-panels laid out k-major (`panel[k*NR + j]`), so that the micro-kernel
 *    reads B contiguously. For every (ic, pc) block, A is packed the same way into
 *    MR-tall micro-panels (`panel[k*MR + i]`). Packing also absorbs the transposes,
 *    so the micro-kernel is identical for all four transA/transB combinations.
 *  - The micro-kernel computes an MR x NR = 3x4 block of C in 12 local double
 *    accumulators (register blocking), reading 7 packed values per k step.
 *    (3x4 — and 2x6, which tied — beat 4x4, 4x3, 2x4, 4x2, 2x8, 4x8, 6x4, 5x4, 3x6
 *    by 5-15% here: TurboFan computes all products of a k step before the adds, so
 *    with 16+ accumulators it spills far more to the stack; with fewer, loads dominate.)
 *  - Partial tiles (M not a multiple of 3, N not a multiple of 4) are computed into
 *    a staging tile (the packed panels are zero-padded) and only the valid part is
 *    copied.
 *  - Degenerate products (M < 3 or N < 4: matrix-vector like) skip packing and use
 *    a direct loop with double accumulation.
 *
 * Why the packed buffer is a plain `number[]` and not a typed array: in V8 a load
 * from a PACKED_DOUBLE_ELEMENTS array compiles to `cmp; jae; vmovsd [base+i*8]`,
 * whereas a typed-array load also re-derives the data pointer (on-/off-heap
 * buffers) for every access. In this kernel that is ~10% fewer instructions and was
 * measured ~10-15% faster than packing into Float32Array / Float64Array.
 * Accumulation is done in JS doubles; results are rounded to float32 when stored
 * (once per K block).
 */
import { KerasValueError } from '@keras-ts/spec';

/** Micro-tile height (rows of A / C per micro-kernel call). */
const MR = 3;
/** Micro-tile width (columns of B / C per micro-kernel call). */
const NR = 4;
/**
 * Max K block: packed A micro-panel = MR*KC doubles (9 KB), B micro-panel = NR*KC
 * doubles (12 KB), both L1-resident. K is cut into equal blocks of at most KC; fewer
 * blocks = fewer read-modify-write passes over C (K = 288, typical of a 3x3x32 conv,
 * is one block: ~8% faster than 256 + 32; for K = 512, 256/320/512/768 all measure
 * the same).
 */
const KC = 384;
/** M block (multiple of MR): packed A block = MC*KC doubles (<= 190 KB, L2-resident). */
const MC = 63;
/** N block (multiple of NR): packed B block = NC*KC doubles (<= 3 MB). */
const NC = 1024;

// ---------------------------------------------------------------------------------
// Scratch buffers (module-level, grown on demand, reused across calls)
// ---------------------------------------------------------------------------------

/** Packed panels: [B block (nPanels*NR*kc) | A block (mPanels*MR*kc)]. PACKED_DOUBLE. */
let packBuf: number[] = makeDoubleArray(1024);
/** Staging tile for partial micro-tiles. */
const edgeTile = new Float32Array(MR * NR);
/** Row accumulator for the direct path. */
let rowAcc = new Float64Array(256);

function makeDoubleArray(n: number): number[] {
  // push() of a non-integer keeps the array PACKED_DOUBLE_ELEMENTS (no holes).
  const arr: number[] = [];
  for (let i = 0; i < n; i++) arr.push(0.5);
  return arr;
}

function ensurePack(n: number): number[] {
  if (packBuf.length < n) packBuf = makeDoubleArray(Math.max(n, packBuf.length * 2));
  return packBuf;
}

// ---------------------------------------------------------------------------------
// Micro-kernel
// ---------------------------------------------------------------------------------

/**
 * C[oo + i*ldo + j] (+)= sum_k p[ao + k*3 + i] * p[bo + k*4 + j] for i in 0..2, j in 0..3.
 * kc >= 1. The `& mask` on the offsets lets TurboFan prove that `base + const`
 * cannot overflow int32, which removes an overflow check per load (offsets stay far
 * below 2^24: the pack buffer holds at most 2 * (NC + MC) * KC doubles, kc <= KC).
 */
function kernel3x4(
  p: number[], ao: number, bo: number, kc: number,
  out: Float32Array, oo: number, ldo: number, acc: boolean,
): void {
  ao &= 0xffffff;
  bo &= 0xffffff;
  const n = kc & 0xffff;
  // Peeled first k step: initialises the accumulators as doubles.
  let y0 = p[bo], y1 = p[bo + 1], y2 = p[bo + 2], y3 = p[bo + 3];
  let x = p[ao];
  let c00 = x * y0, c01 = x * y1, c02 = x * y2, c03 = x * y3;
  x = p[ao + 1];
  let c10 = x * y0, c11 = x * y1, c12 = x * y2, c13 = x * y3;
  x = p[ao + 2];
  let c20 = x * y0, c21 = x * y1, c22 = x * y2, c23 = x * y3;
  for (let k = 1; k < n; k++) {
    const ia = ao + k * 3, ib = bo + k * 4;
    y0 = p[ib]; y1 = p[ib + 1]; y2 = p[ib + 2]; y3 = p[ib + 3];
    x = p[ia];
    c00 += x * y0; c01 += x * y1; c02 += x * y2; c03 += x * y3;
    x = p[ia + 1];
    c10 += x * y0; c11 += x * y1; c12 += x * y2; c13 += x * y3;
    x = p[ia + 2];
    c20 += x * y0; c21 += x * y1; c22 += x * y2; c23 += x * y3;
  }
  let q = oo;
  if (acc) {
    out[q] += c00; out[q + 1] += c01; out[q + 2] += c02; out[q + 3] += c03; q += ldo;
    out[q] += c10; out[q + 1] += c11; out[q + 2] += c12; out[q + 3] += c13; q += ldo;
    out[q] += c20; out[q + 1] += c21; out[q + 2] += c22; out[q + 3] += c23;
  } else {
    out[q] = c00; out[q + 1] = c01; out[q + 2] = c02; out[q + 3] = c03; q += ldo;
    out[q] = c10; out[q + 1] = c11; out[q + 2] = c12; out[q + 3] = c13; q += ldo;
    out[q] = c20; out[q + 1] = c21; out[q + 2] = c22; out[q + 3] = c23;
  }
}

// ---------------------------------------------------------------------------------
// Packing
// ---------------------------------------------------------------------------------

/**
 * Packs B[pc:pc+kc, jc:jc+nc] (logical K x N operand) into NR-wide panels at p[0..]:
 * panel jp occupies p[jp*NR*kc ...], element (k, j) at jp*NR*kc + k*NR + j.
 * Columns past nc are zero-filled.
 */
function packB(
  p: number[], b: Float32Array, bOff: number, N: number, K: number, transB: boolean,
  pc: number, kc: number, jc: number, nc: number,
): void {
  // B stored K x N row-major: column j at step k is b[k*N + j]; transposed (N x K): b[j*K + k].
  if (transB) packPanels(p, 0, NR, b, bOff + jc * K + pc, nc, kc, K, 1);
  else packPanels(p, 0, NR, b, bOff + pc * N + jc, nc, kc, 1, N);
}

/**
 * Packs A[ic:ic+mc, pc:pc+kc] (logical M x K operand) into MR-tall panels at p[dst..]:
 * panel ip occupies p[dst + ip*MR*kc ...], element (i, k) at ... + k*MR + i.
 * Rows past mc are zero-filled.
 */
function packA(
  p: number[], dst: number, a: Float32Array, aOff: number, M: number, K: number, transA: boolean,
  ic: number, mc: number, pc: number, kc: number,
): void {
  // A stored M x K row-major: row i at step k is a[i*K + k]; transposed (K x M): a[k*M + i].
  if (transA) packPanels(p, dst, MR, a, aOff + pc * M + ic, mc, kc, 1, M);
  else packPanels(p, dst, MR, a, aOff + ic * K + pc, mc, kc, K, 1);
}

/**
 * Packs `n` lanes (rows of A, columns of B) of `kc` steps each into R-wide panels at p[dst..]
 * (R is MR or NR): lane l at step k is src[off + l*laneStride + k*kStride], and goes to
 * p[dst + floor(l/R)*R*kc + k*R + l%R]; lanes past n are zero-filled.
 */
function packPanels(
  p: number[], dst: number, R: number, src: Float32Array, off: number, n: number, kc: number, laneStride: number, kStride: number,
): void {
  const panels = Math.ceil(n / R);
  for (let lp = 0; lp < panels; lp++) {
    const base = dst + lp * R * kc;
    const h = Math.min(R, n - lp * R);
    const first = off + lp * R * laneStride;
    if (laneStride === 1) {
      // The panel's lanes are contiguous: each k step copies one run of R values.
      let s = first;
      let d = base;
      if (h === NR && R === NR) {
        for (let k = 0; k < kc; k++) {
          p[d] = src[s]; p[d + 1] = src[s + 1]; p[d + 2] = src[s + 2]; p[d + 3] = src[s + 3];
          d += NR; s += kStride;
        }
      } else if (h === MR && R === MR) {
        for (let k = 0; k < kc; k++) {
          p[d] = src[s]; p[d + 1] = src[s + 1]; p[d + 2] = src[s + 2];
          d += MR; s += kStride;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let l = 0; l < R; l++) p[d + l] = l < h ? src[s + l] : 0.0;
          d += R; s += kStride;
        }
      }
    } else {
      // Each lane is a run along k: copy lane by lane.
      for (let l = 0; l < R; l++) {
        let d = base + l;
        if (l < h) {
          let s = first + l * laneStride;
          for (let k = 0; k < kc; k++) { p[d] = src[s]; d += R; s += kStride; }
        } else {
          for (let k = 0; k < kc; k++) { p[d] = 0.0; d += R; }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------
// Blocked GEMM for one matrix
// ---------------------------------------------------------------------------------

/**
 * Rows [r0, r1) and columns [c0, c1) of one product (an epilogue only with every column), through
 * the packed panels; A's blocks from `packer` when given.
 */
function gemmPacked(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, oOff: number,
  M: number, N: number, K: number, transA: boolean, transB: boolean,
  epilogue?: RowsDone, packer?: APacker, r0 = 0, r1 = M, c0 = 0, c1 = N,
): void {
  // Equal-sized K blocks of at most KC (e.g. K = 512 -> 2 x 256 rather than 384 + 128).
  const kcMax = Math.ceil(K / Math.ceil(K / KC));
  const ncMax = Math.min(NC, Math.ceil((c1 - c0) / NR) * NR);
  const mcMax = Math.min(MC, Math.ceil(M / MR) * MR);
  const p = ensurePack((ncMax + mcMax) * kcMax);
  const tile = edgeTile;
  // With one K block and one N block, rows are final after each M block: run the epilogue then,
  // while they are in cache. Otherwise once at the end.
  const rowWise = epilogue !== undefined && kcMax >= K && N <= NC;
  for (let jc = c0; jc < c1; jc += NC) {
    const nc = Math.min(NC, c1 - jc);
    const nPanels = Math.ceil(nc / NR);
    for (let pc = 0; pc < K; pc += kcMax) {
      const kc = Math.min(kcMax, K - pc);
      const acc = pc > 0;
      packB(p, b, bOff, N, K, transB, pc, kc, jc, nc);
      const aBase = nPanels * NR * kc;
      for (let ic = r0; ic < r1; ic += MC) {
        const mc = Math.min(MC, r1 - ic);
        const mPanels = Math.ceil(mc / MR);
        if (packer) packer(p, aBase, ic, mc, pc, kc);
        else packA(p, aBase, a, aOff, M, K, transA, ic, mc, pc, kc);
        for (let jp = 0; jp < nPanels; jp++) {
          const bo = jp * NR * kc;
          const j0 = jc + jp * NR;
          const w = Math.min(NR, c1 - j0);
          for (let ip = 0; ip < mPanels; ip++) {
            const ao = aBase + ip * MR * kc;
            const i0 = ic + ip * MR;
            const h = Math.min(MR, r1 - i0);
            if (w === NR && h === MR) {
              kernel3x4(p, ao, bo, kc, out, oOff + i0 * N + j0, N, acc);
            } else {
              kernel3x4(p, ao, bo, kc, tile, 0, NR, false);
              for (let ii = 0; ii < h; ii++) {
                const o = oOff + (i0 + ii) * N + j0;
                for (let jj = 0; jj < w; jj++) {
                  out[o + jj] = acc ? out[o + jj] + tile[ii * NR + jj] : tile[ii * NR + jj];
                }
              }
            }
          }
        }
        if (rowWise) epilogue!(oOff + ic * N, oOff + (ic + mc) * N);
      }
    }
  }
  if (epilogue !== undefined && !rowWise) epilogue(oOff + r0 * N, oOff + r1 * N);
}

/** Called with a range [start, end) of flat output indices once their values are final. */
export type RowsDone = (start: number, end: number) => void;

/**
 * Packs rows [ic, ic + mc) and columns [pc, pc + kc) of a logical M x K operand A into p from
 * `dst`, as {@link packA} does: MR-tall panels, element (i, k) of panel ip at
 * dst + ip*MR*kc + k*MR + (i mod MR), rows past mc zero-filled.
 */
export type APacker = (p: number[], dst: number, ic: number, mc: number, pc: number, kc: number) => void;

/** Height of the packed A panels an {@link APacker} writes. */
export const PANEL_ROWS = MR;

/**
 * Rows in which a range of a product's rows is best split (threads): whole blocks of packed A
 * panels (a multiple of {@link PANEL_ROWS}, so the 3-row tiles stay where one thread puts them)
 * when there are many rows, else whole panels.
 */
export function rowAlignment(rows: number): number {
  return rows >= 8 * MC ? MC : MR;
}

/**
 * out (M x N) = A · op(B), where A is never materialized: `packer` writes its blocks straight
 * into the packed panels (e.g. a convolution's patches gathered from its input, instead of an
 * im2col matrix that the GEMM would copy again). `epilogue` as in {@link matmulF32}.
 */
export function matmulPackedA(
  packer: APacker, b: Float32Array, out: Float32Array, M: number, N: number, K: number, transB: boolean, epilogue?: RowsDone,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) { out.fill(0, 0, M * N); epilogue?.(0, M * N); return; }
  if (!warmedUp) warmUp();
  gemmPacked(EMPTY, 0, b, 0, out, 0, M, N, K, false, transB, epilogue, packer);
}

/**
 * Rows [r0, r1) of {@link matmulPackedA}'s output (M, N, K > 0), with the epilogue on those rows
 * only: each output element is computed exactly as the whole product computes it, so threads
 * that each take a range of rows together write the same bits as one thread.
 */
export function matmulPackedARows(
  packer: APacker, b: Float32Array, out: Float32Array, M: number, N: number, K: number, transB: boolean, r0: number, r1: number, epilogue?: RowsDone,
): void {
  if (!warmedUp) warmUp();
  gemmPacked(EMPTY, 0, b, 0, out, 0, M, N, K, false, transB, epilogue, packer, r0, r1);
}

const EMPTY = new Float32Array(0);

// ---------------------------------------------------------------------------------
// Direct path for tiny / degenerate shapes
// ---------------------------------------------------------------------------------

function gemmSmall(
  a: Float32Array, aOff: number, b: Float32Array, bOff: number, out: Float32Array, oOff: number,
  M: number, N: number, K: number, transA: boolean, transB: boolean,
): void {
  // Strides of the logical operands: A(i,k) = a[aOff + i*ai + k*ak], B(k,j) = b[bOff + k*bk + j*bj].
  // A 1-row A / 1-column B is contiguous whatever the transpose flag says.
  const ai = transA ? 1 : K, ak = M === 1 ? 1 : transA ? M : 1;
  const bk = N === 1 ? 1 : transB ? 1 : N, bj = transB ? K : 1;
  if (bj === 1 && N > 1) {
    // B rows contiguous in j: out row i = sum_k A(i,k) * B(k, :)  (axpy form, 4 k at a time)
    if (rowAcc.length < N) rowAcc = new Float64Array(Math.max(N, rowAcc.length * 2));
    const r = rowAcc;
    for (let i = 0; i < M; i++) {
      r.fill(0, 0, N);
      const aRow = aOff + i * ai;
      let k = 0;
      for (; k + 4 <= K; k += 4) {
        const a0 = a[aRow + k * ak], a1 = a[aRow + (k + 1) * ak];
        const a2 = a[aRow + (k + 2) * ak], a3 = a[aRow + (k + 3) * ak];
        const r0 = bOff + k * bk, r1 = r0 + bk, r2 = r1 + bk, r3 = r2 + bk;
        for (let j = 0; j < N; j++) {
          r[j] += a0 * b[r0 + j] + a1 * b[r1 + j] + a2 * b[r2 + j] + a3 * b[r3 + j];
        }
      }
      for (; k < K; k++) {
        const av = a[aRow + k * ak];
        const r0 = bOff + k * bk;
        for (let j = 0; j < N; j++) r[j] += av * b[r0 + j];
      }
      const o = oOff + i * N;
      for (let j = 0; j < N; j++) out[o + j] = r[j];
    }
  } else {
    // Dot-product form: out(i,j) = sum_k A(i,k) * B(k,j), 4 partial sums.
    for (let i = 0; i < M; i++) {
      const aRow = aOff + i * ai;
      const o = oOff + i * N;
      for (let j = 0; j < N; j++) {
        const bCol = bOff + j * bj;
        let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        let k = 0;
        if (ak === 1 && bk === 1) {
          for (; k + 4 <= K; k += 4) {
            const p = aRow + k, q = bCol + k;
            s0 += a[p] * b[q]; s1 += a[p + 1] * b[q + 1]; s2 += a[p + 2] * b[q + 2]; s3 += a[p + 3] * b[q + 3];
          }
        }
        for (; k + 4 <= K; k += 4) {
          s0 += a[aRow + k * ak] * b[bCol + k * bk];
          s1 += a[aRow + (k + 1) * ak] * b[bCol + (k + 1) * bk];
          s2 += a[aRow + (k + 2) * ak] * b[bCol + (k + 2) * bk];
          s3 += a[aRow + (k + 3) * ak] * b[bCol + (k + 3) * bk];
        }
        for (; k < K; k++) s0 += a[aRow + k * ak] * b[bCol + k * bk];
        out[o + j] = (s0 + s1) + (s2 + s3);
      }
    }
  }
}

// ---------------------------------------------------------------------------------
// Warm-up (once per process, ~1 ms): give every branch of both paths type feedback
// before TurboFan compiles them. Without this, V8 may OSR-compile the micro-kernel
// during its first call (long k loop) before the `acc` store path has ever run; that
// OSR code then deopts on every later call ("insufficient type feedback") and the
// whole GEMM was observed to run 30-60% slower for the rest of the process.
// ---------------------------------------------------------------------------------

let warmedUp = false;

function warmUp(): void {
  warmedUp = true;
  const K = KC + 1; // > KC: exercises the accumulate (acc) path across K blocks
  const a = new Float32Array(5 * K), b = new Float32Array(5 * K), o = new Float32Array(25);
  for (let i = 0; i < a.length; i++) a[i] = 0.25 + (i % 13) * 0.125;
  for (let i = 0; i < b.length; i++) b[i] = 0.5 - (i % 11) * 0.0625;
  // 5x5: one full 3x4 tile plus partial tiles on both edges.
  gemmPacked(a, 0, b, 0, o, 0, 5, 5, K, false, false);
  for (let t = 0; t < 4; t++) {
    const tA = (t & 1) !== 0, tB = (t & 2) !== 0;
    gemmPacked(a, 0, b, 0, o, 0, 5, 5, 3, tA, tB);
    gemmSmall(a, 0, b, 0, o, 0, 2, 5, 9, tA, tB);
    gemmSmall(a, 0, b, 0, o, 0, 1, 5, 9, tA, tB);
    gemmSmall(a, 0, b, 0, o, 0, 5, 1, 9, tA, tB);
  }
}

// ---------------------------------------------------------------------------------
// Public entry point
// ---------------------------------------------------------------------------------

/**
 * out[b] = op(A[b]) @ op(B[b]) for b in 0..batch-1, float32, row-major.
 * A[b] is M x K (or K x M when transA), B[b] is K x N (or N x K when transB).
 * aBatchStride / bBatchStride: element offset between consecutive batch matrices (0 = broadcast the same matrix).
 * out is batch*M*N, fully overwritten.
 * `epilogue`, when given, is called on ranges of flat output indices as they become final
 * (covering the output exactly once), e.g. to add a bias and apply an activation in cache.
 *
 * `scratch` is accepted for API compatibility but not needed: packing uses a
 * module-level `number[]` buffer that is grown on demand and reused (see the file
 * header for why it is not a Float32Array). Peak size is (NC + MC) * KC doubles
 * (~3.3 MB).
 */
export function matmulF32(
  a: Float32Array, b: Float32Array, out: Float32Array,
  batch: number, M: number, N: number, K: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
  scratch?: (size: number) => Float32Array,
  epilogue?: RowsDone,
): void {
  void scratch;
  if (batch <= 0 || M <= 0 || N <= 0) return;
  const outSize = batch * M * N;
  if (out.length < outSize) throw new KerasValueError(`matmulF32: out has ${out.length} elements, need ${outSize}`);
  if (K <= 0) { out.fill(0, 0, outSize); epilogue?.(0, outSize); return; }
  const aNeed = (batch - 1) * aBatchStride + M * K;
  const bNeed = (batch - 1) * bBatchStride + K * N;
  if (a.length < aNeed) throw new KerasValueError(`matmulF32: a has ${a.length} elements, need ${aNeed}`);
  if (b.length < bNeed) throw new KerasValueError(`matmulF32: b has ${b.length} elements, need ${bNeed}`);

  ({ batch, M } = gemmPlan(batch, M, N, K, transA, aBatchStride, bBatchStride));
  if (!warmedUp) warmUp();
  if (M < MR || N < NR) {
    for (let bi = 0; bi < batch; bi++) {
      const oOff = bi * M * N;
      gemmSmall(a, bi * aBatchStride, b, bi * bBatchStride, out, oOff, M, N, K, transA, transB);
      epilogue?.(oOff, oOff + M * N);
    }
  } else matmulRows(a, b, out, batch, M, N, K, transA, transB, aBatchStride, bBatchStride, 0, batch * M, epilogue);
}

/**
 * The products {@link matmulF32} computes: `batch` products of M rows, after a broadcast B with
 * contiguous, non-transposed A batches became one (batch*M) x K @ K x N product. `packed`: the
 * blocked path (else the direct one for M < 3 or N < 4).
 */
export function gemmPlan(
  batch: number, M: number, N: number, K: number, transA: boolean, aBatchStride: number, bBatchStride: number,
): { batch: number; M: number; packed: boolean } {
  if (batch > 1 && bBatchStride === 0 && !transA && aBatchStride === M * K) {
    M *= batch;
    batch = 1;
  }
  return { batch, M, packed: M >= MR && N >= NR };
}

/**
 * Rows [g0, g1) of the batch*M output rows of a product planned by {@link gemmPlan} (packed,
 * K > 0), with the epilogue on those rows only. Each output element is computed exactly as the
 * whole product computes it, so threads that each take a range of rows write the same bits as
 * one thread.
 */
export function matmulRows(
  a: Float32Array, b: Float32Array, out: Float32Array,
  batch: number, M: number, N: number, K: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
  g0: number, g1: number, epilogue?: RowsDone,
): void {
  if (!warmedUp) warmUp();
  for (let bi = Math.floor(g0 / M); bi < batch && bi * M < g1; bi++) {
    const r0 = Math.max(g0 - bi * M, 0), r1 = Math.min(g1 - bi * M, M);
    gemmPacked(a, bi * aBatchStride, b, bi * bBatchStride, out, bi * M * N, M, N, K, transA, transB, epilogue, undefined, r0, r1);
  }
}

/**
 * Rows of the smallest chunk of a GEMM split by rows across threads: each chunk packs the whole B
 * operand again (K x N copies against rows x K x N multiply-adds; a copy costs about three), so
 * fewer rows than this spend more than ~2% of the work repacking (measured: 8 chunks of a 512³
 * product took 7% more CPU time than one thread). The same holds for columns when a product
 * with few rows is split by columns ({@link matmulColumns}: each chunk packs A again).
 */
export const MIN_GEMM_CHUNK_ROWS = 126;

/** Width of the micro-tiles: a range of output columns split across threads starts at a multiple of it. */
export const TILE_COLUMNS = NR;

/**
 * Columns [c0, c1) of every output row of a product planned by {@link gemmPlan} (packed, K > 0;
 * c0 and c1 multiples of {@link TILE_COLUMNS}, or c1 = N), without epilogue: each output element
 * is computed exactly as the whole product computes it. For products with few rows, where each
 * thread taking rows would pack all of B again; here each packs its columns of B, and A again.
 */
export function matmulColumns(
  a: Float32Array, b: Float32Array, out: Float32Array,
  batch: number, M: number, N: number, K: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
  c0: number, c1: number,
): void {
  if (!warmedUp) warmUp();
  for (let bi = 0; bi < batch; bi++) {
    gemmPacked(a, bi * aBatchStride, b, bi * bBatchStride, out, bi * M * N, M, N, K, transA, transB, undefined, undefined, 0, M, c0, c1);
  }
}
