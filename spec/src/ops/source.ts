import { z } from 'zod';
import { allocData, dtypeOfData, type DataArray, type DType } from '../dtype.js';
import { type Graph, type Sym } from '../graph/graph.js';
import { isDim, sizeOf, type Shape } from '../shape.js';
import { graphOf, scalar } from './operand.js';
import { defineOp, problem } from './registry.js';
import { zDType, zShape } from './schemas.js';
import { KerasShapeError } from '../errors.js';

/** Graph input. Created by `Graph.placeholder`. */
const placeholderAttrs = z.strictObject({ shape: zShape, dtype: zDType, name: z.string() });

defineOp({
  name: 'placeholder',
  kind: 'primitive',
  arity: 0,
  attrs: placeholderAttrs,
  infer: (_, a) => ({ shape: a.shape, dtype: a.dtype }),
  doc: {
    summary: "An input of the graph, fed at run time in the order of the graph's `inputs`; `name` names it (for example as an ONNX model input). Created by `Graph.placeholder`.",
    inputs: [],
    shape: 'The `shape` attribute.',
    dtype: 'The `dtype` attribute.',
    grad: 'No inputs: placeholders are what gradients are taken with respect to.',
  },
});

/** A tensor known at trace time; its data lives in the node. */
const constantAttrs = z.strictObject({
  data: z.union([z.instanceof(Float32Array), z.instanceof(Int32Array), z.instanceof(Uint8Array)]),
  shape: zShape,
  dtype: zDType,
});

defineOp({
  name: 'constant',
  kind: 'primitive',
  arity: 0,
  attrs: constantAttrs,
  infer: (_, a) => {
    if (dtypeOfData(a.data) !== a.dtype) problem(`data is a ${a.data.constructor.name}, not ${a.dtype}`);
    if (a.data.length !== sizeOf(a.shape)) problem(`data has ${a.data.length} elements, shape [${a.shape}] needs ${sizeOf(a.shape)}`);
    return { shape: a.shape, dtype: a.dtype };
  },
  doc: {
    summary: 'A tensor known at trace time: its flat row-major `data` (a Float32Array, Int32Array or Uint8Array for float32, int32 or bool) lives in the node.',
    inputs: [],
    shape: 'The `shape` attribute; `data` must hold exactly as many elements as `shape` has.',
    dtype: 'The `dtype` attribute, which must be that of the typed array in `data`.',
  },
});

/** A tensor of one repeated value. */
const fillAttrs = z.strictObject({ shape: zShape, value: z.number(), dtype: zDType });

defineOp({
  name: 'fill',
  kind: 'primitive',
  arity: 0,
  attrs: fillAttrs,
  infer: (_, a) => ({ shape: a.shape, dtype: a.dtype }),
  doc: {
    summary: 'A tensor whose elements all equal `value`.',
    inputs: [],
    shape: 'The `shape` attribute.',
    dtype: 'The `dtype` attribute.',
  },
});

/** The input, unchanged. */
const identityAttrs = z.strictObject({});

defineOp({
  name: 'identity',
  kind: 'primitive',
  arity: 1,
  attrs: identityAttrs,
  infer: ([x]) => x,
  grad: ({ dy }) => [dy],
  doc: {
    summary: 'The input, unchanged.',
    inputs: ['x'],
    shape: "The input's shape.",
    dtype: "Any dtype; the output has the input's.",
    grad: '`x` gets `dy` unchanged.',
  },
});

/** The input, unchanged, but no gradient flows through it. */
const stopGradientAttrs = z.strictObject({});

defineOp({
  name: 'stop_gradient',
  kind: 'primitive',
  arity: 1,
  attrs: stopGradientAttrs,
  infer: ([x]) => x,
  grad: () => [null],
  doc: {
    summary: 'The input, unchanged, but no gradient flows back through it: for autodiff its output is a constant.',
    inputs: ['x'],
    shape: "The input's shape.",
    dtype: "Any dtype; the output has the input's.",
    grad: '`x` gets none (the rule returns no adjoint, so nothing is propagated; unlike an op without a rule, tracing a gradient through it does not fail).',
  },
});

const randomAttrs = {
  shape: zShape,
  dtype: z.literal('float32').default('float32'),
};

/** Random ops take their seed as an int32 scalar input, so that a compiled graph can draw new samples on every run. */
function checkSeed(seed: { shape: Shape; dtype: string }): void {
  if (seed.dtype !== 'int32' || seed.shape.length !== 0) problem(`the seed input must be an int32 scalar, got ${seed.dtype}[${seed.shape}]`);
}

/** Uniform samples in [minval, maxval), a pure function of the seed. */
const randomUniformAttrs = z.strictObject({ ...randomAttrs, minval: z.number().default(0), maxval: z.number().default(1) });

defineOp({
  name: 'random_uniform',
  kind: 'primitive',
  arity: 1,
  pure: false,
  attrs: randomUniformAttrs,
  infer: ([seed], a) => {
    checkSeed(seed);
    if (!(a.maxval > a.minval)) problem(`maxval (${a.maxval}) must be greater than minval (${a.minval})`);
    return { shape: a.shape, dtype: a.dtype };
  },
  doc: {
    summary:
      'Uniform samples in [minval, maxval), determined by the seed: the same seed gives the same samples on a given backend. The seed is an input (not an attribute) so that a compiled graph can be fed a new one, and draw new samples, on every run.',
    inputs: ['seed'],
    shape: 'The `shape` attribute; the seed must be a scalar and `maxval` greater than `minval`.',
    dtype: 'The seed is int32; the output is float32 (the only `dtype` allowed).',
    grad: 'None: the op has no rule, and its only input, the int32 seed, never carries a gradient.',
  },
});

/** Normal samples with the given mean and standard deviation, a pure function of the seed. */
const randomNormalAttrs = z.strictObject({ ...randomAttrs, mean: z.number().default(0), stddev: z.number().nonnegative().default(1) });

defineOp({
  name: 'random_normal',
  kind: 'primitive',
  arity: 1,
  pure: false,
  attrs: randomNormalAttrs,
  infer: ([seed], a) => {
    checkSeed(seed);
    return { shape: a.shape, dtype: a.dtype };
  },
  doc: {
    summary:
      'Normal samples with mean `mean` and standard deviation `stddev`, determined by the seed: the same seed gives the same samples on a given backend. The seed is an input so that a compiled graph can be fed a new one on every run.',
    inputs: ['seed'],
    shape: 'The `shape` attribute; the seed must be a scalar.',
    dtype: 'The seed is int32; the output is float32 (the only `dtype` allowed).',
    grad: 'None: the op has no rule, and its only input, the int32 seed, never carries a gradient.',
  },
});

function checkShape(shape: Shape): number[] {
  if (!shape.every(isDim)) throw new KerasShapeError(`shape [${shape}] must hold non-negative integers`);
  return [...shape];
}

/**
 * A constant tensor from flat row-major data.
 * @example const c = constant(g, new Float32Array([1, 2, 3]), [3]);
 */
export function constant(graph: Graph, data: DataArray | readonly number[], shape: Shape, dtype?: DType): Sym {
  const dt = dtype ?? (ArrayBuffer.isView(data) ? dtypeOfData(data as DataArray) : 'float32');
  let arr: DataArray;
  if (ArrayBuffer.isView(data) && dtypeOfData(data as DataArray) === dt) arr = data as DataArray;
  else {
    arr = allocData(dt, (data as ArrayLike<number>).length);
    arr.set(data as ArrayLike<number>);
  }
  return graph.apply('constant', [], { data: arr, shape: checkShape(shape), dtype: dt });
}

/** A tensor of `shape` filled with `value`. */
export function fill(graph: Graph, shape: Shape, value: number, dtype: DType = 'float32'): Sym {
  return graph.apply('fill', [], { shape: checkShape(shape), value, dtype });
}

/** A tensor of zeros with the shape and dtype of `x`. */
export function zerosLike(x: Sym): Sym {
  return fill(x.graph, x.shape, 0, x.dtype);
}

/** A tensor of ones with the shape and dtype of `x`. */
export function onesLike(x: Sym): Sym {
  return fill(x.graph, x.shape, 1, x.dtype);
}

/** `x` unchanged, as a new node (the `identity` op). */
export function identity(x: Sym): Sym {
  return x.graph.apply('identity', [x]);
}

/**
 * `x` unchanged, but no gradient flows back through it (the `stop_gradient` op).
 * @example const m = stopGradient(max(x, -1, true)); // a constant for autodiff
 */
export function stopGradient(x: Sym): Sym {
  return x.graph.apply('stop_gradient', [x]);
}

function seedSym(graph: Graph, seed: number | Sym): Sym {
  return typeof seed === 'number' ? scalar(graph, seed, 'int32') : seed;
}

/**
 * Seeded uniform samples in [minval, maxval); the same seed gives the same samples on a given
 * backend. The seed is a number or an int32 scalar tensor (fed per run for fresh samples).
 * @example randomUniform(g, [2, 3], 42, -1, 1)
 */
export function randomUniform(graph: Graph, shape: Shape, seed: number | Sym, minval = 0, maxval = 1): Sym {
  return graph.apply('random_uniform', [seedSym(graph, seed)], { shape: checkShape(shape), minval, maxval });
}

/** Seeded normal samples; the same seed gives the same samples on a given backend. */
export function randomNormal(graph: Graph, shape: Shape, seed: number | Sym, mean = 0, stddev = 1): Sym {
  return graph.apply('random_normal', [seedSym(graph, seed)], { shape: checkShape(shape), mean, stddev });
}

export { scalar, graphOf };

declare module './registry.js' {
  interface OpSchemas {
    placeholder: typeof placeholderAttrs;
    constant: typeof constantAttrs;
    fill: typeof fillAttrs;
    identity: typeof identityAttrs;
    stop_gradient: typeof stopGradientAttrs;
    random_uniform: typeof randomUniformAttrs;
    random_normal: typeof randomNormalAttrs;
  }
}
