import { registerClass } from '../serialization/registry.js';
import { categoricalHinge, hinge, squaredHinge } from './functions.js';
import { meanFunctionClass } from './reduction-metrics.js';

/**
 * The mean hinge loss `max(1 - y_true * y_pred, 0)`; 0/1 labels are taken as -1/1
 * (`keras.metrics.Hinge`).
 *
 * @example
 * const m = new Hinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.3
 */
export class Hinge extends meanFunctionClass('Hinge', 'hinge', hinge) {}

/**
 * The mean squared hinge loss `max(1 - y_true * y_pred, 0)^2` (`keras.metrics.SquaredHinge`).
 *
 * @example
 * const m = new SquaredHinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.86
 */
export class SquaredHinge extends meanFunctionClass('SquaredHinge', 'squared_hinge', squaredHinge) {}

/**
 * The mean categorical hinge loss `max(max(neg) - pos + 1, 0)` (`keras.metrics.CategoricalHinge`).
 *
 * @example
 * const m = new CategoricalHinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.4
 */
export class CategoricalHinge extends meanFunctionClass('CategoricalHinge', 'categorical_hinge', categoricalHinge) {}

registerClass('metric', Hinge, 'hinge');
registerClass('metric', SquaredHinge, 'squared_hinge');
registerClass('metric', CategoricalHinge, 'categorical_hinge');
