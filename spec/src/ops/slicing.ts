import { z } from 'zod';
import type { DType } from '../dtype.js';
import { OpError } from '../errors.js';
import type { Sym } from '../graph/graph.js';
import { fmtShape, normAxis, shapesEqual, type Shape } from '../shape.js';
import { resolveAxis } from './axes.js';
import { expandDims } from './dims.js';
import { sum } from './reduce.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { reshape } from './shape.js';
import { zShape } from './schemas.js';

const zInts = z.array(z.number().int());

function checkLength(what: string, values: readonly unknown[], rank: number): void {
  if (values.length !== rank) {
    problem(`attribute '${what}' = ${JSON.stringify(values)} has ${values.length} entries, needs ${rank} (one per axis of the rank-${rank} input)`);
  }
}

/**
 * The size of each axis of `slice` (resolving -1 to "up to the end"), or a problem naming the
 * bad attribute.
 */
export function sliceSizes(shape: Shape, begin: readonly number[], size: readonly number[]): number[] {
  const r = shape.length;
  checkLength('begin', begin, r);
  checkLength('size', size, r);
  return shape.map((d, i) => {
    const b = begin[i];
    if (b < 0 || b > d) problem(`attribute 'begin' = [${begin}]: begin ${b} at axis ${i} is out of range [0, ${d}] for input shape ${fmtShape(shape)}`);
    const s = size[i] === -1 ? d - b : size[i];
    if (s < 0) problem(`attribute 'size' = [${size}]: size ${size[i]} at axis ${i} must be -1 (to the end) or non-negative`);
    if (b + s > d) problem(`attribute 'size' = [${size}]: begin ${b} + size ${s} at axis ${i} exceeds the dimension ${d} of input shape ${fmtShape(shape)}`);
    return s;
  });
}

/** Number of elements of begin, begin+stride, ... strictly before `end` (in stride's direction). */
function stridedCount(b: number, e: number, s: number): number {
  return s > 0 ? (e > b ? Math.ceil((e - b) / s) : 0) : b > e ? Math.ceil((b - e) / -s) : 0;
}

/**
 * The output shape of `strided_slice` with normalized attributes: per axis a stride != 0 and,
 * for stride > 0, 0 <= begin, end <= dim; for stride < 0, -1 <= begin, end <= dim - 1 (end -1
 * meaning "through index 0"), as Python's `slice.indices` returns them.
 */
export function stridedSliceShape(shape: Shape, begin: readonly number[], end: readonly number[], strides: readonly number[]): number[] {
  const r = shape.length;
  checkLength('begin', begin, r);
  checkLength('end', end, r);
  checkLength('strides', strides, r);
  return shape.map((d, i) => {
    const s = strides[i];
    if (s === 0) problem(`attribute 'strides' = [${strides}]: the stride at axis ${i} is 0`);
    const [lo, hi] = s > 0 ? [0, d] : [-1, d - 1];
    if (begin[i] < lo || begin[i] > hi) {
      problem(`attribute 'begin' = [${begin}]: begin ${begin[i]} at axis ${i} is out of the normalized range [${lo}, ${hi}] for stride ${s} and input shape ${fmtShape(shape)}`);
    }
    if (end[i] < lo || end[i] > hi) {
      problem(`attribute 'end' = [${end}]: end ${end[i]} at axis ${i} is out of the normalized range [${lo}, ${hi}] for stride ${s} and input shape ${fmtShape(shape)}`);
    }
    return stridedCount(begin[i], end[i], s);
  });
}

/** A contiguous block: `size` elements from `begin` along each axis (size -1: to the end). */
const sliceAttrs = z.strictObject({ begin: zInts, size: zInts });

defineOp({
  name: 'slice',
  kind: 'primitive',
  arity: 1,
  attrs: sliceAttrs,
  infer: ([x], a) => ({ shape: sliceSizes(x.shape, a.begin, a.size), dtype: x.dtype }),
  grad: ({ inputs: [x], dy, attrs }) => {
    const sizes = sliceSizes(x.shape, attrs.begin, attrs.size);
    return [pad(dy, x.shape.map((d, i): [number, number] => [attrs.begin[i], d - attrs.begin[i] - sizes[i]]))];
  },
  doc: {
    summary: 'A contiguous block: `size[i]` elements from `begin[i]` along each axis i (a size of -1 runs to the end of the axis).',
    inputs: ['x'],
    shape: 'out[i] = size[i], or x.shape[i] - begin[i] for -1. `begin` and `size` need one entry per axis, with 0 ≤ begin ≤ dim and begin + size ≤ dim.',
    dtype: "Any; the output has the input's dtype.",
    grad: "dx = dy padded with zeros back to x's shape (begin before, the rest after, on each axis).",
  },
});

const stridedAttrs = { begin: zInts, end: zInts, strides: zInts };

/** Python/numpy basic slicing per axis, with attributes already normalized (see stridedSlice). */
const stridedSliceAttrs = z.strictObject(stridedAttrs);

defineOp({
  name: 'strided_slice',
  kind: 'primitive',
  arity: 1,
  attrs: stridedSliceAttrs,
  infer: ([x], a) => ({ shape: stridedSliceShape(x.shape, a.begin, a.end, a.strides), dtype: x.dtype }),
  grad: ({ inputs: [x], dy, attrs }) => [stridedSliceGrad(dy, x.shape, attrs.begin, attrs.end, attrs.strides)],
  doc: {
    summary:
      "Python/numpy basic slicing x[b0:e0:s0, b1:e1:s1, ...] with attributes already normalized: the `stridedSlice` builder resolves negative and omitted bounds and clamps them, as Python's `slice.indices`, and fills axes not given.",
    inputs: ['x'],
    shape:
      'Per axis, the number of indices begin, begin + stride, ... strictly before end in the direction of the stride. `begin`, `end` and `strides` need one entry per axis; a stride of 0, and bounds outside the normalized range ([0, dim] for a positive stride, [-1, dim - 1] for a negative one, where an end of -1 means through index 0), are rejected.',
    dtype: "Any; the output has the input's dtype.",
    grad: "dx = strided_slice_grad(dy): dy scattered into zeros of x's shape at the selected positions.",
  },
});

/** The adjoint of strided_slice: `dy` scattered into zeros of `inputShape`. */
const stridedSliceGradAttrs = z.strictObject({ inputShape: zShape, ...stridedAttrs });

defineOp({
  name: 'strided_slice_grad',
  kind: 'primitive',
  arity: 1,
  attrs: stridedSliceGradAttrs,
  infer: ([dy], a) => {
    const want = stridedSliceShape(a.inputShape, a.begin, a.end, a.strides);
    if (!shapesEqual(want, dy.shape)) {
      problem(`dy has shape ${fmtShape(dy.shape)}, but slicing attribute 'inputShape' = ${fmtShape(a.inputShape)} gives ${fmtShape(want)}`);
    }
    return { shape: a.inputShape, dtype: dy.dtype };
  },
  grad: ({ dy, attrs }) => [dy.graph.apply('strided_slice', [dy], { begin: attrs.begin, end: attrs.end, strides: attrs.strides })],
  doc: {
    summary: 'The adjoint of strided_slice: dy scattered into zeros of `inputShape` at the positions that begin, end and strides select.',
    inputs: ['dy'],
    shape: '`inputShape`; dy must have the shape that strided_slice with the same attributes gives for `inputShape`.',
    dtype: "Any; the output has dy's dtype.",
    grad: 'The op is linear: its input gets strided_slice of the incoming gradient, with the same begin, end and strides.',
  },
});

function inferConcat(xs: readonly TensorInfo[], axis: number): TensorInfo {
  const first = xs[0];
  const r = first.shape.length;
  if (r === 0) problem('cannot concatenate scalars (rank 0)');
  const ax = resolveAxis(axis, r);
  let total = 0;
  xs.forEach((x, k) => {
    if (x.dtype !== first.dtype) problem(`input ${k} is ${x.dtype}, but input 0 is ${first.dtype}; all inputs need one dtype`);
    const same = x.shape.length === r && x.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!same) problem(`input ${k} has shape ${fmtShape(x.shape)}, which differs from input 0's ${fmtShape(first.shape)} outside attribute 'axis' = ${axis}`);
    total += x.shape[ax];
  });
  return { shape: first.shape.map((d, i) => (i === ax ? total : d)), dtype: first.dtype };
}

/** Joins the inputs along an existing axis. */
const concatAttrs = z.strictObject({ axis: z.number().int().default(0) });

defineOp({
  name: 'concat',
  kind: 'primitive',
  arity: 'variadic',
  attrs: concatAttrs,
  infer: (xs, a) => inferConcat(xs, a.axis),
  grad: ({ inputs, dy, attrs }) => {
    const ax = resolveAxis(attrs.axis, dy.rank);
    let off = 0;
    return inputs.map((x) => {
      const begin = dy.shape.map((_, i) => (i === ax ? off : 0));
      off += x.shape[ax];
      return slice(dy, begin, [...x.shape]);
    });
  },
  doc: {
    summary: 'Joins the inputs along an existing axis, in order.',
    inputs: ['xs'],
    shape:
      "The inputs' common shape with their sizes along `axis` added up. The inputs need one rank (1 or more; scalars are rejected) and equal sizes on every other axis; `axis` may be negative.",
    dtype: "All inputs have one dtype (any), which the output has.",
    grad: 'Each input gets the slice of dy at its offset along `axis`.',
  },
});

/** Joins same-shaped inputs along a new axis: expand_dims of each, then concat. */
const stackAttrs = z.strictObject({ axis: z.number().int().default(0) });

defineOp({
  name: 'stack',
  kind: 'composite',
  arity: 'variadic',
  attrs: stackAttrs,
  infer: (xs, a) => {
    const first = xs[0];
    const r = first.shape.length;
    if (normAxis(a.axis, r + 1) === null) problem(`attribute 'axis' = ${a.axis} is out of range for stacking rank-${r} inputs (valid: ${-(r + 1)}..${r})`);
    xs.forEach((x, k) => {
      if (x.dtype !== first.dtype) problem(`input ${k} is ${x.dtype}, but input 0 is ${first.dtype}; all inputs need one dtype`);
      if (!shapesEqual(x.shape, first.shape)) problem(`input ${k} has shape ${fmtShape(x.shape)}, but input 0 has ${fmtShape(first.shape)}; stacked inputs need one shape`);
    });
    const ax = normAxis(a.axis, r + 1)!;
    return { shape: [...first.shape.slice(0, ax), xs.length, ...first.shape.slice(ax)], dtype: first.dtype };
  },
  decompose: (xs, a) => {
    const ax = normAxis(a.axis, xs[0].rank + 1)!;
    return concat(
      xs.map((x) => expandDims(x, ax)),
      ax,
    );
  },
  doc: {
    summary: 'Joins same-shaped inputs along a new axis at `axis`.',
    inputs: ['xs'],
    shape: "The inputs' common shape with the number of inputs inserted at `axis`, which must lie in [-(rank+1), rank]. Inputs of different shapes are rejected.",
    dtype: 'All inputs have one dtype (any), which the output has.',
  },
});

const zPadding = z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]));

/** Constant padding: `paddings[i] = [before, after]` elements of `value` around axis i. */
const padAttrs = z.strictObject({ paddings: zPadding, value: z.number().default(0) });

defineOp({
  name: 'pad',
  kind: 'primitive',
  arity: 1,
  attrs: padAttrs,
  infer: ([x], a) => {
    checkLength('paddings', a.paddings, x.shape.length);
    return { shape: x.shape.map((d, i) => a.paddings[i][0] + d + a.paddings[i][1]), dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy, attrs }) => [slice(dy, attrs.paddings.map(([b]) => b), [...x.shape])],
  doc: {
    summary: 'Constant padding: `paddings[i] = [before, after]` elements of `value` before and after axis i.',
    inputs: ['x'],
    shape: 'out[i] = before + x.shape[i] + after; `paddings` needs one pair per axis.',
    dtype: "Any; the output has the input's dtype.",
    grad: 'dx = the slice of dy that x occupies (starting at the `before` paddings).',
  },
});

/** Repeats the input `reps[i]` times along axis i. */
const tileAttrs = z.strictObject({ reps: z.array(z.number().int().nonnegative()) });

defineOp({
  name: 'tile',
  kind: 'primitive',
  arity: 1,
  attrs: tileAttrs,
  infer: ([x], a) => {
    checkLength('reps', a.reps, x.shape.length);
    return { shape: x.shape.map((d, i) => d * a.reps[i]), dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy, attrs }) => {
    if (x.rank === 0) return [dy];
    // dy viewed as [r0, d0, r1, d1, ...], summed over the rep axes.
    const split = reshape(
      dy,
      x.shape.flatMap((d, i) => [attrs.reps[i], d]),
    );
    return [sum(
      split,
      x.shape.map((_, i) => 2 * i),
      false,
    )];
  },
  doc: {
    summary: 'Repeats the input `reps[i]` times along axis i.',
    inputs: ['x'],
    shape: 'out[i] = x.shape[i] · reps[i]; `reps` needs one entry per axis.',
    dtype: "Any; the output has the input's dtype.",
    grad: 'dy viewed as [reps[0], d0, reps[1], d1, ...] and summed over the reps axes (a scalar input gets dy).',
  },
});

/**
 * A contiguous block of `x`: `size[i]` elements from `begin[i]` along axis i; a size of -1 takes
 * everything to the end of the axis.
 * @example slice(x, [0, 1], [-1, 2]) // all rows, columns 1 and 2
 */
export function slice(x: Sym, begin: readonly number[], size: readonly number[]): Sym {
  return x.graph.apply('slice', [x], { begin: [...begin], size: [...size] });
}

function stridedError(x: Sym, message: string): never {
  throw new OpError('strided_slice', [{ shape: x.shape, dtype: x.dtype }], message);
}

/**
 * Python/numpy basic slicing `x[b0:e0:s0, b1:e1:s1, ...]`. Negative begin/end count from the end
 * of the axis and out-of-range values are clamped, as Python; `null` stands for an omitted bound
 * (the start, or the end, in the stride's direction); strides default to 1 and may be negative.
 * Axes beyond the given lists are taken whole.
 * @example stridedSlice(x, [null, 1], [null, null], [-1, 2]) // x[::-1, 1::2]
 */
export function stridedSlice(
  x: Sym,
  begin: readonly (number | null)[],
  end: readonly (number | null)[],
  strides: readonly number[] = [],
): Sym {
  const r = x.rank;
  for (const [what, v] of [['begin', begin], ['end', end], ['strides', strides]] as const) {
    if (v.length > r) stridedError(x, `attribute '${what}' = ${JSON.stringify(v)} has ${v.length} entries, more than the rank ${r}`);
    if (v.some((e) => e !== null && !Number.isInteger(e))) stridedError(x, `attribute '${what}' = ${JSON.stringify(v)} must hold integers`);
  }
  const b: number[] = [];
  const e: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < r; i++) {
    const d = x.shape[i];
    const st = strides[i] ?? 1;
    if (st === 0) stridedError(x, `attribute 'strides' = [${strides}]: the stride at axis ${i} is 0`);
    const [lo, hi] = st > 0 ? [0, d] : [-1, d - 1];
    const norm = (v: number | null | undefined, dflt: number): number => {
      if (v == null) return dflt;
      const w = v < 0 ? v + d : v;
      return Math.min(Math.max(w, lo), hi);
    };
    b.push(norm(begin[i], st > 0 ? lo : hi));
    e.push(norm(end[i], st > 0 ? hi : lo));
    s.push(st);
  }
  return x.graph.apply('strided_slice', [x], { begin: b, end: e, strides: s });
}

/**
 * The gradient of strided_slice: `dy` scattered into zeros of `inputShape` at the positions the
 * (normalized) begin/end/strides select.
 * @example stridedSliceGrad(dy, [5], [4], [-1], [-2]) // dy of x[4::-2] for x of shape [5]
 */
export function stridedSliceGrad(dy: Sym, inputShape: Shape, begin: readonly number[], end: readonly number[], strides: readonly number[]): Sym {
  return dy.graph.apply('strided_slice_grad', [dy], { inputShape: [...inputShape], begin: [...begin], end: [...end], strides: [...strides] });
}

/**
 * Joins tensors of one dtype along an existing axis; their shapes must agree elsewhere.
 * @example concat([a, b], -1) // [2, 3] and [2, 4] -> [2, 7]
 */
export function concat(xs: readonly Sym[], axis = 0): Sym {
  if (xs.length === 0) throw new OpError('concat', [], 'needs at least one input');
  return xs[0].graph.apply('concat', [...xs], { axis });
}

/**
 * Joins same-shaped tensors along a new axis.
 * @example stack([a, b], 0) // two [3] -> [2, 3]
 */
export function stack(xs: readonly Sym[], axis = 0): Sym {
  if (xs.length === 0) throw new OpError('stack', [], 'needs at least one input');
  return xs[0].graph.apply('stack', [...xs], { axis });
}

/**
 * Splits `x` along `axis` into `numOrSizes` equal parts, or into parts of the given sizes (one
 * of which may be -1, taking what remains). Returns slices of `x`.
 * @example const [a, b] = split(x, [1, -1], 1);
 */
export function split(x: Sym, numOrSizes: number | readonly number[], axis = 0): Sym[] {
  const info: { shape: Shape; dtype: DType }[] = [{ shape: x.shape, dtype: x.dtype }];
  const fail = (msg: string): never => {
    throw new OpError('split', info, msg);
  };
  const ax = normAxis(axis, x.rank);
  if (ax === null) return fail(`attribute 'axis' = ${axis} is out of range for rank ${x.rank}`);
  const d = x.shape[ax];
  let sizes: number[];
  if (typeof numOrSizes === 'number') {
    const n = numOrSizes;
    if (!Number.isInteger(n) || n < 1) return fail(`the number of parts ${n} must be a positive integer`);
    if (d % n !== 0) return fail(`cannot split axis ${axis} of size ${d} into ${n} equal parts`);
    sizes = new Array<number>(n).fill(d / n);
  } else {
    sizes = [...numOrSizes];
    if (sizes.length === 0) fail('the list of sizes is empty');
    if (sizes.some((v) => !Number.isInteger(v) || v < -1)) fail(`sizes [${sizes}] must be non-negative integers or -1`);
    const unknown = sizes.filter((v) => v === -1).length;
    if (unknown > 1) fail(`sizes [${sizes}] may hold only one -1`);
    const known = sizes.reduce((acc, v) => (v === -1 ? acc : acc + v), 0);
    if (unknown === 1) {
      if (known > d) fail(`sizes [${sizes}] add up to more than the size ${d} of axis ${axis}`);
      sizes[sizes.indexOf(-1)] = d - known;
    } else if (known !== d) fail(`sizes [${sizes}] add up to ${known}, not the size ${d} of axis ${axis}`);
  }
  let off = 0;
  return sizes.map((n) => {
    const begin = x.shape.map((_, i) => (i === ax ? off : 0));
    const size = x.shape.map((dd, i) => (i === ax ? n : dd));
    off += n;
    return slice(x, begin, size);
  });
}

/**
 * Pads with a constant: `paddings[i] = [before, after]` elements of `value` on axis i.
 * @example pad(x, [[0, 0], [1, 2]]) // [2, 3] -> [2, 6]
 */
export function pad(x: Sym, paddings: readonly (readonly [number, number])[], value = 0): Sym {
  return x.graph.apply('pad', [x], { paddings: paddings.map(([b, a]) => [b, a]), value });
}

/**
 * Repeats `x` `reps[i]` times along axis i (one rep per axis).
 * @example tile(x, [2, 1]) // [2, 3] -> [4, 3]
 */
export function tile(x: Sym, reps: readonly number[]): Sym {
  return x.graph.apply('tile', [x], { reps: [...reps] });
}

declare module './registry.js' {
  interface OpSchemas {
    slice: typeof sliceAttrs;
    strided_slice: typeof stridedSliceAttrs;
    strided_slice_grad: typeof stridedSliceGradAttrs;
    concat: typeof concatAttrs;
    stack: typeof stackAttrs;
    pad: typeof padAttrs;
    tile: typeof tileAttrs;
  }
}
