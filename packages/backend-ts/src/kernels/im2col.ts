import { ops, type OpNode, type Shape, KerasInternalError } from '@keras-ts/spec';
import { PANEL_ROWS, type APacker } from './matmul-core.js';

type Triple = [number, number, number];

/**
 * The geometry of one convolution, with its spatial dimensions padded to 3 at the front
 * (size 1, kernel 1, stride 1, dilation 1, no padding), so one code path serves ranks 1 to 3.
 * `x*` is the forward conv's input side, `y*` its output side; a row is one (batch, output
 * position) pair, and a patch holds kernel taps × channels of one group.
 */
export interface ConvGeometry {
  readonly batch: number;
  readonly inSize: Triple;
  readonly kernel: Triple;
  readonly outSize: Triple;
  readonly strides: Triple;
  readonly dilations: Triple;
  readonly padBefore: Triple;
  readonly cin: number;
  readonly cout: number;
  readonly groups: number;
  /** Input channels per group. */
  readonly cg: number;
  /** Output channels per group. */
  readonly coutg: number;
  /** Elements of one patch: kernel taps × cg. */
  readonly patch: number;
  /** batch × output positions. */
  readonly rows: number;
}

function pad3(v: readonly number[], fill: number): Triple {
  const out: Triple = [fill, fill, fill];
  for (let i = 0; i < v.length; i++) out[3 - v.length + i] = v[i];
  return out;
}

/** The geometry of a conv-family node from the forward conv's input, kernel and output shapes. */
export function convGeometry(node: OpNode<'conv' | 'conv_transpose' | 'conv_backprop_filter' | 'depthwise_conv'>, x: Shape, w: Shape, y: Shape): ConvGeometry {
  const a = node.attrs;
  const rank = a.rank;
  const groups = 'groups' in a ? a.groups : 1;
  const inSpatial = x.slice(1, rank + 1);
  const kSpatial = w.slice(0, rank);
  const pads = ops.resolveConvPadding(inSpatial, kSpatial, a.strides, a.dilations, a.padding);
  const cin = x[rank + 1];
  const cout = w[rank + 1];
  const cg = w[rank];
  const outSize = pad3(y.slice(1, rank + 1), 1);
  const kernel = pad3(kSpatial, 1);
  return {
    batch: x[0],
    inSize: pad3(inSpatial, 1),
    kernel,
    outSize,
    strides: pad3(a.strides, 1),
    dilations: pad3(a.dilations, 1),
    padBefore: pad3(
      pads.map((p) => p[0]),
      0,
    ),
    cin,
    cout,
    groups,
    cg,
    coutg: cout / groups,
    patch: kernel[0] * kernel[1] * kernel[2] * cg,
    rows: x[0] * outSize[0] * outSize[1] * outSize[2],
  };
}

/**
 * Gathers the patches of rows [row0, row0 + rows) for channel group `group` into `col`
 * ([rows, patch], row-major; taps in kernel order, then channels), zeros where the window
 * reads padding.
 */
export function im2col(x: Float32Array, G: ConvGeometry, group: number, row0: number, rows: number, col: Float32Array): void {
  walkPatches(x, G, group, row0, rows, col, false);
}

/**
 * The adjoint of {@link im2col}: adds each patch of `col` (rows [row0, row0 + rows), channel
 * group `group`) back into `dx` at the positions it was read from; padding taps are dropped.
 */
export function col2im(col: Float32Array, G: ConvGeometry, group: number, row0: number, rows: number, dx: Float32Array): void {
  walkPatches(dx, G, group, row0, rows, col, true);
}

/**
 * The patches of rows [row0, row0 + rows), channel group `group`, between the image `x` and
 * `col` ([rows, patch]): gathered into `col` (zeros for padding taps), or, when `scatter`,
 * added from `col` into `x` (padding taps dropped).
 */
function walkPatches(x: Float32Array, G: ConvGeometry, group: number, row0: number, rows: number, col: Float32Array, scatter: boolean): void {
  const [S0, S1, S2] = G.inSize;
  const [K0, K1, K2] = G.kernel;
  const [O0, O1, O2] = G.outSize;
  const [s0, s1, s2] = G.strides;
  const [d0, d1, d2] = G.dilations;
  const [p0, p1, p2] = G.padBefore;
  const { cin, cg } = G;
  const blk1 = K2 * cg;
  const blk0 = K1 * blk1;
  const cOff = group * cg;
  let o2 = row0 % O2;
  let q = (row0 - o2) / O2;
  let o1 = q % O1;
  q = (q - o1) / O1;
  let o0 = q % O0;
  let n = (q - o0) / O0;
  let c = 0;
  for (let r = 0; r < rows; r++) {
    const b0 = o0 * s0 - p0;
    const b1 = o1 * s1 - p1;
    const b2 = o2 * s2 - p2;
    for (let k0 = 0; k0 < K0; k0++) {
      const i0 = b0 + k0 * d0;
      if (i0 < 0 || i0 >= S0) {
        if (!scatter) col.fill(0, c, c + blk0);
        c += blk0;
        continue;
      }
      const base0 = (n * S0 + i0) * S1;
      for (let k1 = 0; k1 < K1; k1++) {
        const i1 = b1 + k1 * d1;
        if (i1 < 0 || i1 >= S1) {
          if (!scatter) col.fill(0, c, c + blk1);
          c += blk1;
          continue;
        }
        const base1 = (base0 + i1) * S2;
        for (let k2 = 0; k2 < K2; k2++) {
          const i2 = b2 + k2 * d2;
          if (i2 >= 0 && i2 < S2) {
            const at = (base1 + i2) * cin + cOff;
            if (scatter) for (let ci = 0; ci < cg; ci++) x[at + ci] += col[c + ci];
            else for (let ci = 0; ci < cg; ci++) col[c + ci] = x[at + ci];
          } else if (!scatter) {
            for (let ci = 0; ci < cg; ci++) col[c + ci] = 0;
          }
          c += cg;
        }
      }
    }
    if (++o2 === O2) {
      o2 = 0;
      if (++o1 === O1) {
        o1 = 0;
        if (++o0 === O0) {
          o0 = 0;
          n++;
        }
      }
    }
  }
}

/** Copies the columns [group * width, (group + 1) * width) of a [rows, stride] matrix into a contiguous [rows, width] one. */
export function packColumns(src: Float32Array, srcOffset: number, rows: number, stride: number, group: number, width: number, dst: Float32Array): void {
  let o = 0;
  let s = srcOffset + group * width;
  for (let r = 0; r < rows; r++, s += stride) for (let j = 0; j < width; j++) dst[o++] = src[s + j];
}

/** Writes a contiguous [rows, width] matrix into columns [group * width, (group + 1) * width) of a [rows, stride] one; adds when `accumulate`. */
export function unpackColumns(
  src: Float32Array,
  rows: number,
  width: number,
  dst: Float32Array,
  dstOffset: number,
  stride: number,
  group: number,
  accumulate: boolean,
): void {
  let i = 0;
  let d = dstOffset + group * width;
  for (let r = 0; r < rows; r++, d += stride) {
    if (accumulate) for (let j = 0; j < width; j++) dst[d + j] += src[i++];
    else for (let j = 0; j < width; j++) dst[d + j] = src[i++];
  }
}

/** Patch gathering for the packers: per-element offsets, interior test, border rows. */
function patchGather(x: Float32Array, G: ConvGeometry) {
  const [S0, S1, S2] = G.inSize;
  const [K0, K1, K2] = G.kernel;
  const [O0, O1, O2] = G.outSize;
  const [s0, s1, s2] = G.strides;
  const [d0, d1, d2] = G.dilations;
  const [p0, p1, p2] = G.padBefore;
  const { cin, cg, patch } = G;
  // Offset in x of each patch element relative to the window's first tap (channel group 0).
  const off = new Int32Array(patch);
  let e = 0;
  for (let k0 = 0; k0 < K0; k0++)
    for (let k1 = 0; k1 < K1; k1++)
      for (let k2 = 0; k2 < K2; k2++)
        for (let c = 0; c < cg; c++) off[e++] = ((k0 * d0 * S1 + k1 * d1) * S2 + k2 * d2) * cin + c;
  const last0 = (K0 - 1) * d0, last1 = (K1 - 1) * d1, last2 = (K2 - 1) * d2;
  /** x offset of row r's first tap when its whole window is inside the input, else -1. */
  const interiorBase = (r: number): number => {
    let q = r;
    const o2 = q % O2;
    q = (q - o2) / O2;
    const o1 = q % O1;
    q = (q - o1) / O1;
    const o0 = q % O0;
    const n = (q - o0) / O0;
    const b0 = o0 * s0 - p0, b1 = o1 * s1 - p1, b2 = o2 * s2 - p2;
    if (b0 < 0 || b0 + last0 >= S0 || b1 < 0 || b1 + last1 >= S1 || b2 < 0 || b2 + last2 >= S2) return -1;
    return (((n * S0 + b0) * S1 + b1) * S2 + b2) * cin;
  };
  /** Row r's patch elements [pc, pe) at out[d], out[d + step], ..., zeros where the window is outside the input. */
  const borderRow = (out: { [i: number]: number }, d: number, step: number, r: number, pc: number, pe: number): void => {
    let q = r;
    const o2 = q % O2;
    q = (q - o2) / O2;
    const o1 = q % O1;
    q = (q - o1) / O1;
    const o0 = q % O0;
    const n = (q - o0) / O0;
    const b0 = o0 * s0 - p0, b1 = o1 * s1 - p1, b2 = o2 * s2 - p2;
    let k = 0;
    for (let k0 = 0; k0 < K0 && k < pe; k0++) {
      const i0 = b0 + k0 * d0;
      const in0 = i0 >= 0 && i0 < S0;
      for (let k1 = 0; k1 < K1 && k < pe; k1++) {
        const i1 = b1 + k1 * d1;
        const in1 = in0 && i1 >= 0 && i1 < S1;
        const row = ((n * S0 + i0) * S1 + i1) * S2;
        for (let k2 = 0; k2 < K2 && k < pe; k2++, k += cg) {
          if (k + cg <= pc) continue;
          const lo = k < pc ? pc : k;
          const hi = k + cg > pe ? pe : k + cg;
          let dd = d + (lo - pc) * step;
          const i2 = b2 + k2 * d2;
          if (in1 && i2 >= 0 && i2 < S2) {
            let src = (row + i2) * cin + (lo - k);
            for (let c = lo; c < hi; c++, dd += step) out[dd] = x[src++];
          } else {
            for (let c = lo; c < hi; c++, dd += step) out[dd] = 0.0;
          }
        }
      }
    }
  };
  return { off, interiorBase, borderRow, patch };
}

/**
 * An {@link APacker} for a convolution with one channel group: it gathers the patches of output
 * rows [ic, ic + mc), patch elements [pc, pc + kc), straight from the input into the GEMM's
 * packed A panels (element (i, k) at dst + (i div 3)*3*kc + k*3 + i mod 3), so that no
 * im2col matrix is written and read again. Padding taps are zeros; rows past mc are zeros.
 * Three rows whose windows lie inside the input (most rows) are gathered in one pass through a
 * table of patch offsets.
 */
export function convPacker(x: Float32Array, G: ConvGeometry): APacker {
  if (PANEL_ROWS !== 3) throw new KerasInternalError('convPacker assumes 3-row panels');
  const { off, interiorBase, borderRow } = patchGather(x, G);
  const R = 3;
  return (p, dst, ic, mc, pc, kc) => {
    const pe = pc + kc;
    const panels = Math.ceil(mc / R);
    for (let ip = 0; ip < panels; ip++) {
      const pb = dst + ip * R * kc;
      const i0 = ip * R;
      const h = Math.min(R, mc - i0);
      const r = ic + i0;
      const x0 = interiorBase(r);
      const x1 = h > 1 ? interiorBase(r + 1) : -1;
      const x2 = h > 2 ? interiorBase(r + 2) : -1;
      if (x0 >= 0 && x1 >= 0 && x2 >= 0) {
        let d = pb;
        for (let k = pc; k < pe; k++, d += 3) {
          const o = off[k];
          p[d] = x[x0 + o];
          p[d + 1] = x[x1 + o];
          p[d + 2] = x[x2 + o];
        }
        continue;
      }
      const xs = [x0, x1, x2];
      for (let ii = 0; ii < R; ii++) {
        let d = pb + ii;
        if (ii >= h) {
          for (let k = 0; k < kc; k++, d += R) p[d] = 0.0;
        } else if (xs[ii] >= 0) {
          const xb = xs[ii];
          for (let k = pc; k < pe; k++, d += R) p[d] = x[xb + off[k]];
        } else {
          borderRow(p, d, R, r + ii, pc, pe);
        }
      }
    }
  };
}

/**
 * The {@link APacker} of the transposed patch matrix (im2col(x)ᵀ: [patch, rows]), for the
 * kernel gradient dw = im2col(x)ᵀ · dy: rows [ic, ic + mc) are patch elements, columns
 * [pc, pc + kc) conv rows. One channel group.
 */
export function convPackerT(x: Float32Array, G: ConvGeometry): APacker {
  if (PANEL_ROWS !== 3) throw new KerasInternalError('convPackerT assumes 3-row panels');
  const { off, interiorBase, borderRow, patch } = patchGather(x, G);
  const tmp = new Float64Array(patch);
  return (p, dst, ic, mc, pc, kc) => {
    const full = Math.floor(mc / 3);
    const rest = mc - full * 3;
    const ie = ic + mc;
    for (let kk = 0; kk < kc; kk++) {
      const r = pc + kk;
      const xb = interiorBase(r);
      if (xb >= 0) {
        let d = dst + kk * 3;
        let e = ic;
        for (let ip = 0; ip < full; ip++, d += 3 * kc, e += 3) {
          p[d] = x[xb + off[e]];
          p[d + 1] = x[xb + off[e + 1]];
          p[d + 2] = x[xb + off[e + 2]];
        }
        if (rest) {
          p[d] = x[xb + off[e]];
          p[d + 1] = rest > 1 ? x[xb + off[e + 1]] : 0.0;
          p[d + 2] = 0.0;
        }
      } else {
        borderRow(tmp, ic, 1, r, ic, ie);
        let d = dst + kk * 3;
        let e = ic;
        for (let ip = 0; ip < full; ip++, d += 3 * kc, e += 3) {
          p[d] = tmp[e];
          p[d + 1] = tmp[e + 1];
          p[d + 2] = tmp[e + 2];
        }
        if (rest) {
          p[d] = tmp[e];
          p[d + 1] = rest > 1 ? tmp[e + 1] : 0.0;
          p[d + 2] = 0.0;
        }
      }
    }
  };
}
