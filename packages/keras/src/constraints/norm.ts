import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { refuseUnknown } from '../regularizers/regularizer.js';
import { Constraint, EPSILON, constraintAxes } from './constraint.js';

const zAxis = z.union([z.number().int(), z.array(z.number().int()).min(1)]);
type Axis = number | number[];

/** `sqrt(sum(square(w), axes, keepdims))`. */
function norms(w: Sym, axes: number[]): Sym {
  return ops.sqrt(ops.sum(ops.square(w), axes, true));
}

/** `w * desired / (epsilon + norms)`. */
function rescale(w: Sym, desired: Sym, n: Sym): Sym {
  return ops.mul(w, ops.div(desired, ops.add(n, EPSILON)));
}

/** The arguments of {@link MaxNorm}. */
export interface MaxNormArgs {
  /** The largest norm allowed (default 2). */
  maxValue?: number;
  /** The axis (or axes) the norm is taken over (default 0: each output unit of a Dense kernel). */
  axis?: Axis;
}

/**
 * Rescales weights whose norm along `axis` exceeds `maxValue`:
 * `w * clip(norm, 0, maxValue) / (epsilon + norm)`.
 * @example new Dense({ units: 4, kernelConstraint: new MaxNorm({ maxValue: 3 }) }) // or 'max_norm'
 */
export class MaxNorm extends Constraint {
  static override readonly className = 'MaxNorm';
  readonly maxValue: number;
  readonly axis: Axis;
  constructor(args: MaxNormArgs = {}) {
    super();
    refuseUnknown('MaxNorm', args, ['maxValue', 'axis']);
    const a = parseArgs(z.object({ maxValue: z.number().default(2), axis: zAxis.default(0) }), args, 'MaxNorm');
    this.maxValue = a.maxValue;
    this.axis = a.axis;
  }
  override apply(w: Sym): Sym {
    const n = norms(w, constraintAxes('MaxNorm', this.axis, w));
    // Keras' backend.clip raises max to min when it is below it.
    const desired = ops.clip(n, 0, Math.max(this.maxValue, 0));
    return rescale(w, desired, n);
  }
  override getConfig(): Record<string, unknown> {
    return { max_value: this.maxValue, axis: this.axis };
  }
}

/** The arguments of {@link MinMaxNorm}. */
export interface MinMaxNormArgs {
  /** The smallest norm (default 0). */
  minValue?: number;
  /** The largest norm (default 1). */
  maxValue?: number;
  /** How far to move toward the clipped norm each time, in [0, 1] (default 1: all the way). */
  rate?: number;
  /** The axis (or axes) the norm is taken over (default 0). */
  axis?: Axis;
}

/**
 * Keeps the norm along `axis` between `minValue` and `maxValue`, moving it by `rate`:
 * `desired = rate * clip(norm, min, max) + (1 - rate) * norm`, `w * desired / (epsilon + norm)`.
 * @example new MinMaxNorm({ minValue: 0.5, maxValue: 1, rate: 0.5 })
 */
export class MinMaxNorm extends Constraint {
  static override readonly className = 'MinMaxNorm';
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;
  constructor(args: MinMaxNormArgs = {}) {
    super();
    refuseUnknown('MinMaxNorm', args, ['minValue', 'maxValue', 'rate', 'axis']);
    const a = parseArgs(
      z.object({ minValue: z.number().default(0.0), maxValue: z.number().default(1.0), rate: z.number().default(1.0), axis: zAxis.default(0) }),
      args,
      'MinMaxNorm',
    );
    this.minValue = a.minValue;
    this.maxValue = a.maxValue;
    this.rate = a.rate;
    this.axis = a.axis;
  }
  override apply(w: Sym): Sym {
    const n = norms(w, constraintAxes('MinMaxNorm', this.axis, w));
    const clipped = ops.clip(n, this.minValue, Math.max(this.maxValue, this.minValue));
    const desired = ops.add(ops.mul(clipped, Math.fround(this.rate)), ops.mul(n, Math.fround(1 - this.rate)));
    return rescale(w, desired, n);
  }
  override getConfig(): Record<string, unknown> {
    return { min_value: this.minValue, max_value: this.maxValue, rate: this.rate, axis: this.axis };
  }
}

/** The arguments of {@link UnitNorm}. */
export interface UnitNormArgs {
  /** The axis (or axes) the norm is taken over (default 0). */
  axis?: Axis;
}

/**
 * Scales weights to unit norm along `axis`: `w / (epsilon + norm)`.
 * @example new UnitNorm({ axis: 0 }) // or 'unit_norm'
 */
export class UnitNorm extends Constraint {
  static override readonly className = 'UnitNorm';
  readonly axis: Axis;
  constructor(args: UnitNormArgs = {}) {
    super();
    refuseUnknown('UnitNorm', args, ['axis']);
    this.axis = parseArgs(z.object({ axis: zAxis.default(0) }), args, 'UnitNorm').axis;
  }
  override apply(w: Sym): Sym {
    return ops.div(w, ops.add(norms(w, constraintAxes('UnitNorm', this.axis, w)), EPSILON));
  }
  override getConfig(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

registerClass('constraint', MaxNorm, 'max_norm', 'maxnorm');
registerClass('constraint', MinMaxNorm, 'min_max_norm');
registerClass('constraint', UnitNorm, 'unit_norm', 'unitnorm');
