/**
 * What `compile` makes of its arguments: the optimizer, the loss container and the metrics
 * container, read per output (one for all, a list in output order, or a record by output name).
 * Each compile has a generation of its own, which the compiled steps are keyed by.
 */
import { deserialize } from '../../serialization/registry.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import { checkMetricId } from '../trainer-args.js';
import { isLossItem, LossContainer, toLoss } from './loss-container.js';
import { MetricsContainer } from './metrics-container.js';
import type { CompileArgs, LossId, MetricId } from './options.js';
import { KerasTypeError, KerasValueError } from '../../errors.js';

/** The training set-up of one `compile`. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: LossContainer;
  readonly metrics: MetricsContainer;
  /** The arguments given to `compile`, for saving the training config. */
  readonly config: CompileArgs;
  /** Counts compiles: the steps traced for one compile are never reused after another. */
  readonly generation: number;
}

let generations = 0;

/** The model as `compile` reads it: its name and its outputs' names. */
export interface CompileTarget {
  readonly name: string;
  readonly className: string;
  readonly outputNames: string[];
}

/**
 * Reads `compile`'s (already checked) arguments for a model: losses, loss weights and metrics per
 * output; unknown output names, wrong list lengths and unknown metrics fail here.
 */
export function readCompiled(args: CompileArgs, model: CompileTarget): Compiled {
  const names = model.outputNames;
  const n = names.length;
  /** One value per output from one value for all, a list in output order, or a record by output name. */
  const perOutput = <T>(v: unknown, what: string, isItem: (x: unknown) => boolean): (T | null)[] => {
    if (v === undefined || v === null) return names.map(() => null);
    if (Array.isArray(v) && !(n === 1 && isItem(v))) {
      if (v.length !== n) throw new KerasValueError(`compile: '${what}' has ${v.length} entries but model '${model.name}' has ${n} output(s) (${names.join(', ')})`);
      return [...(v as readonly T[])];
    }
    if (typeof v === 'object' && !Array.isArray(v) && !isItem(v)) {
      const rec = v as Readonly<Record<string, T>>;
      for (const k of Object.keys(rec)) if (!names.includes(k)) throw new KerasValueError(`compile: '${what}' names output '${k}', but the outputs are ${names.join(', ')}`);
      return names.map((nm) => rec[nm] ?? null);
    }
    return names.map(() => v as T);
  };
  const losses = perOutput<LossId>(args.loss, 'loss', isLossItem).map((l) => (l === null ? null : toLoss(l)));
  const lossWeights = perOutput<number>(args.lossWeights, 'loss_weights', (x) => typeof x === 'number').map((w) => w ?? 1);
  const isMetricList = (x: unknown) => Array.isArray(x) && x.every((m) => !Array.isArray(m));
  const metrics = args.metrics;
  let metricIds: MetricId[][];
  if (!metrics) metricIds = names.map(() => []);
  else if (Array.isArray(metrics) && metrics.some((m) => Array.isArray(m))) {
    metricIds = perOutput<readonly MetricId[]>(metrics, 'metrics', () => false).map((m) => [...(m ?? [])]);
  } else if (Array.isArray(metrics)) metricIds = names.map(() => [...(metrics as readonly MetricId[])]);
  else metricIds = perOutput<MetricId | readonly MetricId[]>(metrics, 'metrics', isMetricList).map((m) => (m === null ? [] : Array.isArray(m) ? [...(m as readonly MetricId[])] : [m as MetricId]));
  const wm: unknown = args.weightedMetrics ?? [];
  if (!Array.isArray(wm)) throw new KerasTypeError(`compile: 'weighted_metrics' must be a list of metrics, got ${JSON.stringify(wm)?.slice(0, 80)}`);
  const weighted = wm as readonly MetricId[];
  const weightedIds = names.map(() => [...weighted]);
  for (const id of [...metricIds.flat(), ...weighted]) checkMetricId(id, model.className);
  const optimizer = typeof args.optimizer === 'object' && args.optimizer && 'applyGradients' in args.optimizer ? (args.optimizer as Optimizer) : deserialize<Optimizer>('optimizer', args.optimizer ?? 'rmsprop');
  return { optimizer, loss: new LossContainer(losses, lossWeights), metrics: new MetricsContainer(metricIds, weightedIds), config: args, generation: ++generations };
}
