import type { Sym } from '@keras-ts/spec';
import { registerClass } from '../serialization/registry.js';
import { parseMetricArgs, type MetricArgs } from './base-metric.js';
import { categoricalHinge, hinge, squaredHinge } from './functions.js';
import { MeanFunctionMetric } from './reduction-metrics.js';

/**
 * The mean hinge loss `max(1 - y_true * y_pred, 0)`; 0/1 labels are taken as -1/1
 * (`keras.metrics.Hinge`).
 *
 * @example
 * const m = new Hinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.3
 */
export class Hinge extends MeanFunctionMetric {
  static override readonly className: string = 'Hinge';
  constructor(args: MetricArgs = {}) {
    super(parseMetricArgs('Hinge', args, {}).name ?? 'hinge');
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return hinge(yTrue, yPred);
  }
}

/**
 * The mean squared hinge loss `max(1 - y_true * y_pred, 0)^2` (`keras.metrics.SquaredHinge`).
 *
 * @example
 * const m = new SquaredHinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.86
 */
export class SquaredHinge extends MeanFunctionMetric {
  static override readonly className: string = 'SquaredHinge';
  constructor(args: MetricArgs = {}) {
    super(parseMetricArgs('SquaredHinge', args, {}).name ?? 'squared_hinge');
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return squaredHinge(yTrue, yPred);
  }
}

/**
 * The mean categorical hinge loss `max(max(neg) - pos + 1, 0)` (`keras.metrics.CategoricalHinge`).
 *
 * @example
 * const m = new CategoricalHinge();
 * await m.update(tensor([[0, 1], [0, 0]]), tensor([[0.6, 0.4], [0.4, 0.6]]));
 * (await m.resultValue()).toArray(); // 1.4
 */
export class CategoricalHinge extends MeanFunctionMetric {
  static override readonly className: string = 'CategoricalHinge';
  constructor(args: MetricArgs = {}) {
    super(parseMetricArgs('CategoricalHinge', args, {}).name ?? 'categorical_hinge');
  }
  protected override values(yTrue: Sym, yPred: Sym): Sym {
    return categoricalHinge(yTrue, yPred);
  }
}

registerClass('metric', Hinge, 'hinge');
registerClass('metric', SquaredHinge, 'squared_hinge');
registerClass('metric', CategoricalHinge, 'categorical_hinge');
