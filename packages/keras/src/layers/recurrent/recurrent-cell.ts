import type { Sym } from '@keras-ts/spec';
import { Layer, type InputShape } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import type { ResolvedCommon } from './cell-args.js';
import { DropoutMasks, firstShape, fmtSymShape, forgetBiasInitializer, type RNNCellLike } from './rnn-utils.js';
import { KerasShapeError } from '../../errors.js';

/**
 * What SimpleRNNCell, LSTMCell, GRUCell and ConvLSTMCell share: the resolved common arguments
 * (`opts`), the `kernel`, `recurrent_kernel` and optional `bias` weights, and the per-sequence
 * input and recurrent dropout masks.
 */
export abstract class RecurrentCell extends Layer implements RNNCellLike {
  /** Activation, initializers, regularizers, constraints and dropout rates, resolved. */
  abstract readonly opts: ResolvedCommon;
  abstract readonly stateSize: RNNCellLike['stateSize'];
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;
  private readonly masks = new DropoutMasks();

  resetDropoutMasks(): void {
    this.masks.reset();
  }

  /** The input and recurrent dropout masks of the sequence, `count` of each (null when there is no dropout). */
  protected dropoutMasks(x: Sym, state: Sym, count: number, training: boolean): [Sym[] | null, Sym[] | null] {
    return [this.masks.get('input', x, this.opts.dropout, count, training), this.masks.get('recurrent', state, this.opts.recurrentDropout, count, training)];
  }

  /** The size of the last axis of the (first) input, which must be known. */
  protected lastInputDim(inputShape: InputShape): number {
    const shape = firstShape(inputShape);
    const inDim = shape.at(-1);
    if (typeof inDim !== 'number') throw new KerasShapeError(`${this.label}: the last axis of the input must be known, got shape ${fmtSymShape(shape)}`);
    return inDim;
  }

  /**
   * Adds `kernel`, `recurrent_kernel` and (with `useBias`) `bias` of the given shapes. With
   * `forgetBiasUnits` (an LSTM's unit_forget_bias), the bias of the forget gate starts at one.
   */
  protected addCellWeights(kernelShape: number[], recurrentShape: number[], biasShape: number[], forgetBiasUnits: number | null = null): void {
    const o = this.opts;
    this.kernel = this.addWeight({ name: 'kernel', shape: kernelShape, initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: recurrentShape,
      initializer: o.recurrentInitializer,
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
    if (o.useBias) {
      const init = forgetBiasUnits === null ? o.biasInitializer : forgetBiasInitializer(o.biasInitializer, forgetBiasUnits);
      this.bias = this.addWeight({ name: 'bias', shape: biasShape, initializer: init, regularizer: o.biasRegularizer, constraint: o.biasConstraint });
    }
  }
}
