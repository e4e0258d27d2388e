import { ops, type DType, type HostTensor, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { deserialize, serialize, type Serializable } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { parseArgs } from '../engine/layer.js';
import { requireScope } from '../engine/scope.js';
import { Variable } from '../engine/variable.js';
import { full, type Tensor } from '../tensor.js';
import type { LearningRateSchedule } from './schedules/schedule.js';
import { keras2LearningRateArgs } from './optimizer-args.js';
import { KerasShapeError, KerasTypeError, KerasValueError } from '../errors.js';

/** The arguments of {@link Optimizer}. */
export interface OptimizerArgs {
  learningRate?: number | LearningRateSchedule | Record<string, unknown>;
  /** @deprecated Keras 2's other name of `learningRate` (warns once per optimizer class). */
  lr?: number | LearningRateSchedule | Record<string, unknown>;
  /**
   * @deprecated Keras 2's legacy per-step decay (default 0): the learning rate of step t (from 0)
   * is `learningRate / (1 + decay * t)`. Warns once per optimizer class; prefer an
   * `InverseTimeDecay` schedule.
   */
  decay?: number;
  name?: string;
  clipnorm?: number | null;
  clipvalue?: number | null;
  globalClipnorm?: number | null;
  weightDecay?: number | null;
  /** Keras 3 fields, accepted at their neutral values only. */
  useEma?: boolean;
  emaMomentum?: number;
  emaOverwriteFrequency?: number | null;
  lossScaleFactor?: number | null;
  gradientAccumulationSteps?: number | null;
  [key: string]: unknown;
}

const zBase = z.looseObject({
  name: z.string().optional(),
  clipnorm: z.number().positive().nullable().optional(),
  clipvalue: z.number().positive().nullable().optional(),
  globalClipnorm: z.number().positive().nullable().optional(),
  weightDecay: z.number().nonnegative().nullable().optional(),
  useEma: z.literal(false, { message: 'use_ema=true (exponential moving average of weights) is not supported' }).optional(),
  emaMomentum: z.number().optional(),
  emaOverwriteFrequency: z.null({ message: 'ema_overwrite_frequency is only meaningful with use_ema, which is not supported' }).optional(),
  lossScaleFactor: z.null({ message: 'loss_scale_factor (mixed-precision loss scaling) is not supported' }).optional(),
  gradientAccumulationSteps: z.null({ message: 'gradient_accumulation_steps is not supported' }).optional(),
  isLegacyOptimizer: z.boolean().optional(),
});

/** A host tensor with its values converted to `dtype` (a file's int64 iteration count, say). */
function castTo(t: HostTensor, dtype: DType): HostTensor {
  if (t.dtype === dtype) return t;
  const data = dtype === 'float32' ? Float32Array.from(t.data) : dtype === 'int32' ? Int32Array.from(t.data) : Uint8Array.from(t.data, (x) => (x ? 1 : 0));
  return { shape: t.shape, dtype, data };
}

/**
 * The base of every optimizer (Keras 2.11+ semantics): one `iterations` counter, slot variables
 * per trained variable, gradient clipping (clipnorm per gradient, clipvalue, global_clipnorm),
 * and decoupled weight decay. Subclasses implement `updateStep` over symbolic tensors.
 */
export abstract class Optimizer implements Serializable {
  static readonly className: string = 'Optimizer';
  readonly name: string;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  readonly weightDecay: number | null;
  /** Keras 2's legacy `decay`: the learning rate of step t is `lr / (1 + decay * t)` (0: none). */
  readonly initialDecay: number;
  /** A number (stored in a variable, so callbacks can change it) or a schedule of the iteration. */
  readonly schedule: LearningRateSchedule | null;
  readonly learningRateVar: Variable;
  readonly iterations: Variable;
  private readonly slots = new Map<Variable, Variable[]>();
  private readonly eager = new EagerFunctions();

  constructor(args: OptimizerArgs, defaults: { name: string; learningRate: number }) {
    const a = parseArgs(zBase, args, new.target.name);
    this.name = a.name ?? defaults.name;
    this.clipnorm = a.clipnorm ?? null;
    this.clipvalue = a.clipvalue ?? null;
    this.globalClipnorm = a.globalClipnorm ?? null;
    if ([this.clipnorm, this.clipvalue, this.globalClipnorm].filter((x) => x !== null).length > 1) {
      throw new KerasValueError(`${new.target.name}: only one of clipnorm, clipvalue and global_clipnorm can be set`);
    }
    this.weightDecay = a.weightDecay ?? null;
    const legacy = keras2LearningRateArgs(args, new.target.className ?? new.target.name, new.target.name);
    this.initialDecay = legacy.decay;
    const lr = (legacy.learningRate ?? defaults.learningRate) as OptimizerArgs['learningRate'];
    if (typeof lr === 'number') {
      if (!(lr >= 0)) throw new KerasValueError(`${new.target.name}: argument 'learning_rate' got ${lr}: expected a non-negative number`);
      this.schedule = null;
    } else {
      if (typeof lr !== 'object' || lr === null) throw new KerasTypeError(`${new.target.name}: argument 'learning_rate' got ${JSON.stringify(lr)}: expected a number or a learning rate schedule`);
      this.schedule = 'call' in lr ? (lr as LearningRateSchedule) : deserialize<LearningRateSchedule>('schedule', lr);
    }
    this.learningRateVar = new Variable('learning_rate', full([], typeof lr === 'number' ? lr : 0), false, `${this.name}/learning_rate`);
    this.iterations = new Variable('iterations', full([], 0, 'int32'), false, `${this.name}/iterations`);
  }

  /** The learning rate as a number (the schedule's value at the current iteration). */
  get learningRate(): number {
    if (!this.schedule) return this.learningRateVar.value.data[0];
    return this.schedule.valueAt(this.iterations.value.data[0]);
  }

  set learningRate(lr: number) {
    if (this.schedule) throw new KerasTypeError(`${this.name}: the learning rate follows a schedule and cannot be set`);
    this.learningRateVar.assign(full([], lr));
  }

  /** Creates (once) the slots a subclass keeps for a variable, named as Keras names them. */
  protected slotsFor(v: Variable): Variable[] {
    let s = this.slots.get(v);
    if (!s) {
      s = this.slotNames().map(({ name, init }) => new Variable(name, full(v.shape, init), false, `${this.name}/${v.path.replace(/\//g, '_')}_${name}`));
      this.slots.set(v, s);
    }
    return s;
  }

  /** The slots a subclass keeps per variable, with their initial value. */
  protected slotNames(): { name: string; init: number }[] {
    return [];
  }

  /**
   * The slot names in the groups Keras 3 creates them in: each group's slots are made for one
   * variable after another (interleaved), one group after another. Most optimizers make all their
   * slots in one group; RMSprop's momentum and AMSGrad's velocity_hat come as groups of their own.
   */
  protected slotGroups(): string[][] {
    return [this.slotNames().map((s) => s.name)];
  }

  /**
   * All optimizer variables in Keras 3's order (what its files hold): `iterations`, the learning
   * rate (unless a schedule gives it), then the slots by {@link slotGroups} over the variables in
   * the order they were first trained (or {@link build} was given them).
   */
  get variables(): Variable[] {
    const names = this.slotNames().map((n) => n.name);
    const perVar = [...this.slots.values()];
    const slots = this.slotGroups().flatMap((group) => perVar.flatMap((vs) => group.map((n) => vs[names.indexOf(n)])));
    return [this.iterations, ...(this.schedule ? [] : [this.learningRateVar]), ...slots];
  }

  /** Whether the slots were made for some variables (by a training step or {@link build}). */
  get built(): boolean {
    return this.slots.size > 0;
  }

  /** Makes the slots of these variables (in this order) now, as a training step would; once. */
  build(vars: readonly Variable[]): void {
    for (const v of vars) this.slotsFor(v);
  }

  /** The values of {@link variables}. */
  getWeights(): HostTensor[] {
    return this.variables.map((v) => v.value);
  }

  /**
   * Sets {@link variables} from a list in the same order (Keras' `optimizer.set_weights`); counts,
   * shapes and dtypes must match, and nothing is set unless all do.
   */
  setWeights(values: readonly HostTensor[]): void {
    const vars = this.variables;
    if (values.length !== vars.length) {
      throw new KerasValueError(`${this.name}: setWeights got ${values.length} value(s) for ${vars.length} optimizer variable(s) (${vars.map((v) => v.name).join(', ')})`);
    }
    vars.forEach((v, i) => {
      const t = values[i];
      if (t.shape.length !== v.shape.length || t.shape.some((d, k) => d !== v.shape[k])) {
        throw new KerasShapeError(`${this.name}: setWeights: value ${i} for '${v.path}' has shape [${t.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
      }
    });
    vars.forEach((v, i) => v.assign(castTo(values[i], v.dtype)));
  }

  /**
   * One update of a variable over symbolic tensors: returns its new value and new slot values.
   * `step` is the 1-based iteration (float32), `lr` the learning rate of this step.
   */
  protected abstract updateStep(v: Sym, g: Sym, slots: Sym[], lr: Sym, step: Sym): { value: Sym; slots: Sym[] };

  private clip(grads: Sym[]): Sym[] {
    if (this.clipvalue !== null) return grads.map((g) => ops.clip(g, -this.clipvalue!, this.clipvalue!));
    if (this.clipnorm !== null) return grads.map((g) => clipByNorm(g, this.clipnorm!));
    if (this.globalClipnorm !== null) {
      const sq = grads.map((g) => ops.sum(ops.square(g)));
      const norm = ops.sqrt(sq.reduce((a, b) => ops.add(a, b)));
      const scale = ops.div(this.globalClipnorm, ops.maximum(norm, this.globalClipnorm));
      return grads.map((g) => ops.mul(g, scale));
    }
    return grads;
  }

  /**
   * Applies gradients to variables inside a traced training step: assigns the new values of
   * the variables, their slots and `iterations`. Constraints are applied to the new values.
   */
  applyGradients(grads: readonly Sym[], vars: readonly Variable[]): void {
    const scope = requireScope(`${this.name}.applyGradients`);
    const iter = this.iterations.read();
    const step = ops.cast(ops.add(iter, 1), 'float32');
    let lr = this.schedule ? this.schedule.call(ops.cast(iter, 'float32')) : this.learningRateVar.read();
    // Keras 2's legacy decay (OptimizerV2._decayed_lr): lr / (1 + decay * iterations), iterations before this step.
    if (this.initialDecay > 0) lr = ops.div(lr, ops.add(1, ops.mul(ops.cast(iter, 'float32'), this.initialDecay)));
    const clipped = this.clip([...grads]);
    vars.forEach((v, i) => {
      const slotVars = this.slotsFor(v);
      let value = v.read();
      if (this.weightDecay) value = this.decay(value, lr, v);
      const r = this.updateStep(value, clipped[i], slotVars.map((s) => s.read()), lr, step);
      scope.assign(v, v.constraint ? v.constraint.apply(r.value) : r.value);
      slotVars.forEach((s, k) => scope.assign(s, r.slots[k]));
    });
    scope.assign(this.iterations, ops.add(iter, 1));
  }

  /** Decoupled weight decay: w - w * wd * lr (Keras 3 / AdamW), before the update. */
  protected decay(value: Sym, lr: Sym, _v: Variable): Sym {
    return ops.sub(value, ops.mul(value, ops.mul(lr, this.weightDecay!)));
  }

  /** Applies concrete gradients to variables (outside a training step). */
  async applyGradientsTo(grads: readonly Tensor[], vars: readonly Variable[]): Promise<void> {
    await this.eager.run(`apply|${vars.map((v) => v.path).join(',')}`, grads, (gs) => {
      this.applyGradients(gs, vars);
      return [];
    });
  }

  /**
   * The optimizer's config in Keras' snake_case wire format: the learning rate (a number, or a
   * serialized schedule), weight decay, clipping and EMA settings, and the arguments of subclasses.
   */
  getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      learning_rate: this.schedule ? serialize(this.schedule) : this.learningRateVar.value.data[0],
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      is_legacy_optimizer: false,
      // Keras 2's legacy decay, written when set (Keras 2.11+ optimizers have none).
      ...(this.initialDecay > 0 ? { decay: this.initialDecay } : {}),
    };
  }
}

/** g * clipnorm / max(||g||, clipnorm), as tf.clip_by_norm. */
export function clipByNorm(g: Sym, clipnorm: number): Sym {
  const norm = ops.sqrt(ops.sum(ops.square(g)));
  return ops.div(ops.mul(g, clipnorm), ops.maximum(norm, clipnorm));
}
