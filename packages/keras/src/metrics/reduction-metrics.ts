import { fmtShape, ops, Sym } from '@keras-ts/spec';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { configToArgs } from '../engine/layer.js';
import { camelToSnake } from '../naming.js';
import { EagerFunctions } from '../engine/eager.js';
import type { Variable } from '../engine/variable.js';
import type { Tensor } from '../tensor.js';
import { BaseMetric, parseMetricArgs, type MetricArgs } from './base-metric.js';
import { METRIC_FUNCTIONS, METRIC_FUNCTION_ALIASES, type MetricFn, type MetricValues } from './functions.js';
import { divideNoNan, squeezeOrExpandDimensions, toFloat, weightsBroadcastable } from './utils.js';
import { KerasShapeError, KerasTypeError, KerasValueError } from '../errors.js';

type Reduction = 'sum' | 'weighted_mean';

/**
 * Keras 2's `Reduce` metric: a running `total` (and `count` for the mean) of values, weighted
 * by sample weights.
 *
 * Sample weights are aligned with the values (a size-1 last axis squeezed, a missing one
 * added), broadcast to them when TensorFlow's `broadcast_weights` allows it (a scalar, or the
 * same rank with each axis 1 or equal); otherwise the values are first reduced over their
 * extra trailing axes. The mean's count is the sum of the (broadcast) weights, or the number of
 * values without weights.
 */
export abstract class Reduce extends BaseMetric {
  readonly reduction: Reduction;
  protected readonly total: Variable;
  protected readonly count: Variable | null;
  private readonly valueFns = new EagerFunctions();

  constructor(reduction: Reduction, name: string) {
    super(name);
    this.reduction = reduction;
    this.total = this.addState('total', []);
    this.count = reduction === 'weighted_mean' ? this.addState('count', []) : null;
  }

  /** Adds values (and their weights) to the state, inside a traced function. */
  protected reduceUpdate(values: Sym, sampleWeight: Sym | null | undefined): void {
    let v = toFloat(values);
    let w = sampleWeight ? toFloat(sampleWeight) : null;
    if (w) {
      ({ yPred: v, sampleWeight: w } = squeezeOrExpandDimensions(v, null, w, this.label));
      if (weightsBroadcastable(w!, v)) {
        w = ops.broadcastTo(w!, v.shape);
      } else {
        if (w!.rank > v.rank) {
          throw new KerasShapeError(`${this.label}: sample_weight of shape ${fmtShape(w!.shape)} cannot be applied to values of shape ${fmtShape(v.shape)}`);
        }
        const axes = Array.from({ length: v.rank - w!.rank }, (_, i) => w!.rank + i);
        v = this.reduction === 'sum' ? ops.sum(v, axes) : ops.mean(v, axes);
        if (!weightsBroadcastable(w!, v)) {
          throw new KerasShapeError(`${this.label}: sample_weight of shape ${fmtShape(w!.shape)} cannot be broadcast to values of shape ${fmtShape(values.shape)}`);
        }
      }
      v = ops.mul(v, w!);
    }
    this.assign(this.total, ops.add(this.total.read(), ops.sum(v)));
    if (this.count) {
      const n = w ? ops.sum(w) : ops.fill(v.graph, [], v.shape.reduce((a, b) => a * b, 1));
      this.assign(this.count, ops.add(this.count.read(), n));
    }
  }

  override result(): Sym {
    if (!this.count) return ops.identity(this.total.read());
    return divideNoNan(this.total.read(), this.count.read());
  }

  /**
   * Updates the state from concrete values (Keras' `update_state(values, sample_weight)` of
   * `Mean` and `Sum`, run now).
   *
   * @example
   * const m = new Mean();
   * await m.updateValues(tensor([1, 3, 5, 7]));
   * (await m.resultValue()).toArray(); // 4
   */
  async updateValues(values: Tensor, sampleWeight?: Tensor | null): Promise<void> {
    const inputs = sampleWeight ? [values, sampleWeight] : [values];
    await this.valueFns.run('values', inputs, ([v, w]) => {
      this.reduceUpdate(v, w ?? null);
      return [];
    });
  }
}

const zNone = {};

/**
 * The weighted sum of values (`keras.metrics.Sum`).
 *
 * @example
 * const m = new Sum();
 * await m.updateValues(tensor([1, 3, 5, 7]), tensor([1, 1, 0, 0]));
 * (await m.resultValue()).toArray(); // 4
 */
export class Sum extends Reduce {
  static override readonly className: string = 'Sum';
  constructor(args: MetricArgs = {}) {
    const a = parseMetricArgs('Sum', args, zNone);
    super('sum', a.name ?? 'sum');
  }

  /** Adds `values` (weighted by `sampleWeight`) to the total. */
  override updateState(values: Sym, sampleWeight?: Sym | null): void {
    this.reduceUpdate(values, sampleWeight);
  }
}

/**
 * The weighted mean of values (`keras.metrics.Mean`): `total / count`.
 *
 * @example
 * const m = new Mean();
 * await m.updateValues(tensor([1, 3, 5, 7]), tensor([1, 1, 0, 0]));
 * (await m.resultValue()).toArray(); // 2
 */
export class Mean extends Reduce {
  static override readonly className: string = 'Mean';
  constructor(args: MetricArgs = {}) {
    const a = parseMetricArgs('Mean', args, zNone);
    super('weighted_mean', a.name ?? 'mean');
  }

  /** Adds `values` (weighted by `sampleWeight`) to the running mean. */
  override updateState(values: Sym, sampleWeight?: Sym | null): void {
    this.reduceUpdate(values, sampleWeight);
  }
}

/**
 * The base of the metrics that average a per-sample function of labels and predictions
 * (Keras 2's `MeanMetricWrapper` subclasses): labels and predictions are cast to float32 and
 * aligned (a size-1 last axis squeezed), the function gives per-sample values, and their
 * weighted mean accumulates. Values the function masks out (`ignore_class`) get weight 0.
 */
export abstract class MeanFunctionMetric extends Reduce {
  constructor(name: string) {
    super('weighted_mean', name);
  }

  /** The per-sample values of a batch. */
  protected abstract values(yTrue: Sym, yPred: Sym): Sym | MetricValues;

  override updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void {
    const { yPred: p, yTrue: t } = squeezeOrExpandDimensions(toFloat(yPred), toFloat(yTrue), null, this.label);
    const out = this.values(t!, p);
    const { values, mask } = out instanceof Sym ? { values: out, mask: null } : out;
    let w = sampleWeight ? toFloat(sampleWeight) : null;
    if (mask) {
      const m = toFloat(mask);
      if (w) {
        const aligned = squeezeOrExpandDimensions(m, null, w, this.label);
        w = ops.mul(aligned.sampleWeight!, m);
      } else w = m;
    }
    this.reduceUpdate(values, w);
  }
}

/**
 * A mean metric of one fixed per-sample function (the classes {@link meanFunctionClass} makes
 * extend it).
 *
 * @example
 * const m = new MeanOfFunction('abs_error', (t, p) => ops.abs(ops.sub(t, p)));
 */
export class MeanOfFunction extends MeanFunctionMetric {
  readonly #fn: MetricFn;

  constructor(name: string, fn: MetricFn) {
    super(name);
    this.#fn = fn;
  }

  protected override values(yTrue: Sym, yPred: Sym): Sym | MetricValues {
    return this.#fn(yTrue, yPred, {});
  }
}

/** A class made by {@link meanFunctionClass}: a mean metric of one fixed function, whose only arguments are `name` and `dtype`. */
export type MeanFunctionClass = (new (args?: MetricArgs) => MeanOfFunction) & Pick<typeof BaseMetric, 'className' | 'fromConfig'>;

/**
 * The base class of a metric that averages one fixed per-sample function and takes no argument
 * but `name` and `dtype` (Keras 2's `MeanMetricWrapper` subclasses such as `MeanSquaredError`,
 * each `super().__init__(fn, name, dtype=dtype)`): the metric is named `defaultName` unless a
 * name is given, and its config is `{ name, dtype }`. Extend the class it returns.
 *
 * @example
 * class MeanCubedError extends meanFunctionClass('MeanCubedError', 'mean_cubed_error', (t, p) => ops.mean(ops.pow(ops.abs(ops.sub(p, t)), 3), -1)) {}
 * registerClass('metric', MeanCubedError, 'mean_cubed_error');
 * const m = new MeanCubedError();
 */
export function meanFunctionClass(className: string, defaultName: string, fn: MetricFn): MeanFunctionClass {
  return class extends MeanOfFunction {
    static override readonly className: string = className;
    constructor(args: MetricArgs = {}) {
      super(parseMetricArgs(className, args, {}).name ?? defaultName, fn);
    }
  };
}

export interface MeanMetricWrapperArgs extends MetricArgs {
  /** The per-sample function: a function over symbolic tensors, or a Keras metric function name such as `'mean_squared_error'`. */
  fn: MetricFn | string | { class_name: string; config: unknown };
  /** Keyword arguments of the function, named or given: its third argument (such as `threshold` for `binary_accuracy`). */
  [kwarg: string]: unknown;
}

function functionName(fn: MeanMetricWrapperArgs['fn']): string | null {
  if (typeof fn === 'string') return fn;
  if (typeof fn === 'object' && fn && typeof fn.config === 'string') return fn.config; // Keras 3: {class_name: 'function', config: 'name'}
  return null;
}

/**
 * Wraps a stateless metric function into a mean metric (`keras.metrics.MeanMetricWrapper`).
 * A named Keras function serializes by its name; a custom function needs a name given in
 * `customObjects` to be read back.
 *
 * @example
 * const m = new MeanMetricWrapper({ fn: (t, p) => ops.abs(ops.sub(t, p)), name: 'abs_error' });
 * const mse = new MeanMetricWrapper({ fn: 'mean_squared_error' });
 */
export class MeanMetricWrapper extends MeanFunctionMetric {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly fn: MetricFn;
  readonly fnName: string | null;
  readonly fnKwargs: Record<string, unknown>;

  constructor(args: MeanMetricWrapperArgs) {
    const { fn, name, dtype, ...kwargs } = args ?? ({} as MeanMetricWrapperArgs);
    parseMetricArgs('MeanMetricWrapper', { name, dtype }, {});
    const fname = functionName(fn);
    let f: MetricFn;
    if (typeof fn === 'function') f = fn;
    else if (fname) {
      const canonical = METRIC_FUNCTION_ALIASES[fname] ?? fname;
      const impl = METRIC_FUNCTIONS[canonical];
      if (!impl) throw new KerasValueError(`MeanMetricWrapper: unknown metric function '${fname}'; known: ${Object.keys(METRIC_FUNCTIONS).join(', ')}`);
      f = impl;
    } else throw new KerasTypeError(`MeanMetricWrapper: argument 'fn' got ${JSON.stringify(fn)}: expected a function or a metric function name`);
    super(name ?? fname ?? (typeof fn === 'function' && fn.name ? fn.name : 'mean_metric_wrapper'));
    this.fn = f;
    this.fnName = fname ? (METRIC_FUNCTION_ALIASES[fname] ?? fname) : typeof fn === 'function' && fn.name ? fn.name : null;
    this.fnKwargs = kwargs;
  }

  /** `fn(yTrue, yPred, kwargs)`: the keyword arguments go to the function, named or given (as Keras 2's `**kwargs`). */
  protected override values(yTrue: Sym, yPred: Sym): Sym | MetricValues {
    return this.fn(yTrue, yPred, this.fnKwargs);
  }

  override getConfig(): Record<string, unknown> {
    const kw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.fnKwargs)) kw[camelToSnake(k)] = v;
    return { ...super.getConfig(), ...kw, fn: this.fnName };
  }

  static override fromConfig<T>(this: new (args: Record<string, unknown>) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    const args = configToArgs(config) as Record<string, unknown>;
    const name = functionName(args.fn as MeanMetricWrapperArgs['fn']);
    const c = name ? custom?.[name] : undefined;
    if (typeof c === 'function' && !('fromConfig' in c)) args.fn = c;
    return new this(args);
  }
}

registerClass('metric', Sum);
registerClass('metric', Mean);
registerClass('metric', MeanMetricWrapper);
