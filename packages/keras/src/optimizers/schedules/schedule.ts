import type { Sym } from '@keras-ts/spec';
import type { Serializable } from '../../config/serialization.js';

/**
 * A learning rate as a function of the optimizer's iteration (0-based, before the update), as
 * Keras' `LearningRateSchedule`: `call` over symbolic tensors (used inside training steps) and
 * `valueAt` on the host (for logs and callbacks). Both compute the same formula.
 */
export interface LearningRateSchedule extends Serializable {
  call(step: Sym): Sym;
  valueAt(step: number): number;
}
