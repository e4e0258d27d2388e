import type { DType } from '@keras-ts/spec';
import type { Serializable } from '../serialization/registry.js';
import type { WeightInitializer } from '../engine/layer.js';
import type { Tensor } from '../tensor.js';

/**
 * The base of every initializer: makes a weight's initial value on the host. Seeded
 * initializers give the same values for the same seed (the values differ from Python Keras',
 * whose random generator is not reproduced).
 */
export abstract class Initializer implements Serializable, WeightInitializer {
  static readonly className: string = 'Initializer';
  /** A new initial value of `shape` and `dtype`, made on the host. */
  abstract init(shape: readonly number[], dtype: DType): Tensor;
  /**
   * The initializer's arguments in Keras' snake_case wire format (`seed`, `stddev`, ...); none for
   * the base class.
   */
  getConfig(): Record<string, unknown> {
    return {};
  }
}
