/**
 * The metrics given to `compile`, per output: made once the shapes of targets and predictions are
 * known (Keras resolves `'accuracy'` and `'crossentropy'` from them and from the loss), updated
 * inside the traced train and test steps, reset per epoch or pass, and read as logs under the
 * names Keras reports (`<output>_<metric>` for a model of several outputs). An output's Keras
 * mask weights its metrics, as in Keras 2.
 */
import type { Sym } from '@keras-ts/spec';
import type { Logs } from '../../callbacks/callback.js';
import { deserialize, lookupClass } from '../../serialization/registry.js';
import type { Loss } from '../../losses/loss.js';
import type { Metric } from '../../metrics/metric.js';
import { kerasMask } from '../keras-mask.js';
import { MeanMetricWrapper } from '../../metrics/reduction-metrics.js';
import type { MetricId } from './options.js';
import { maskedWeights } from './sample-weights.js';
import { KerasValueError } from '../../errors.js';

/** A compiled metric: the output it watches, the key of its logs, whether it takes sample weights. */
export interface CompiledMetric {
  output: number;
  metric: Metric;
  key: string;
  weighted: boolean;
}

export class MetricsContainer {
  private entries: CompiledMetric[] | null = null;

  /**
   * @param ids the metrics of each output
   * @param weightedIds the weighted metrics of each output (they receive the sample weights)
   */
  constructor(
    readonly ids: readonly MetricId[][],
    readonly weightedIds: readonly MetricId[][],
  ) {}

  /** The metric objects with their log keys (empty before they are made), for a custom train step's `metrics`. */
  get compiledMetrics(): readonly CompiledMetric[] {
    return this.entries ?? [];
  }

  /** Whether the metric objects were made (by the first pass after compile). */
  get built(): boolean {
    return this.entries !== null;
  }

  /**
   * Makes the metric objects, once: `yShapes` are the targets' shapes, `predShapes()` gives the
   * predictions' shapes (called only when the metrics are not made yet), `losses` the compiled
   * loss of each output.
   */
  build(outputNames: readonly string[], yShapes: readonly (readonly number[])[], predShapes: () => readonly (readonly number[])[], losses: readonly (Loss | null)[]): void {
    if (this.entries) return;
    const shapes = predShapes();
    const multi = outputNames.length > 1;
    const out: CompiledMetric[] = [];
    const make = (id: MetricId, i: number, weighted: boolean, k: number) => {
      const metric = makeMetric(id, k, yShapes[i], shapes[i], losses[i]);
      out.push({ output: i, metric, key: multi ? `${outputNames[i]}_${metric.name}` : metric.name, weighted });
    };
    this.ids.forEach((ids, i) => ids.forEach((id, k) => make(id, i, false, k)));
    this.weightedIds.forEach((ids, i) => ids.forEach((id, k) => make(id, i, true, k)));
    this.entries = out;
  }

  /**
   * The metric updates of one batch, inside a traced step. On an output that carries a Keras
   * mask, the metrics are weighted by it (masked entries leave the metric as it was): the
   * unweighted metrics by the mask, the weighted ones by the mask times the sample weights
   * (Keras 2: compile_utils.py MetricsContainer.update_state).
   */
  update(ys: readonly Sym[], preds: readonly Sym[], sws: readonly Sym[], hasSw: boolean): void {
    for (const m of this.entries ?? []) {
      const pred = preds[m.output];
      const sw = m.weighted && hasSw ? sws[m.output] : null;
      const mask = kerasMask(pred);
      m.metric.updateState(ys[m.output], pred, mask ? maskedWeights(pred, mask, sw) : sw);
    }
  }

  /** Resets every metric's state (start of an epoch, a test pass or a batch method). */
  reset(): void {
    for (const m of this.entries ?? []) m.metric.resetState();
  }

  /** The metrics' current results, keyed as in fit's logs. */
  async logs(): Promise<Logs> {
    const logs: Logs = {};
    for (const m of this.entries ?? []) logs[m.key] = (await m.metric.resultValue()).data[0];
    return logs;
  }
}

/** A metric object for a compile id; `k` is its position in its output's list (anonymous functions: `metric_<k+1>`). */
function makeMetric(id: MetricId, k: number, yShape: readonly number[], predShape: readonly number[], loss: Loss | null): Metric {
  if (typeof id === 'function') return new MeanMetricWrapper({ fn: id, name: id.name || `metric_${k + 1}` });
  if (typeof id === 'string') {
    const lower = id.toLowerCase();
    let cls = id;
    if (lower === 'accuracy' || lower === 'acc') cls = accuracyClass(yShape, predShape);
    else if (lower === 'crossentropy' || lower === 'ce') cls = crossentropyClass(loss);
    const found = lookupClass('metric', cls);
    if (!found) throw new KerasValueError(`compile: unknown metric '${id}'`);
    return deserialize<Metric>('metric', { class_name: found.className, config: { name: id } });
  }
  return 'updateState' in id ? (id as Metric) : deserialize<Metric>('metric', id);
}

/** Keras' choice for 'accuracy': binary when the prediction has one unit, sparse when the labels have one fewer axis or one column. */
function accuracyClass(yShape: readonly number[], pShape: readonly number[]): string {
  const pLast = pShape.at(-1) ?? 1;
  const tLast = yShape.at(-1) ?? 1;
  if (pLast === 1) return 'BinaryAccuracy';
  if (yShape.length < pShape.length || (tLast === 1 && pLast > 1)) return 'SparseCategoricalAccuracy';
  return 'CategoricalAccuracy';
}

/** Keras' choice for 'crossentropy': after the output's loss. */
function crossentropyClass(loss: Loss | null): string {
  const name = loss ? ((loss.constructor as { className?: string }).className ?? '') : '';
  if (name.includes('Sparse')) return 'SparseCategoricalCrossentropy';
  if (name.includes('Binary')) return 'BinaryCrossentropy';
  return 'CategoricalCrossentropy';
}
