import { z } from 'zod';
import { allocData, dtypeOfData, type DataArray, type DType } from '../dtype.js';
import { type Graph, type Sym } from '../graph/graph.js';
import { isDim, sizeOf, type Shape } from '../shape.js';
import { graphOf, scalar } from './operand.js';
import { defineOp, problem } from './registry.js';
import { zDType, zShape } from './schemas.js';


/** Graph input. Created by `Graph.placeholder`. */
defineOp({
  name: 'placeholder',
  kind: 'primitive',
  arity: 0,
  attrs: z.strictObject({ shape: zShape, dtype: zDType, name: z.string() }),
  infer: (_, a) => ({ shape: a.shape, dtype: a.dtype }),
});

/** A tensor known at trace time; its data lives in the node. */
defineOp({
  name: 'constant',
  kind: 'primitive',
  arity: 0,
  attrs: z.strictObject({
    data: z.union([z.instanceof(Float32Array), z.instanceof(Int32Array), z.instanceof(Uint8Array)]),
    shape: zShape,
    dtype: zDType,
  }),
  infer: (_, a) => {
    if (dtypeOfData(a.data) !== a.dtype) problem(`data is a ${a.data.constructor.name}, not ${a.dtype}`);
    if (a.data.length !== sizeOf(a.shape)) problem(`data has ${a.data.length} elements, shape [${a.shape}] needs ${sizeOf(a.shape)}`);
    return { shape: a.shape, dtype: a.dtype };
  },
});

/** A tensor of one repeated value. */
defineOp({
  name: 'fill',
  kind: 'primitive',
  arity: 0,
  attrs: z.strictObject({ shape: zShape, value: z.number(), dtype: zDType }),
  infer: (_, a) => ({ shape: a.shape, dtype: a.dtype }),
});

/** The input, unchanged. */
defineOp({
  name: 'identity',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({}),
  infer: ([x]) => x,
  grad: ({ dy }) => [dy],
});

/** The input, unchanged, but no gradient flows through it. */
defineOp({
  name: 'stop_gradient',
  kind: 'primitive',
  arity: 1,
  attrs: z.strictObject({}),
  infer: ([x]) => x,
  grad: () => [null],
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
defineOp({
  name: 'random_uniform',
  kind: 'primitive',
  arity: 1,
  pure: false,
  attrs: z.strictObject({ ...randomAttrs, minval: z.number().default(0), maxval: z.number().default(1) }),
  infer: ([seed], a) => {
    checkSeed(seed);
    if (!(a.maxval > a.minval)) problem(`maxval (${a.maxval}) must be greater than minval (${a.minval})`);
    return { shape: a.shape, dtype: a.dtype };
  },
});

/** Normal samples with the given mean and standard deviation, a pure function of the seed. */
defineOp({
  name: 'random_normal',
  kind: 'primitive',
  arity: 1,
  pure: false,
  attrs: z.strictObject({ ...randomAttrs, mean: z.number().default(0), stddev: z.number().nonnegative().default(1) }),
  infer: ([seed], a) => {
    checkSeed(seed);
    return { shape: a.shape, dtype: a.dtype };
  },
});

function checkShape(shape: Shape): number[] {
  if (!shape.every(isDim)) throw new Error(`shape [${shape}] must hold non-negative integers`);
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

export function zerosLike(x: Sym): Sym {
  return fill(x.graph, x.shape, 0, x.dtype);
}

export function onesLike(x: Sym): Sym {
  return fill(x.graph, x.shape, 1, x.dtype);
}

export function identity(x: Sym): Sym {
  return x.graph.apply('identity', [x]);
}

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
