import { fmtShape, isOpNode, ops, resolveAxis, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { configToArgs, parseArgs } from '../engine/layer.js';
import { Loss, type LossArgs, type Reduction } from './loss.js';
import { checkArgKeys, unknownArgumentsError } from '../arguments/strict-args.js';
import { KerasConfigError, KerasShapeError, KerasTypeError, KerasValueError } from '../errors.js';

/** Keras' `backend.epsilon()`: the fuzz factor of clipped probabilities and divisions. */
export const EPSILON = 1e-7;

/** A loss function over symbolic tensors: per-sample losses from labels and predictions. */
export type LossFunction = (yTrue: Sym, yPred: Sym) => Sym;

/** The float32 value of a number, as Keras holds hyperparameters once they are tensors. */
export const f32 = Math.fround;

/** Labels and predictions as float32 (Keras casts the labels to the predictions' dtype, floatx). */
export function asFloat(yTrue: Sym, yPred: Sym): [Sym, Sym] {
  return [ops.cast(yTrue, 'float32'), ops.cast(yPred, 'float32')];
}

/**
 * Keras 2's `squeeze_or_expand_dimensions(y_pred, y_true)` as the loss classes apply it before
 * their function: a trailing axis of size 1 is dropped from whichever tensor has one rank too
 * many, unless the predictions have exactly one more axis than the labels (sparse labels).
 */
export function squeezeOrExpand(yTrue: Sym, yPred: Sym): [Sym, Sym] {
  const diff = yPred.rank - yTrue.rank;
  if (diff !== 1 || yPred.shape[yPred.rank - 1] === 1) {
    if (diff === 1 && yPred.shape[yPred.rank - 1] === 1) return [yTrue, ops.squeeze(yPred, [-1])];
    if (diff === -1 && yTrue.shape[yTrue.rank - 1] === 1) return [ops.squeeze(yTrue, [-1]), yPred];
  }
  return [yTrue, yPred];
}

/** Resolves a possibly negative axis for a loss, with a message naming the function and shape. */
export function lossAxis(fnName: string, axis: number, x: Sym): number {
  try {
    return resolveAxis(axis, x.rank);
  } catch {
    throw new KerasValueError(`${fnName}: axis ${axis} is out of range for y_pred of shape ${fmtShape(x.shape)}`);
  }
}

/** Keras' `shape.assert_is_compatible_with`: labels and predictions of the same shape. */
export function requireSameShape(fnName: string, yTrue: Sym, yPred: Sym): void {
  const a = yTrue.shape;
  const b = yPred.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new KerasShapeError(`${fnName}: y_true of shape ${fmtShape(a)} is not compatible with y_pred of shape ${fmtShape(b)}; they must have the same shape`);
  }
}

/**
 * Keras 2's `_get_logits`: when the predictions are the output of a sigmoid (or of a softmax over
 * `axis`), a crossentropy works from the logits that produced them, for numerical stability, as
 * tf.keras does in compiled training. Returns the tensor to use and whether it holds logits.
 */
export function maybeLogits(yPred: Sym, fromLogits: boolean, op: 'sigmoid' | 'softmax', axis?: number): [Sym, boolean] {
  const node = yPred.node;
  if (node.op !== op) return [yPred, fromLogits];
  if (isOpNode(node, 'softmax')) {
    const input = yPred.graph.sym(node.inputs[0]);
    const own = resolveAxis(node.attrs.axis, input.rank);
    if (own !== yPred.rank - 1 || own !== resolveAxis(axis ?? -1, yPred.rank)) return [yPred, fromLogits];
    return [input, true];
  }
  return [yPred.graph.sym(node.inputs[0]), true];
}

// Keras 3 also writes 'mean' (the same as sum_over_batch_size); its 'mean_with_sample_weight'
// (divide by the sum of the weights) has no Keras 2 equivalent and is refused.
const zReductionArg = z
  .enum(['auto', 'sum_over_batch_size', 'sum', 'none', 'mean'], { error: "expected 'auto', 'sum_over_batch_size', 'sum' or 'none'" })
  .nullable()
  .optional();
const zDtypeArg = z
  .union([z.literal('float32'), z.looseObject({ class_name: z.enum(['DTypePolicy', 'Policy']), config: z.looseObject({ name: z.literal('float32') }) })])
  .nullable()
  .optional();

/**
 * Validates a loss's arguments: its own (camelCase) plus `reduction` and `name`, and the Keras 3
 * keys at neutral values (`dtype` float32 or null, and `fn`, the function's name that Keras writes
 * in `.keras` files). Unknown arguments are refused with the list of those the loss takes.
 */
export function parseLossArgs<S extends z.ZodRawShape>(cls: string, shape: S, given: object): z.infer<z.ZodObject<S>> & LossArgs {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new KerasTypeError(`${cls}: expected an object of arguments, got ${JSON.stringify(given)}`);
  const args = given as Record<string, unknown>;
  const own = Object.keys(shape);
  const known = new Set([...own, 'reduction', 'name', 'dtype', 'fn']);
  const unknown = Object.keys(args).filter((k) => !known.has(k) && args[k] !== undefined);
  if (unknown.length) throw unknownArgumentsError(cls, Object.fromEntries(unknown.map((k) => [k, args[k]])), [...own, 'reduction', 'name']);
  const schema = z.object({ ...shape, reduction: zReductionArg, name: z.string().optional(), dtype: zDtypeArg, fn: z.string().optional() });
  try {
    return parseArgs(schema, args, cls) as z.infer<z.ZodObject<S>> & LossArgs;
  } catch (e) {
    if ('dtype' in args && !zDtypeArg.safeParse(args.dtype).success) {
      throw new KerasValueError(`${cls}: argument 'dtype' got ${JSON.stringify(args.dtype)}; losses compute in float32`);
    }
    throw e;
  }
}

/** Keras 2's default is `auto`; Keras 3 writes `null` for no reduction and `mean` for sum_over_batch_size. */
function keras2Reduction(r: Reduction | 'mean' | null | undefined): Reduction {
  if (r === undefined) return 'auto';
  if (r === 'mean') return 'sum_over_batch_size';
  return r ?? 'none';
}

/** Arguments of a loss that wraps a function. */
export interface LossFunctionWrapperArgs extends LossArgs {
  /** Keras 3 / `.keras` files: the registered name of the wrapped function. */
  fn?: string;
}

const builtinFunctions = new Map<string, LossFunction>();

/** Registers a plain loss function under its Keras names, so `LossFunctionWrapper` configs can name it. */
export function registerLossFunction(fn: LossFunction, ...names: string[]): void {
  for (const n of names) builtinFunctions.set(n, fn);
}

/** A plain loss function by its Keras name (`mean_squared_error`, `mse`, ...), or undefined. */
export function lossFunctionByName(name: string): LossFunction | undefined {
  return builtinFunctions.get(name);
}

/**
 * A loss made of a function `fn(yTrue, yPred)` giving per-sample losses, as Keras 2's
 * `LossFunctionWrapper`: the built-in loss classes are such wrappers, and a plain function given
 * to `getLoss` or `compile` becomes one. Before calling `fn` it drops a trailing axis of size 1
 * from labels or predictions when their ranks differ by one (Keras 2's `squeeze_or_expand_dimensions`).
 *
 * @example
 * const loss = new LossFunctionWrapper((t, p) => ops.mean(ops.abs(ops.sub(p, t)), -1), { name: 'my_mae' });
 * const value = await loss.evaluate(yTrue, yPred);
 */
export class LossFunctionWrapper extends Loss {
  static override readonly className: string = 'LossFunctionWrapper';
  readonly fn: LossFunction;

  constructor(fn: LossFunction, args: LossFunctionWrapperArgs = {}, defaultName?: string) {
    // Subclasses hand over arguments they parsed; the wrapper's own are checked here.
    if (new.target === LossFunctionWrapper) checkArgKeys(args, ['reduction', 'name', 'fn', 'dtype'], 'LossFunctionWrapper');
    super({ reduction: keras2Reduction(args.reduction as Reduction | 'mean' | null | undefined), name: args.name }, defaultName ?? (fn.name || 'lambda'));
    this.fn = fn;
  }

  call(yTrue: Sym, yPred: Sym): Sym {
    const [t, p] = squeezeOrExpand(yTrue, yPred);
    return this.fn(t, p);
  }

  /**
   * Rebuilds a loss from its Keras config (snake_case keys). A plain `LossFunctionWrapper` config
   * names its function in `fn` (a built-in loss function or a function in `custom`).
   */
  static override fromConfig(this: unknown, config: Record<string, unknown>, custom?: CustomObjects): Loss {
    const args = configToArgs(config) as Record<string, unknown>;
    if (this === LossFunctionWrapper) {
      const { fn: fnName, ...rest } = args;
      if (typeof fnName !== 'string') throw new KerasConfigError('BAD_CONFIG', `LossFunctionWrapper: the config must name its function in 'fn', got ${JSON.stringify(fnName)}`);
      const c = custom?.[fnName];
      const fn = (typeof c === 'function' && !('fromConfig' in c) ? (c as unknown as LossFunction) : undefined) ?? lossFunctionByName(fnName);
      if (!fn) throw new KerasConfigError('UNKNOWN_NAME', `LossFunctionWrapper: unknown loss function '${fnName}'; pass it in customObjects: { ${fnName}: fn }`);
      const a = parseLossArgs('LossFunctionWrapper', {}, rest);
      return new LossFunctionWrapper(fn, { reduction: a.reduction, name: a.name }, fnName);
    }
    return new (this as new (a: Record<string, unknown>) => Loss)(args);
  }
}

/** A class made by {@link lossFunctionClass}: a loss of one fixed function, whose only arguments are `reduction` and `name`. */
export type LossFunctionClass<N extends string> = (new (args?: LossArgs) => LossFunctionWrapper) & Pick<typeof LossFunctionWrapper, 'fromConfig'> & { readonly className: N };

/**
 * The base class of a built-in loss of one fixed per-sample function that takes no argument but
 * `reduction` and `name` (Keras 2's `LossFunctionWrapper` subclasses such as `MeanSquaredError`,
 * each `super().__init__(fn, name=name, reduction=reduction)`): unknown arguments are refused,
 * the loss is named `defaultName` unless a name is given, and its config is `{ reduction, name }`.
 * Extend the class it returns.
 *
 * @example
 * class MeanCubedError extends lossFunctionClass('MeanCubedError', meanCubedError, 'mean_cubed_error') {}
 * registerClass('loss', MeanCubedError);
 */
export function lossFunctionClass<N extends string>(className: N, fn: LossFunction, defaultName: string): LossFunctionClass<N> {
  return class extends LossFunctionWrapper {
    static override readonly className: N = className;
    constructor(args: LossArgs = {}) {
      super(fn, parseLossArgs(className, {}, args), defaultName);
    }
  };
}

registerClass('loss', LossFunctionWrapper as unknown as { className: string; fromConfig(c: Record<string, unknown>, custom?: CustomObjects): Loss });
