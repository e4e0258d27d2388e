import { fmtShape, ops, type HostTensor, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { Layer, parseArgs, type InputShape, type LayerArgs, type WeightInitializer } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import { Tensor, full, tensor } from '../../tensor.js';
import { fmtSymbolic } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { describeValue, KerasShapeError, KerasStateError, KerasTypeError, KerasValueError } from '../../errors.js';

/** Keras' backend epsilon: the floor of the standard deviation. */
const EPSILON = 1e-7;

type Nested = number | readonly Nested[];
const zNested: z.ZodType<Nested> = z.lazy(() => z.union([z.number(), z.array(zNested)]));

const NormalizationArgs = z.looseObject({
  /** The axis or axes that keep their own mean and variance (default -1; null: one for everything). */
  axis: z.union([z.number().int(), z.array(z.number().int())]).nullable().default(-1),
  /** A fixed mean (a number or an array broadcastable to the kept axes); give with `variance`. */
  mean: zNested.nullable().optional(),
  /** A fixed variance, likewise. */
  variance: zNested.nullable().optional(),
  /** Undo the normalization instead: `mean + x * sqrt(variance)`. */
  invert: z.boolean().default(false),
});

/** The arguments of `Normalization` (each is documented on its schema, `NormalizationArgs`). */
export interface NormalizationArgs extends LayerArgs, z.input<typeof NormalizationArgs> {}

function shapeOf(v: Nested): number[] {
  return typeof v === 'number' ? [] : [v.length, ...(v.length ? shapeOf(v[0]) : [])];
}

function flatten(v: Nested, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else for (const e of v) flatten(e, out);
  return out;
}

/** numpy's broadcast of `value` to `shape` (row-major flat values), or null if it cannot. */
function broadcastHost(value: Nested, shape: readonly number[]): number[] | null {
  let vs = shapeOf(value);
  const flat = flatten(value);
  if (flat.length !== vs.reduce((a, b) => a * b, 1)) return null; // ragged
  // Leading axes of size 1 beyond the target rank drop out (numpy then reshapes to the same size).
  while (vs.length > shape.length && vs[0] === 1) vs = vs.slice(1);
  if (vs.length > shape.length) return null;
  const padded = [...Array<number>(shape.length - vs.length).fill(1), ...vs];
  if (padded.some((d, i) => d !== 1 && d !== shape[i])) return null;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(size);
  const strides = padded.map((_, i) => padded.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let k = 0; k < size; k++) {
    let rem = k;
    let src = 0;
    for (let i = shape.length - 1; i >= 0; i--) {
      const idx = rem % shape[i];
      rem = Math.floor(rem / shape[i]);
      if (padded[i] !== 1) src += idx * strides[i];
    }
    out[k] = flat[src];
  }
  return out;
}

const zerosInit = (dtype: 'float32' | 'int32'): WeightInitializer => ({ init: (shape) => full(shape, 0, dtype) });
const onesInit: WeightInitializer = { init: (shape) => full(shape, 1, 'float32') };

/**
 * Normalizes inputs to mean 0 and variance 1 per index of the kept `axis`:
 * `(x - mean) / max(sqrt(variance), 1e-7)`. The statistics are given (`mean`, `variance`) or
 * learned from data with `adapt` (stored as the non-trainable weights `mean`, `variance`, `count`).
 *
 * @example
 * const norm = new Normalization({ axis: -1 });
 * norm.adapt(tensor([[0, 7, 4], [2, 9, 6]]));
 * norm.apply(tensor([[1, 8, 5]])); // [[0, 0, 0]]
 */
export class Normalization extends Layer {
  static override readonly className = 'Normalization';
  static override readonly argsSchema: ArgsDeclaration = NormalizationArgs;
  /** The kept axes as given (Keras stores a tuple). */
  readonly axis: number[];
  readonly inputMean: Nested | null;
  readonly inputVariance: Nested | null;
  readonly invert: boolean;
  adaptMean: Variable | null = null;
  adaptVariance: Variable | null = null;
  count: Variable | null = null;
  private keepAxis: number[] = [];
  private reduceAxis: number[] = [];
  private broadcastShape: number[] = [];
  private meanValues: number[] | null = null;
  private varianceValues: number[] | null = null;
  private builtRank = -1;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const a = parseArgs(NormalizationArgs, args, `Normalization '${this.name}'`);
    this.axis = a.axis === null ? [] : typeof a.axis === 'number' ? [a.axis] : [...a.axis];
    const hasMean = a.mean !== null && a.mean !== undefined;
    const hasVar = a.variance !== null && a.variance !== undefined;
    if (hasMean !== hasVar) {
      throw new KerasValueError(`${this.label}: when setting values directly, both mean and variance must be given; got mean ${JSON.stringify(a.mean ?? null)} and variance ${JSON.stringify(a.variance ?? null)}`);
    }
    this.inputMean = hasMean ? (a.mean as Nested) : null;
    this.inputVariance = hasVar ? (a.variance as Nested) : null;
    this.invert = a.invert;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const ndim = shape.length;
    if (this.axis.some((ax) => ax < -ndim || ax >= ndim)) {
      throw new KerasValueError(`${this.label}: every axis must be in [-${ndim}, ${ndim}) for inputs of shape ${fmtSymbolic(shape)}; got axis [${this.axis.join(', ')}]`);
    }
    this.keepAxis = [...new Set(this.axis.map((ax) => (ax < 0 ? ax + ndim : ax)))].sort((x, y) => x - y);
    for (const d of this.keepAxis) {
      if (shape[d] === null) throw new KerasShapeError(`${this.label}: the kept axis ${d} of the input shape ${fmtSymbolic(shape)} must be known (axis [${this.axis.join(', ')}])`);
    }
    this.reduceAxis = shape.map((_, d) => d).filter((d) => !this.keepAxis.includes(d));
    this.broadcastShape = shape.map((d, i) => (this.keepAxis.includes(i) ? (d as number) : 1));
    this.builtRank = ndim;
    const mvShape = this.keepAxis.map((d) => shape[d] as number);
    if (this.inputMean === null) {
      this.adaptMean = this.addWeight({ name: 'mean', shape: mvShape, initializer: zerosInit('float32'), trainable: false });
      this.adaptVariance = this.addWeight({ name: 'variance', shape: mvShape, initializer: onesInit, trainable: false });
      this.count = this.addWeight({ name: 'count', shape: [], dtype: 'int32', initializer: zerosInit('int32'), trainable: false });
    } else {
      const m = broadcastHost(this.inputMean, mvShape);
      const v = broadcastHost(this.inputVariance as Nested, mvShape);
      if (!m) throw new KerasValueError(`${this.label}: mean ${JSON.stringify(this.inputMean)} does not broadcast to the shape ${fmtShape(mvShape)} of the kept axes [${this.axis.join(', ')}] of inputs ${fmtSymbolic(shape)}`);
      if (!v) throw new KerasValueError(`${this.label}: variance ${JSON.stringify(this.inputVariance)} does not broadcast to the shape ${fmtShape(mvShape)} of the kept axes [${this.axis.join(', ')}] of inputs ${fmtSymbolic(shape)}`);
      this.meanValues = m;
      this.varianceValues = v;
    }
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = ops.cast(inputs as Sym, 'float32');
    if (x.rank !== this.builtRank || this.keepAxis.some((d) => x.shape[d] !== this.broadcastShape[d])) {
      throw new KerasShapeError(`${this.label} was built for inputs of rank ${this.builtRank} with sizes ${this.keepAxis.map((d) => `${this.broadcastShape[d]} at axis ${d}`).join(', ') || '(no kept axis)'}; got shape ${fmtShape(x.shape)}`);
    }
    let mean: Sym;
    let variance: Sym;
    if (this.adaptMean && this.adaptVariance) {
      mean = ops.reshape(this.adaptMean.read(), this.broadcastShape);
      variance = ops.reshape(this.adaptVariance.read(), this.broadcastShape);
    } else {
      mean = ops.constant(x.graph, this.meanValues!, this.broadcastShape, 'float32');
      variance = ops.constant(x.graph, this.varianceValues!, this.broadcastShape, 'float32');
    }
    const std = ops.maximum(ops.sqrt(variance), EPSILON);
    return this.invert ? ops.add(mean, ops.mul(x, std)) : ops.div(ops.sub(x, mean), std);
  }

  /**
   * Computes the mean and variance of `data` over every axis but the kept ones, on the host,
   * and stores them (with the count of reduced elements) as the layer's weights. Builds the
   * layer for `data`'s shape if needed (a Tensor, or nested arrays of numbers). Refused when
   * `mean` and `variance` were given.
   */
  adapt(values: HostTensor | readonly Nested[]): void {
    const data: HostTensor = Array.isArray(values) ? tensor(values as readonly Nested[]) : (values as HostTensor);
    if (this.inputMean !== null) {
      throw new KerasStateError(`${this.label} was created with a fixed mean ${JSON.stringify(this.inputMean)} and variance ${JSON.stringify(this.inputVariance)}; it cannot adapt`);
    }
    if (!data || !Array.isArray(data.shape) || !data.data) throw new KerasTypeError(`${this.label}.adapt expects a Tensor, got ${describeValue(data)}`);
    if (data.dtype === 'bool') throw new KerasTypeError(`${this.label}.adapt expects numbers, got a bool tensor of shape ${fmtShape(data.shape)}`);
    this.maybeBuild([...data.shape]);
    const shape = data.shape;
    if (shape.length !== this.builtRank || this.keepAxis.some((d) => shape[d] !== this.broadcastShape[d])) {
      throw new KerasShapeError(`${this.label} was built for inputs of rank ${this.builtRank} with sizes ${this.keepAxis.map((d) => `${this.broadcastShape[d]} at axis ${d}`).join(', ') || '(no kept axis)'}; adapt got data of shape ${fmtSymbolic(shape)}`);
    }
    const keepSize = this.keepAxis.reduce((n, d) => n * shape[d], 1);
    const count = this.reduceAxis.reduce((n, d) => n * shape[d], 1);
    if (count === 0) throw new KerasValueError(`${this.label}.adapt got no data to reduce (shape ${fmtSymbolic(shape)})`);
    // Flat index -> index among the kept positions.
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    const keepStrides = this.keepAxis.map((_, k) => this.keepAxis.slice(k + 1).reduce((a, d) => a * shape[d], 1));
    const keepIndex = (flat: number): number => {
      let j = 0;
      this.keepAxis.forEach((d, k) => (j += (Math.floor(flat / strides[d]) % shape[d]) * keepStrides[k]));
      return j;
    };
    const sum = new Float64Array(keepSize);
    const vals = data.data;
    for (let i = 0; i < vals.length; i++) sum[keepIndex(i)] += Number(vals[i]);
    const mean = sum.map((s) => s / count);
    const sq = new Float64Array(keepSize);
    for (let i = 0; i < vals.length; i++) {
      const j = keepIndex(i);
      const dlt = Number(vals[i]) - mean[j];
      sq[j] += dlt * dlt;
    }
    const mvShape = this.keepAxis.map((d) => shape[d]);
    this.adaptMean!.assign(new Tensor(mvShape, 'float32', Float32Array.from(mean)));
    this.adaptVariance!.assign(new Tensor(mvShape, 'float32', Float32Array.from(sq, (s) => s / count)));
    this.count!.assign(new Tensor([], 'int32', Int32Array.of(count)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: [...this.axis], invert: this.invert, mean: this.inputMean, variance: this.inputVariance };
  }
}
