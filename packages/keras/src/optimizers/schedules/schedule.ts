import type { Sym } from '@keras-ts/spec';
import type { Serializable } from '../../serialization/registry.js';

/**
 * A learning rate as a function of the optimizer's iteration (0-based, before the update), as
 * Keras' `LearningRateSchedule`: `call` over symbolic tensors (used inside training steps) and
 * `valueAt` on the host (for logs and callbacks). Both compute the same formula.
 */
export interface LearningRateSchedule extends Serializable {
  /** The learning rate at `step` (a float32 scalar tensor), inside a traced training step. */
  call(step: Sym): Sym;
  /** The learning rate at `step`, computed on the host by the same formula. */
  valueAt(step: number): number;
}
