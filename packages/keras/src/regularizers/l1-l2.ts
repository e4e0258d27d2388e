import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { Regularizer, refuseNonFinite, refuseUnknown, zPenalty } from './regularizer.js';

// Keras 2 holds penalty factors as float32 (`cast_to_floatx`) and writes them back as such, so a
// config reads `"l2": 0.009999999776482582` for 0.01.
const f32 = Math.fround;

/** Keras 2's older spelling `l` of L1's and L2's factor (it wins over `l1` / `l2`, as in Keras 2). */
const zOlderSpelling = z.number().nullable().optional();

/**
 * The arguments of L1, L2 or L1L2 read by `schema`: unknown keys and non-finite factors refused
 * (naming the class, the key and the value), then the values checked.
 */
function parseFactors<T>(cls: string, schema: z.ZodType<T> & { readonly shape: object }, args: object): T {
  const keys = Object.keys(schema.shape);
  refuseUnknown(cls, args, keys);
  refuseNonFinite(cls, args, keys);
  return parseArgs(schema, args, cls);
}

function l1Penalty(w: Sym, l1: number): Sym {
  return ops.mul(ops.sum(ops.abs(w)), l1);
}

/** `2 * l2 * tf.nn.l2_loss(w)`, that is `l2 * sum(w^2)`. */
function l2Penalty(w: Sym, l2: number): Sym {
  return ops.mul(ops.sum(ops.square(w)), l2);
}

/** The arguments of {@link L1}. */
export interface L1Args {
  /** The L1 factor (default 0.01). */
  l1?: number | null;
  /** Keras 2's older spelling of `l1`. */
  l?: number | null;
}

/**
 * L1 regularization: `l1 * sum(abs(w))`.
 * @example new Dense({ units: 4, kernelRegularizer: new L1({ l1: 0.001 }) }) // or 'l1'
 */
export class L1 extends Regularizer {
  static override readonly className = 'L1';
  readonly l1: number;
  constructor(args: L1Args = {}) {
    super();
    const a = parseFactors('L1', z.object({ l1: zPenalty(0.01), l: zOlderSpelling }), args);
    this.l1 = f32(a.l ?? a.l1);
  }
  penalty(w: Sym): Sym {
    return l1Penalty(w, this.l1);
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1 };
  }
}

/** The arguments of {@link L2}. */
export interface L2Args {
  /** The L2 factor (default 0.01). */
  l2?: number | null;
  /** Keras 2's older spelling of `l2`. */
  l?: number | null;
}

/**
 * L2 regularization: `l2 * sum(square(w))`.
 * @example new Dense({ units: 4, kernelRegularizer: new L2({ l2: 1e-4 }) }) // or 'l2'
 */
export class L2 extends Regularizer {
  static override readonly className = 'L2';
  readonly l2: number;
  constructor(args: L2Args = {}) {
    super();
    const a = parseFactors('L2', z.object({ l2: zPenalty(0.01), l: zOlderSpelling }), args);
    this.l2 = f32(a.l ?? a.l2);
  }
  penalty(w: Sym): Sym {
    return l2Penalty(w, this.l2);
  }
  override getConfig(): Record<string, unknown> {
    return { l2: this.l2 };
  }
}

/** The arguments of {@link L1L2}. */
export interface L1L2Args {
  /** The L1 factor (default 0). */
  l1?: number | null;
  /** The L2 factor (default 0). */
  l2?: number | null;
}

/**
 * Both penalties: `l1 * sum(abs(w)) + l2 * sum(square(w))`. Note Keras 2's defaults: the class
 * defaults to 0 and 0, while the name `'l1_l2'` gives 0.01 and 0.01.
 * @example new Dense({ units: 4, kernelRegularizer: new L1L2({ l1: 1e-5, l2: 1e-4 }) })
 */
export class L1L2 extends Regularizer {
  static override readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;
  constructor(args: L1L2Args = {}) {
    super();
    const a = parseFactors('L1L2', z.object({ l1: zPenalty(0), l2: zPenalty(0) }), args);
    this.l1 = f32(a.l1);
    this.l2 = f32(a.l2);
  }
  penalty(w: Sym): Sym {
    let r: Sym = ops.scalar(w.graph, 0);
    if (this.l1) r = ops.add(r, l1Penalty(w, this.l1));
    if (this.l2) r = ops.add(r, l2Penalty(w, this.l2));
    return r;
  }
  override getConfig(): Record<string, unknown> {
    return { l1: this.l1, l2: this.l2 };
  }
}

/**
 * Keras 2's `l1_l2(l1=0.01, l2=0.01)`: an L1L2 regularizer with both factors defaulting to 0.01.
 * @example l1L2({ l2: 1e-3 }) // L1L2 with l1 0.01 and l2 0.001
 */
export function l1L2(args: L1L2Args = {}): L1L2 {
  return new L1L2({ l1: args.l1 ?? 0.01, l2: args.l2 ?? 0.01 });
}

registerClass('regularizer', L1, 'l1');
registerClass('regularizer', L2, 'l2');
registerClass('regularizer', L1L2);
// The name 'l1_l2' is Keras 2's function, whose defaults (0.01, 0.01) differ from the class's.
registerClass('regularizer', { className: 'l1_l2', fromConfig: (c: Record<string, unknown>) => l1L2(c as L1L2Args) });
