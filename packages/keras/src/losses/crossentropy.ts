import { fmtShape, ops, sizeOf, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { broadcastWeights, reduceValues, type LossArgs, type Reduction } from './loss.js';
import { EPSILON, LossFunctionWrapper, asFloat, f32, lossAxis, maybeLogits, parseLossArgs, registerLossFunction, requireSameShape, squeezeOrExpand } from './wrapper.js';
import { KerasShapeError } from '../errors.js';

// Crossentropy losses, with Keras 2's exact math: probabilities are clipped to
// [epsilon, 1 - epsilon] (epsilon = 1e-7) before the log unless `fromLogits`; predictions that
// come straight out of a sigmoid (or a softmax over the class axis) are taken back to their
// logits, as tf.keras does in compiled training.

/** Options of the crossentropy functions and classes. */
export interface CrossentropyOptions {
  /** Whether `yPred` holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Labels move this fraction of the way toward uniform (0.5 for binary, 1/classes for categorical). */
  labelSmoothing?: number;
  /** The class axis (default -1). */
  axis?: number;
}

/** Options of the focal crossentropies: the crossentropy options, `alpha` and `gamma`. */
export interface FocalOptions extends CrossentropyOptions {
  /** Weight of the positive class (binary: used when applyClassBalancing; categorical: always). */
  alpha?: number;
  /** Focusing parameter: (1 - p)^gamma down-weights easy examples (default 2). */
  gamma?: number;
}

/** Options of the binary focal crossentropy: the focal options and `applyClassBalancing`. */
export interface BinaryFocalOptions extends FocalOptions {
  /** Whether to weight positives by alpha and negatives by 1 - alpha (default false). */
  applyClassBalancing?: boolean;
}

/** Options of the sparse categorical crossentropy. */
export interface SparseCategoricalOptions {
  fromLogits?: boolean;
  /** The class axis of `yPred` (default -1). */
  axis?: number;
  /** A label value whose positions get no loss (and, in a Loss, do not count toward the mean). */
  ignoreClass?: number | null;
}

/** TensorFlow's `sigmoid_cross_entropy_with_logits`, written as TF does so its gradient matches. */
function sigmoidCrossEntropyWithLogits(labels: Sym, logits: Sym): Sym {
  const nonNeg = ops.greaterEqual(logits, 0);
  const reluLogits = ops.where(nonNeg, logits, ops.zerosLike(logits));
  const negAbs = ops.where(nonNeg, ops.neg(logits), logits);
  return ops.add(ops.sub(reluLogits, ops.mul(logits, labels)), ops.log1p(ops.exp(negAbs)));
}

/** Keras 2's `backend.binary_crossentropy`: elementwise, no reduction. */
function binaryCrossentropyElementwise(target: Sym, output: Sym, fromLogits: boolean): Sym {
  const [out, logits] = maybeLogits(output, fromLogits, 'sigmoid');
  if (logits) return sigmoidCrossEntropyWithLogits(target, out);
  const o = ops.clip(out, EPSILON, 1 - EPSILON);
  const pos = ops.mul(target, ops.log(ops.add(o, EPSILON)));
  const neg = ops.mul(ops.sub(1, target), ops.log(ops.add(ops.sub(1, o), EPSILON)));
  return ops.neg(ops.add(pos, neg));
}

function smoothBinary(t: Sym, labelSmoothing: number): Sym {
  if (!labelSmoothing) return t;
  const ls = f32(labelSmoothing);
  return ops.add(ops.mul(t, f32(1 - ls)), f32(0.5 * ls));
}

function smoothCategorical(t: Sym, labelSmoothing: number, classes: number): Sym {
  if (!labelSmoothing) return t;
  const ls = f32(labelSmoothing);
  return ops.add(ops.mul(t, f32(1 - ls)), f32(ls / classes));
}

/**
 * Binary crossentropy, averaged over `axis`: `-(t log(p) + (1 - t) log(1 - p))`.
 * @example binaryCrossentropy(yTrue, yPred, { fromLogits: true }) // [batch, d] -> [batch]
 */
export function binaryCrossentropy(yTrue: Sym, yPred: Sym, options: CrossentropyOptions = {}): Sym {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const [t0, p] = asFloat(yTrue, yPred);
  const t = smoothBinary(t0, labelSmoothing);
  return ops.mean(binaryCrossentropyElementwise(t, p, fromLogits), lossAxis('binary_crossentropy', axis, p));
}

/**
 * Binary focal crossentropy (Lin et al., 2017), averaged over `axis`:
 * `(1 - p_t)^gamma * bce`, times `alpha` / `1 - alpha` for positives / negatives with class balancing.
 * @example binaryFocalCrossentropy(yTrue, yPred, { gamma: 2 })
 */
export function binaryFocalCrossentropy(yTrue: Sym, yPred: Sym, options: BinaryFocalOptions = {}): Sym {
  const { applyClassBalancing = false, alpha = 0.25, gamma = 2.0, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const [t0, p] = asFloat(yTrue, yPred);
  const t = smoothBinary(t0, labelSmoothing);
  const prob = fromLogits ? ops.sigmoid(p) : p;
  const pT = ops.add(ops.mul(t, prob), ops.mul(ops.sub(1, t), ops.sub(1, prob)));
  const focalFactor = ops.pow(ops.sub(1, pT), f32(gamma));
  let focal = ops.mul(focalFactor, binaryCrossentropyElementwise(t, p, fromLogits));
  if (applyClassBalancing) {
    const a = f32(alpha);
    const weight = ops.add(ops.mul(t, a), ops.mul(ops.sub(1, t), f32(1 - a)));
    focal = ops.mul(weight, focal);
  }
  return ops.mean(focal, lossAxis('binary_focal_crossentropy', axis, p));
}

/**
 * Categorical crossentropy along `axis`: `-sum(t * log(p))`, where probabilities are first
 * rescaled to sum to 1 (unless `fromLogits`, where a softmax is implied).
 * @example categoricalCrossentropy(oneHotLabels, probabilities)
 */
export function categoricalCrossentropy(yTrue: Sym, yPred: Sym, options: CrossentropyOptions = {}): Sym {
  const { fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const [t0, p] = asFloat(yTrue, yPred);
  const ax = lossAxis('categorical_crossentropy', axis, p);
  requireSameShape('categorical_crossentropy', t0, p);
  const t = smoothCategorical(t0, labelSmoothing, t0.shape[ax]);
  const [out, logits] = maybeLogits(p, fromLogits, 'softmax', ax);
  if (logits) return ops.neg(ops.sum(ops.mul(t, ops.logSoftmax(out, ax)), ax));
  const o = ops.clip(ops.div(out, ops.sum(out, ax, true)), EPSILON, 1 - EPSILON);
  return ops.neg(ops.sum(ops.mul(t, ops.log(o)), ax));
}

/**
 * Categorical focal crossentropy along `axis`: `sum(alpha * (1 - p)^gamma * -t log(p))`.
 * @example categoricalFocalCrossentropy(oneHotLabels, probabilities, { alpha: 0.25, gamma: 2 })
 */
export function categoricalFocalCrossentropy(yTrue: Sym, yPred: Sym, options: FocalOptions = {}): Sym {
  const { alpha = 0.25, gamma = 2.0, fromLogits = false, labelSmoothing = 0, axis = -1 } = options;
  const [t0, p] = asFloat(yTrue, yPred);
  const ax = lossAxis('categorical_focal_crossentropy', axis, p);
  requireSameShape('categorical_focal_crossentropy', t0, p);
  // Keras 2 smooths with the size of the last axis whatever `axis` is.
  const t = smoothCategorical(t0, labelSmoothing, t0.shape[t0.rank - 1]);
  const [given, logits] = maybeLogits(p, fromLogits, 'softmax', ax);
  let out = logits ? ops.softmax(given, ax) : given;
  out = ops.clip(ops.div(out, ops.sum(out, ax, true)), EPSILON, 1 - EPSILON);
  const cce = ops.neg(ops.mul(t, ops.log(out)));
  const weighting = ops.mul(ops.pow(ops.sub(1, out), f32(gamma)), f32(alpha));
  return ops.sum(ops.mul(weighting, cce), ax);
}

/**
 * The int32 labels of a sparse crossentropy, shaped as the predictions without their class axis
 * (`[batch]` and `[batch, 1]` labels both fit `[batch, classes]` predictions).
 */
export function sparseLabels(fnName: string, yTrue: Sym, outShape: readonly number[]): Sym {
  const want = outShape.slice(0, -1);
  if (sizeOf(yTrue.shape) !== sizeOf(want)) {
    throw new KerasShapeError(`${fnName}: labels of shape ${fmtShape(yTrue.shape)} do not fit predictions of shape ${fmtShape(outShape)}; expected ${fmtShape(want)} class indices (or that shape with a trailing 1)`);
  }
  const labels = ops.cast(yTrue, 'int32');
  return labels.shape.length === want.length && labels.shape.every((d, i) => d === want[i]) ? labels : ops.reshape(labels, want);
}

/** Moves the class axis of `x` last. */
function classAxisLast(x: Sym, axis: number): Sym {
  if (axis === x.rank - 1) return x;
  const perm = [...Array.from({ length: x.rank }, (_, i) => i).filter((i) => i !== axis), axis];
  return ops.transpose(x, perm);
}

/**
 * Sparse categorical crossentropy: `-log(p[label])` with integer (or float) class labels; the
 * result has the predictions' shape without the class axis. Probabilities are clipped, logged
 * and renormalized as in Keras 2. Labels equal to `ignoreClass` give 0.
 * @example sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }) // [batch] x [batch, C] -> [batch]
 */
export function sparseCategoricalCrossentropy(yTrue: Sym, yPred: Sym, options: SparseCategoricalOptions = {}): Sym {
  const { fromLogits = false, axis = -1, ignoreClass = null } = options;
  const p = ops.cast(yPred, 'float32');
  const ax = lossAxis('sparse_categorical_crossentropy', axis, p);
  let [out, logits] = maybeLogits(p, fromLogits, 'softmax', ax);
  if (!logits) out = ops.log(ops.clip(out, EPSILON, 1 - EPSILON));
  out = classAxisLast(out, ax);
  const labels = sparseLabels('sparse_categorical_crossentropy', yTrue, out.shape);
  const classes = out.shape[out.rank - 1];
  const loss = ops.neg(ops.sum(ops.mul(ops.oneHot(labels, classes), ops.logSoftmax(out, -1)), -1));
  if (ignoreClass === null) return loss;
  return ops.where(ops.notEqual(labels, ignoreClass), loss, ops.zerosLike(loss));
}

const zFromLogits = z.boolean().default(false);
const zLabelSmoothing = z.number().min(0).max(1).default(0);
const zAxis = z.number().int().default(-1);
/** The arguments every crossentropy class but the sparse one takes, last in its argument list and config. */
const zCrossentropy = { fromLogits: zFromLogits, labelSmoothing: zLabelSmoothing, axis: zAxis };
/** The focal classes' own arguments. */
const zFocal = { alpha: z.number().min(0).max(1).default(0.25), gamma: z.number().nonnegative().default(2.0) };

type ParsedCrossentropyArgs = LossArgs & Required<CrossentropyOptions>;
type ParsedFocalArgs = ParsedCrossentropyArgs & { alpha: number; gamma: number };

/**
 * What the binary and categorical crossentropy classes share: `fromLogits`, `labelSmoothing` and
 * `axis`, written last in the config after the class's own options ({@link ownConfig}).
 */
abstract class CrossentropyLoss<A extends ParsedCrossentropyArgs = ParsedCrossentropyArgs> extends LossFunctionWrapper {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  readonly axis: number;
  /** `fn` is the loss function, called with the parsed arguments `a` as its options. */
  constructor(a: A, fn: (yTrue: Sym, yPred: Sym, options: A) => Sym, defaultName: string) {
    super((t, p) => fn(t, p, a), a, defaultName);
    this.fromLogits = a.fromLogits;
    this.labelSmoothing = a.labelSmoothing;
    this.axis = a.axis;
  }
  /** The config entries of the class's own options, written before the shared ones. */
  protected ownConfig(): Record<string, unknown> {
    return {};
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.ownConfig(), from_logits: this.fromLogits, label_smoothing: this.labelSmoothing, axis: this.axis };
  }
}

/** What the focal crossentropy classes add: `alpha` and `gamma`. */
abstract class FocalCrossentropyLoss extends CrossentropyLoss<ParsedFocalArgs> {
  readonly alpha: number;
  readonly gamma: number;
  constructor(a: ParsedFocalArgs, fn: (yTrue: Sym, yPred: Sym, options: ParsedFocalArgs) => Sym, defaultName: string) {
    super(a, fn, defaultName);
    this.alpha = a.alpha;
    this.gamma = a.gamma;
  }
  /** The config entries of this class's own options, written before the shared ones. */
  protected override ownConfig(): Record<string, unknown> {
    return { alpha: this.alpha, gamma: this.gamma };
  }
}

/** The arguments of {@link BinaryCrossentropy}. */
export interface BinaryCrossentropyArgs extends LossArgs, CrossentropyOptions {}

/**
 * Crossentropy between binary labels (0 or 1, or soft labels) and predicted probabilities (or
 * logits with `fromLogits`), averaged over the last axis.
 * @example new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })
 */
export class BinaryCrossentropy extends CrossentropyLoss {
  static override readonly className = 'BinaryCrossentropy';
  constructor(args: BinaryCrossentropyArgs = {}) {
    super(parseLossArgs('BinaryCrossentropy', zCrossentropy, args), binaryCrossentropy, 'binary_crossentropy');
  }
}

/** The arguments of {@link BinaryFocalCrossentropy}. */
export interface BinaryFocalCrossentropyArgs extends LossArgs, BinaryFocalOptions {}

/**
 * Binary crossentropy with the focal factor `(1 - p_t)^gamma`, which down-weights well
 * classified examples (and optional alpha class balancing).
 * @example new BinaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true, alpha: 0.25 })
 */
export class BinaryFocalCrossentropy extends FocalCrossentropyLoss {
  static override readonly className = 'BinaryFocalCrossentropy';
  readonly applyClassBalancing: boolean;
  constructor(args: BinaryFocalCrossentropyArgs = {}) {
    const a = parseLossArgs('BinaryFocalCrossentropy', { applyClassBalancing: z.boolean().default(false), ...zFocal, ...zCrossentropy }, args);
    super(a, binaryFocalCrossentropy, 'binary_focal_crossentropy');
    this.applyClassBalancing = a.applyClassBalancing;
  }
  /** The config entries of this class's own options, written before the shared ones. */
  protected override ownConfig(): Record<string, unknown> {
    return { apply_class_balancing: this.applyClassBalancing, ...super.ownConfig() };
  }
}

/** The arguments of {@link CategoricalCrossentropy}. */
export interface CategoricalCrossentropyArgs extends LossArgs, CrossentropyOptions {}

/**
 * Crossentropy between one-hot (or soft) labels and predicted class probabilities (or logits
 * with `fromLogits`) along the class axis.
 * @example new CategoricalCrossentropy({ fromLogits: true })
 */
export class CategoricalCrossentropy extends CrossentropyLoss {
  static override readonly className = 'CategoricalCrossentropy';
  constructor(args: CategoricalCrossentropyArgs = {}) {
    super(parseLossArgs('CategoricalCrossentropy', zCrossentropy, args), categoricalCrossentropy, 'categorical_crossentropy');
  }
}

/** The arguments of {@link CategoricalFocalCrossentropy}. */
export interface CategoricalFocalCrossentropyArgs extends LossArgs, FocalOptions {}

/**
 * Categorical crossentropy with the focal factor `alpha * (1 - p)^gamma` per class.
 * @example new CategoricalFocalCrossentropy({ alpha: 0.25, gamma: 2 })
 */
export class CategoricalFocalCrossentropy extends FocalCrossentropyLoss {
  static override readonly className = 'CategoricalFocalCrossentropy';
  constructor(args: CategoricalFocalCrossentropyArgs = {}) {
    super(parseLossArgs('CategoricalFocalCrossentropy', { ...zFocal, ...zCrossentropy }, args), categoricalFocalCrossentropy, 'categorical_focal_crossentropy');
  }
}

/** The arguments of {@link SparseCategoricalCrossentropy}. */
export interface SparseCategoricalCrossentropyArgs extends LossArgs {
  fromLogits?: boolean;
  /** A label value to ignore: its positions get no loss and do not count toward the mean. */
  ignoreClass?: number | null;
}

/**
 * Crossentropy between integer class labels (`[batch]` or `[batch, 1]`, int32 or float) and
 * predicted class probabilities (or logits with `fromLogits`) over the last axis.
 * @example new SparseCategoricalCrossentropy({ fromLogits: true, ignoreClass: -1 })
 */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  static override readonly className = 'SparseCategoricalCrossentropy';
  readonly fromLogits: boolean;
  readonly ignoreClass: number | null;
  constructor(args: SparseCategoricalCrossentropyArgs = {}) {
    const a = parseLossArgs(
      'SparseCategoricalCrossentropy',
      {
        fromLogits: zFromLogits,
        ignoreClass: z.number().int().nullable().default(null),
        // Keras 3 writes `axis`; Keras 2's class has none, so only the default is accepted.
        axis: z.literal(-1, { error: 'only axis -1 is supported (Keras 2 has no axis argument here)' }).optional(),
      },
      args,
    );
    super((t, p) => sparseCategoricalCrossentropy(t, p, a), a, 'sparse_categorical_crossentropy');
    this.fromLogits = a.fromLogits;
    this.ignoreClass = a.ignoreClass;
  }

  /**
   * As Keras 2: with `ignoreClass`, ignored positions are masked out, so the
   * `sum_over_batch_size` mean divides by the number of positions that are not ignored.
   */
  override compute(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null, reduction: Reduction = this.reduction): Sym {
    if (this.ignoreClass === null) return super.compute(yTrue, yPred, sampleWeight, reduction);
    const values = this.call(yTrue, yPred);
    const [t, p] = squeezeOrExpand(yTrue, yPred);
    const labels = sparseLabels('SparseCategoricalCrossentropy', t, p.shape);
    let mask = ops.reshape(ops.cast(ops.notEqual(labels, this.ignoreClass), 'float32'), values.shape);
    if (reduction === 'auto' || reduction === 'sum_over_batch_size') {
      mask = ops.mul(mask, ops.div(sizeOf(values.shape), ops.sum(mask)));
    }
    const weights = sampleWeight ? ops.mul(broadcastWeights(sampleWeight, values), mask) : mask;
    return reduceValues(ops.mul(values, weights), reduction);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), from_logits: this.fromLogits, ignore_class: this.ignoreClass };
  }
}

registerClass('loss', BinaryCrossentropy, 'binary_crossentropy', 'bce', 'BCE');
registerClass('loss', BinaryFocalCrossentropy, 'binary_focal_crossentropy');
registerClass('loss', CategoricalCrossentropy, 'categorical_crossentropy');
registerClass('loss', CategoricalFocalCrossentropy, 'categorical_focal_crossentropy');
registerClass('loss', SparseCategoricalCrossentropy, 'sparse_categorical_crossentropy');

registerLossFunction((t, p) => binaryCrossentropy(t, p), 'binary_crossentropy', 'bce', 'BCE');
registerLossFunction((t, p) => binaryFocalCrossentropy(t, p), 'binary_focal_crossentropy');
registerLossFunction((t, p) => categoricalCrossentropy(t, p), 'categorical_crossentropy');
registerLossFunction((t, p) => categoricalFocalCrossentropy(t, p), 'categorical_focal_crossentropy');
registerLossFunction((t, p) => sparseCategoricalCrossentropy(t, p), 'sparse_categorical_crossentropy');
