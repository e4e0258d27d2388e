/**
 * The losses given to `compile`, per output, with their weights: one total loss graph from the
 * targets, predictions and sample weights of a batch (plus the weights' regularization and the
 * losses layers add), and the per-output losses Keras logs for a model of several outputs. An
 * output that carries a Keras mask is averaged over its unmasked entries only, as in Keras 2.
 */
import { ops, type Sym } from '@keras-ts/spec';
import { deserialize } from '../../serialization/registry.js';
import { Loss } from '../../losses/loss.js';
import { kerasMask } from '../keras-mask.js';
import type { Variable } from '../variable.js';
import type { LossId } from './options.js';
import { maskedWeights, validMaskWeights } from './sample-weights.js';
import { KerasStateError, KerasValueError } from '../../errors.js';

/** A loss as a Loss object (plain functions are wrapped, as Keras' LossFunctionWrapper). */
class FunctionLoss extends Loss {
  static override readonly className = 'LossFunctionWrapper';
  constructor(private readonly fn: (yTrue: Sym, yPred: Sym) => Sym) {
    super({}, fn.name || 'loss');
  }
  call(yTrue: Sym, yPred: Sym): Sym {
    return this.fn(yTrue, yPred);
  }
}

/** The Loss for a compile id: a name, a Loss, a serialized loss or a function. */
export function toLoss(id: LossId): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new FunctionLoss(id);
  return deserialize<Loss>('loss', id);
}

/** Whether a value is one loss (rather than a list or a record of them). */
export const isLossItem = (x: unknown): boolean =>
  typeof x === 'string' || typeof x === 'function' || x instanceof Loss || (!!x && typeof x === 'object' && 'class_name' in (x as object));

export class LossContainer {
  /**
   * @param losses the loss of each output (null: the output is not trained)
   * @param weights the weight of each output's loss in the total
   */
  constructor(
    readonly losses: readonly (Loss | null)[],
    readonly weights: readonly number[],
  ) {}

  /** Whether no output has a loss. */
  get isEmpty(): boolean {
    return this.losses.every((l) => l === null);
  }

  /** The log keys of the per-output losses: `<output>_loss` for each output with a loss, when there are several outputs. */
  perOutputKeys(outputNames: readonly string[]): string[] {
    if (outputNames.length < 2) return [];
    return outputNames.filter((_, i) => this.losses[i]).map((nm) => `${nm}_loss`);
  }

  /**
   * The total loss (weighted per-output losses, the regularization of `weights`, the losses in
   * `extra` that layers added) and the per-output losses, over symbolic tensors.
   */
  graph(modelName: string, ys: readonly Sym[], preds: readonly Sym[], sws: readonly Sym[], weights: readonly Variable[], extra: readonly Sym[]): { total: Sym; perOutput: Sym[] } {
    if (preds.length !== this.losses.length) throw new KerasValueError(`model '${modelName}' produced ${preds.length} outputs but was compiled for ${this.losses.length}`);
    const perOutput: Sym[] = [];
    let total: Sym | null = null;
    this.losses.forEach((loss, i) => {
      if (!loss) return;
      // As Keras 2's match_dtype_and_rank: labels [B] against predictions [B, n] become [B, 1].
      const yt = ys[i].rank === 1 && preds[i].rank === 2 ? ops.expandDims(ys[i], -1) : ys[i];
      // An output with a Keras mask: masked entries weigh nothing, and a mean is over the valid
      // ones (Keras 2: compile_utils.py LossesContainer.__call__ `apply_mask`, then
      // losses.py Loss.__call__ `apply_valid_mask`).
      const mask = kerasMask(preds[i]);
      const sw = mask ? validMaskWeights(maskedWeights(preds[i], mask, sws[i]), mask, loss.reduction) : sws[i];
      const l = loss.compute(yt, preds[i], sw);
      perOutput.push(l);
      const w = this.weights[i] === 1 ? l : ops.mul(l, this.weights[i]);
      total = total ? ops.add(total, w) : w;
    });
    // Without a compiled loss (a model trained by the losses it added), the total starts at the penalties.
    const plus = (t: Sym | null, x: Sym): Sym => (t ? ops.add(t, x) : x);
    for (const v of weights) if (v.regularizer) total = plus(total, v.regularizer.penalty(v.read()));
    for (const e of extra) total = plus(total, e);
    if (!total) throw new KerasStateError(`model '${modelName}' has no loss: compile it with a loss, or add one with addLoss`);
    return { total, perOutput };
  }
}
