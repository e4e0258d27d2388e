import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { CustomObjects, Serializable } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { parseArgs } from '../engine/layer.js';
import { snakeToCamel } from '../naming.js';
import type { Tensor } from '../tensor.js';

/**
 * How a loss reduces its weighted per-sample values: `'none'` keeps them, `'sum'` adds them up,
 * `'sum_over_batch_size'` (and Keras 2's `'auto'`) divides their sum by their number.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'auto';

export interface LossArgs {
  reduction?: Reduction | null;
  name?: string;
}

const zReduction = z.enum(['sum_over_batch_size', 'sum', 'none', 'auto']);

/**
 * The base of every loss: `call` gives the per-sample values; `compute` applies sample
 * weights and the reduction, as Keras' `Loss.__call__`.
 *
 * - `none`: the weighted per-sample values.
 * - `sum`: their sum.
 * - `sum_over_batch_size` (and Keras 2's `auto`): their sum divided by the number of values.
 */
export abstract class Loss implements Serializable {
  static readonly className: string = 'Loss';
  readonly reduction: Reduction;
  readonly name: string;
  private readonly eager = new EagerFunctions();

  constructor(args: LossArgs = {}, defaultName: string) {
    const a = parseArgs(z.looseObject({ reduction: zReduction.nullable().optional(), name: z.string().optional() }), args, new.target.name);
    // Keras 2 writes 'auto' (which means sum_over_batch_size); Keras 3's null means 'none'.
    this.reduction = a.reduction === undefined ? 'auto' : a.reduction === null ? 'none' : a.reduction;
    this.name = a.name ?? defaultName;
  }

  /** Per-sample losses (the batch axis kept; other axes reduced as the loss defines). */
  abstract call(yTrue: Sym, yPred: Sym): Sym;

  /** Weighted and reduced loss, over symbolic tensors. */
  compute(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null, reduction: Reduction = this.reduction): Sym {
    // As Keras' losses (`y_true = cast(y_true, y_pred.dtype)`): integer and bool labels are cast
    // to the predictions' dtype.
    if (yTrue.dtype !== yPred.dtype && yPred.dtype === 'float32') yTrue = ops.cast(yTrue, yPred.dtype);
    let values = this.call(yTrue, yPred);
    if (sampleWeight) values = ops.mul(values, broadcastWeights(sampleWeight, values));
    return reduceValues(values, reduction);
  }

  /** The loss of concrete tensors (compiled once per shape). */
  async evaluate(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null, reduction: Reduction = this.reduction): Promise<Tensor> {
    const inputs = sampleWeight ? [yTrue, yPred, sampleWeight] : [yTrue, yPred];
    const [out] = await this.eager.run(`loss|${reduction}`, inputs, ([t, p, w]) => [this.compute(t, p, w ?? null, reduction)]);
    return out;
  }

  /**
   * The loss's config in Keras' snake_case wire format: `reduction` and `name`, and the arguments
   * of subclasses.
   */
  getConfig(): Record<string, unknown> {
    return { reduction: this.reduction, name: this.name };
  }

  /** Rebuilds a loss from its config (snake_case keys become camelCase arguments). */
  static fromConfig(this: unknown, config: Record<string, unknown>, _custom?: CustomObjects): Loss {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) args[snakeToCamel(k)] = v;
    return new (this as new (args: LossArgs) => Loss)(args as LossArgs);
  }
}

/** Reshapes per-sample weights so they broadcast against loss values (Keras squeezes or expands the last axis). */
export function broadcastWeights(w: Sym, values: Sym): Sym {
  let sw = w;
  while (sw.rank > values.rank && sw.shape[sw.rank - 1] === 1) sw = ops.squeeze(sw, [-1]);
  while (sw.rank < values.rank) sw = ops.expandDims(sw, -1);
  return sw;
}

export function reduceValues(values: Sym, reduction: Reduction): Sym {
  if (reduction === 'none') return values;
  const total = ops.sum(values);
  if (reduction === 'sum') return total;
  const n = values.shape.reduce((a, b) => a * b, 1);
  return ops.div(total, Math.max(n, 1));
}
