import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type CustomObjects } from '../serialization/registry.js';
import { requireScope } from '../engine/scope.js';
import { Variable } from '../engine/variable.js';
import { full } from '../tensor.js';
import { betaPower } from './adam.js';
import { Optimizer, type OptimizerArgs } from './optimizer.js';
import { keras2Config, optimizerArgsFromConfig, parseOptimizerArgs } from './optimizer-args.js';
import { checksUnknownArgs, isWireArgs, markWireArgs } from '../arguments/strict-args.js';
import { describeValue, KerasStateError, KerasTypeError } from '../errors.js';
import { warnOnce } from '../legacy/warnings.js';

const Args = z.object({
  beta1: z.number().min(0).max(1).default(0.9),
  beta2: z.number().min(0).max(1).default(0.999),
  epsilon: z.number().nonnegative().default(1e-7),
  scheduleDecay: z.number().nonnegative().nullable().optional(),
});

/** The arguments of {@link Nadam}. */
export interface NadamArgs extends OptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: OptimizerArgs['learningRate'];
  /** Decay rate of the first moment (config `beta_1`). Defaults to 0.9. */
  beta1?: number;
  /** Decay rate of the second moment (config `beta_2`). Defaults to 0.999. */
  beta2?: number;
  /** Defaults to 1e-7. */
  epsilon?: number;
  /**
   * Keras 2.2's (and the legacy optimizers') momentum schedule decay: `u_t = beta1 * (1 - 0.5 *
   * 0.96^(t * scheduleDecay))`, 0.004 in their configs. Unset (the default), the schedule is Keras
   * 2.11+'s `0.96^t`.
   */
  scheduleDecay?: number | null;
}

/**
 * Nadam (Adam with Nesterov momentum), as Keras 2.11+, with the momentum schedule
 * `u_t = beta1 * (1 - 0.5 * 0.96^t)`. The running product of the `u_t` is one optimizer
 * variable (`u_product`, starting at 1), updated once per step before the variables are.
 *
 * @example
 * const opt = new Nadam({ learningRate: 0.002 });
 */
export class Nadam extends Optimizer {
  static override readonly className = 'Nadam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** The product of the momentum schedule up to the last step. */
  readonly uProduct: Variable;
  /** `u_product` of the step being traced (the updated value, as Keras uses it). */
  private uProductT: Sym | null = null;

  /** The momentum schedule's decay (Keras 2.2's `schedule_decay`), or null for Keras 2.11+'s schedule. */
  readonly scheduleDecay: number | null;

  constructor(args: NadamArgs = {}) {
    // Keras 2's legacy Nadam had no learning-rate decay: its `decay` was the momentum schedule's.
    super(withoutDecay(args), { name: 'Nadam', learningRate: 0.001 });
    const a = parseOptimizerArgs(Args, args, `Nadam '${this.name}'`);
    this.beta1 = a.beta1;
    this.beta2 = a.beta2;
    this.epsilon = a.epsilon;
    this.scheduleDecay = legacyScheduleDecay(args, a.scheduleDecay ?? null, `Nadam '${this.name}'`);
    this.uProduct = new Variable('u_product', full([], 1), false, `${this.name}/u_product`);
  }

  /** Iterations, learning rate, slots, then `u_product` once the optimizer has run (Keras 3's order). */
  override get variables(): Variable[] {
    return this.built ? [...super.variables, this.uProduct] : super.variables;
  }

  /** `u_t = beta1 * (1 - 0.5 * 0.96^t)`, or `0.96^(t * scheduleDecay)` with Keras 2.2's schedule decay. */
  private momentumSchedule(step: Sym): Sym {
    const t = this.scheduleDecay === null ? step : ops.mul(step, this.scheduleDecay);
    return ops.mul(ops.sub(1, ops.mul(ops.pow(ops.scalar(step.graph, 0.96), t), 0.5)), this.beta1);
  }

  override applyGradients(grads: readonly Sym[], vars: readonly Variable[]): void {
    const scope = requireScope(`${this.name}.applyGradients`);
    const step = ops.cast(ops.add(this.iterations.read(), 1), 'float32');
    this.uProductT = ops.mul(this.uProduct.read(), this.momentumSchedule(step));
    try {
      super.applyGradients(grads, vars);
      scope.assign(this.uProduct, this.uProductT);
    } finally {
      this.uProductT = null;
    }
  }

  protected override slotNames(): { name: string; init: number }[] {
    return [
      { name: 'momentum', init: 0 },
      { name: 'velocity', init: 0 },
    ];
  }

  protected override updateStep(w: Sym, g: Sym, slots: Sym[], lr: Sym, step: Sym): { value: Sym; slots: Sym[] } {
    const uProductT = this.uProductT;
    if (!uProductT) throw new KerasStateError(`${this.name}: updateStep runs only inside applyGradients`);
    const uT = this.momentumSchedule(step);
    const uT1 = this.momentumSchedule(ops.add(step, 1));
    const uProductT1 = ops.mul(uProductT, uT1);
    const m = ops.add(slots[0], ops.mul(ops.sub(g, slots[0]), 1 - this.beta1));
    const v = ops.add(slots[1], ops.mul(ops.sub(ops.square(g), slots[1]), 1 - this.beta2));
    const mHat = ops.add(ops.div(ops.mul(uT1, m), ops.sub(1, uProductT1)), ops.div(ops.mul(ops.sub(1, uT), g), ops.sub(1, uProductT)));
    const vHat = ops.div(v, ops.sub(1, betaPower(this.beta2, step)));
    const value = ops.sub(w, ops.div(ops.mul(mHat, lr), ops.add(ops.sqrt(vHat), this.epsilon)));
    return { value, slots: [m, v] };
  }

  override getConfig(): Record<string, unknown> {
    return keras2Config(super.getConfig(), { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, ...(this.scheduleDecay === null ? {} : { schedule_decay: this.scheduleDecay }) });
  }

  /** Rebuilds a Nadam from its config (what `getConfig` returns). */
  static fromConfig(config: Record<string, unknown>, custom?: CustomObjects): Nadam {
    return new Nadam(optimizerArgsFromConfig(config, custom));
  }
}

/** The arguments without `decay`, which Nadam reads itself (the base class would decay the learning rate). */
function withoutDecay(args: NadamArgs): NadamArgs {
  if (!args || typeof args !== 'object' || args.decay === undefined) return args;
  const copy = { ...args, decay: undefined };
  return isWireArgs(args) ? markWireArgs(copy) : copy;
}

/**
 * Keras 2's legacy Nadam read `decay` as the momentum schedule's decay (`schedule_decay`, 0.004 in
 * its configs), so this does too: given in code, it warns once that it is deprecated.
 */
function legacyScheduleDecay(args: NadamArgs, scheduleDecay: number | null, what: string): number | null {
  const decay = args?.decay;
  if (decay === undefined || decay === null) return scheduleDecay;
  if (typeof decay !== 'number' || !(decay >= 0)) throw new KerasTypeError(`${what}: argument 'decay' got ${describeValue(decay)}: expected a number >= 0 (Nadam's legacy momentum schedule decay)`);
  if (scheduleDecay !== null) throw new KerasTypeError(`${what}: give \`scheduleDecay\` only; Nadam's legacy \`decay\` is the same setting`);
  if (checksUnknownArgs(args)) warnOnce('Nadam|decay', "Nadam: the `decay` argument is deprecated; Keras 2's legacy Nadam read it as the momentum schedule's decay, now `scheduleDecay`.");
  return decay;
}

registerClass('optimizer', Nadam, 'nadam');
