/**
 * Keras' `add_metric(value, name, aggregation)`: a value logged under `name` by fit and evaluate,
 * the running mean over the batches of an epoch or pass (tf.keras 2 tracks it with a `Mean`).
 *
 * - A symbolic tensor inside a layer's `call`: its mean joins the metric at each train or test step.
 * - A placeholder of the functional API, on a functional model: computed from the model's inputs
 *   at every train and test step.
 *
 * `aggregation` is `'mean'` (the value is averaged over its elements) or null (the value is a
 * metric already aggregated, such as a scalar); Keras 2 takes no other.
 */
import { Sym } from '@keras-ts/spec';
import type { Logs } from '../callbacks/callback.js';
import type { Tensor } from '../tensor.js';
import { KerasTensor } from './keras-tensor.js';
import { deepLayers } from './added-losses.js';
import type { Layer } from './layer.js';
import { currentScope } from './scope.js';
import { KerasStateError, KerasTypeError, KerasValueError } from '../errors.js';

/** The options of `addMetric`. */
export interface AddMetricOptions {
  /** The name it is logged under (required, as in Keras 2). */
  name: string;
  /** `'mean'` or null (default null, as Keras 2). */
  aggregation?: 'mean' | null;
}

/** What tracks an added metric: a running mean (Keras 2's `Mean`). */
export interface MetricTracker {
  updateState(values: Sym, sampleWeight?: Sym | null): void;
  resultValue(): Promise<Tensor>;
  resetState(): void;
}

interface SymbolicMetric {
  readonly name: string;
  readonly tensor: KerasTensor;
}

const trackers = new WeakMap<object, Map<string, MetricTracker>>();
/** How many layers were ever given a tracker: while 0 (no addMetric anywhere), nothing walks a model's layers for them. */
let trackedLayers = 0;
const symbolic = new WeakMap<object, SymbolicMetric[]>();
/** While a train or test step is traced: how to make a metric's tracker (a `Mean`). */
let makeTracker: ((name: string) => MetricTracker) | null = null;

/**
 * Runs `fn` (which traces a train or test step) with metric updates recorded, trackers made by
 * `makeMean` (the loops pass `Mean`: this module is imported by `Layer`, which the metrics
 * import, so it imports no metric class itself); outside it (a predict step) the values added
 * with addMetric are left out.
 */
export function recordingMetrics<T>(fn: () => T, makeMean: (name: string) => MetricTracker): T {
  const prev = makeTracker;
  makeTracker = makeMean;
  try {
    return fn();
  } finally {
    makeTracker = prev;
  }
}

/** Updates `layer`'s metric `name` with a symbolic value, when a train or test step is being traced. */
export function updateAddedMetric(layer: object, name: string, value: Sym): void {
  if (!makeTracker || !currentScope()) return;
  let own = trackers.get(layer);
  if (!own) {
    trackers.set(layer, (own = new Map()));
    trackedLayers++;
  }
  let m = own.get(name);
  if (!m) own.set(name, (m = makeTracker(name)));
  m.updateState(value);
}

/**
 * Records or updates a metric for `layer` (see the module's description). Returns true when a
 * placeholder was recorded (a functional model then maps the layers that compute it).
 */
export function addLayerMetric(layer: Layer, value: Sym | KerasTensor, options: AddMetricOptions): boolean {
  const name = options?.name;
  if (typeof name !== 'string' || !name) {
    throw new KerasValueError(`${layer.label}: addMetric needs a name for the metric, as Keras 2: addMetric(ops.sum(x), { name: 'mean_activation' })`);
  }
  const aggregation = options.aggregation ?? null;
  if (aggregation !== 'mean' && aggregation !== null) throw new KerasValueError(`${layer.label}: addMetric's aggregation must be 'mean' or null (Keras 2 supports only mean aggregation), got ${JSON.stringify(aggregation)}`);
  if (value instanceof KerasTensor) {
    const own = symbolic.get(layer) ?? [];
    own.push({ name, tensor: value });
    symbolic.set(layer, own);
    return true;
  }
  if (value instanceof Sym) {
    if (!currentScope()) throw new KerasStateError(`${layer.label}: addMetric with a symbolic tensor must be called inside call() (in a traced step)`);
    updateAddedMetric(layer, name, value);
    return false;
  }
  throw new KerasTypeError(`${layer.label}: addMetric takes a symbolic tensor (inside call) or a KerasTensor (on a functional model); got ${value === null ? 'null' : typeof value}`);
}

/** The placeholders added as metrics to a functional model. */
export function symbolicMetrics(layer: object): readonly SymbolicMetric[] {
  return symbolic.get(layer) ?? [];
}

/** The added metrics' current results, by name (the model's and its layers'). */
export async function addedMetricLogs(model: Layer): Promise<Logs> {
  const logs: Logs = {};
  if (trackedLayers === 0) return logs;
  for (const l of deepLayers(model)) for (const [name, m] of trackers.get(l) ?? []) logs[name] = (await m.resultValue()).data[0];
  return logs;
}

/** Resets the added metrics (start of an epoch or a test pass). */
export function resetAddedMetrics(model: Layer): void {
  if (trackedLayers === 0) return;
  for (const l of deepLayers(model)) for (const m of trackers.get(l)?.values() ?? []) m.resetState();
}
