/**
 * A model's own `trainStep` / `testStep` (tf.keras 2.2+): `fit` and `evaluate` call it with each
 * batch, traced into one graph (compiled once per batch signature, as the built-in steps), and log
 * what it returns: a record of symbolic scalars (logged as this batch's values) and metric
 * objects (logged as their results after the step). As in tf.keras 2, a batch's logs are what the
 * step returned, and an epoch's logs are those of its last batch.
 *
 * Inside the step, the model offers what tf.keras' `Model` does: `compiledLoss(y, yPred)` (the
 * compiled losses, regularization and added losses; it updates the `loss` tracker),
 * `compiledMetrics.updateState(y, yPred)` and `metrics` (the loss tracker and the compiled metrics).
 */
import { ops, Sym } from '@keras-ts/spec';
import type { Logs } from '../../callbacks/callback.js';
import { Metric } from '../../metrics/metric.js';
import { Mean } from '../../metrics/reduction-metrics.js';
import { FunctionCache, signatureOf, traceKeras, type CompiledFunction } from '../execute.js';
import type { Layer } from '../layer.js';
import { requireScope } from '../scope.js';
import type { Compiled } from './compiled.js';
import type { Batch } from './data-adapter.js';
import { KerasStateError, KerasTypeError } from '../../errors.js';

/** What a custom step receives: `[x, y, sampleWeight]` (one tensor or one per input/output; `y` and `sampleWeight` null when not given). */
export type StepData = [x: Sym | Sym[], y: Sym | Sym[] | null, sampleWeight: Sym | Sym[] | null];

/** What a custom step returns: log values by name, as symbolic scalars, metric objects or numbers. */
export type StepLogs = Record<string, Sym | Metric | number>;

/** tf.keras' `compiled_metrics` as a custom step uses it. */
export interface CompiledMetricsUpdater {
  /** Updates the compiled metrics with a batch's targets and predictions (and sample weights), inside a custom step. */
  updateState(y: Sym | Sym[] | null, yPred: Sym | Sym[], sampleWeight?: Sym | Sym[] | null): void;
}

/** The model as the custom steps see it. */
export interface CustomStepModel extends Layer {
  trainStep(data: StepData): StepLogs;
  testStep(data: StepData): StepLogs;
}

/** The step being traced: its compiled set-up and batch (what compiledLoss and compiledMetrics read). */
interface Active {
  readonly compiled: Compiled;
  readonly model: Layer;
  readonly sws: readonly Sym[];
  readonly hasSw: boolean;
}

let active: Active | null = null;

function requireActive(what: string): Active {
  if (!active) throw new KerasStateError(`${what} can only be called inside a model's trainStep or testStep (while fit or evaluate runs it)`);
  return active;
}

const trackers = new WeakMap<object, Mean>();

/** The model's `loss` tracker (a Mean, weighted by batch size as tf.keras' compiled loss metric). */
export function lossTracker(model: object): Mean {
  let m = trackers.get(model);
  if (!m) trackers.set(model, (m = new Mean({ name: 'loss' })));
  return m;
}

const asList = (v: Sym | Sym[] | null | undefined): Sym[] => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** tf.keras' `compiled_loss(y, y_pred, sample_weight)` inside a custom step: the total loss. */
export function compiledLoss(model: Layer, y: Sym | Sym[] | null, yPred: Sym | Sym[], sampleWeight?: Sym | Sym[] | null): Sym {
  const a = requireActive('compiledLoss');
  const scope = requireScope('compiledLoss');
  const sws = sampleWeight ? asList(sampleWeight) : a.sws;
  const preds = asList(yPred);
  const { total } = a.compiled.loss.graph(model.name, asList(y), preds, sws, model.weights, scope.losses);
  lossTracker(model).updateState(total, ops.fill(scope.graph, [], preds[0]?.shape[0] ?? 1));
  return total;
}

/** tf.keras' `compiled_metrics.update_state(y, y_pred, sample_weight)` inside a custom step. */
export function updateCompiledMetrics(y: Sym | Sym[] | null, yPred: Sym | Sym[], sampleWeight?: Sym | Sym[] | null): void {
  const a = requireActive('compiledMetrics.updateState');
  const sws = sampleWeight ? asList(sampleWeight) : a.sws;
  a.compiled.metrics.update(asList(y), asList(yPred), sws, !!sampleWeight || a.hasSw);
}

/** tf.keras' `model.metrics`: the loss tracker, then the compiled metrics (once they are made). */
export function modelMetrics(model: object, compiled: Compiled | null): Metric[] {
  return [lossTracker(model), ...(compiled?.metrics.compiledMetrics.map((m) => m.metric) ?? [])];
}

/** Resets the loss tracker (the compiled metrics are reset by the loops). */
export function resetLossTracker(model: object): void {
  lossTracker(model).resetState();
}

/** How a traced custom step's outputs map to log keys. */
type Layout = { key: string; kind: 'sym'; index: number } | { key: string; kind: 'metric'; metric: Metric } | { key: string; kind: 'number'; value: number };

const caches = new WeakMap<object, FunctionCache>();
const layouts = new WeakMap<CompiledFunction, Layout[]>();

/**
 * Runs the model's custom `trainStep` (training) or `testStep` on a batch; returns the logs of this
 * batch (what the step returned).
 */
export async function runCustomStep(model: CustomStepModel, compiled: Compiled, batch: Batch, training: boolean): Promise<Logs> {
  const inputs = [...batch.xs, ...batch.ys, ...batch.sws];
  const nx = batch.xs.length;
  const ny = batch.ys.length;
  let cache = caches.get(model);
  if (!cache) caches.set(model, (cache = new FunctionCache()));
  const key = `${training ? 'train' : 'test'}|${compiled.generation}|${signatureOf(inputs)}|${batch.hasSw}|${model.trainableWeights.map((v) => v.id).join(',')}`;
  let layout: Layout[] = [];
  const f = cache.get(key, () =>
    traceKeras(
      (ins) => {
        const xs = ins.slice(0, nx);
        const ys = ins.slice(nx, nx + ny);
        const sws = ins.slice(nx + ny);
        const one = (l: Sym[]) => (l.length === 1 ? l[0] : l);
        const data: StepData = [one(xs), ys.length ? one(ys) : null, batch.hasSw ? one(sws) : null];
        const prev = active;
        active = { compiled, model, sws, hasSw: batch.hasSw };
        let result: StepLogs;
        try {
          result = training ? model.trainStep(data) : model.testStep(data);
        } finally {
          active = prev;
        }
        if (!result || typeof result !== 'object') throw new KerasTypeError(`${model.label}: ${training ? 'trainStep' : 'testStep'} must return a record of log values (symbolic scalars, metrics or numbers), got ${result === null ? 'null' : typeof result}`);
        const outs: Sym[] = [];
        layout = Object.entries(result).map(([k, v]): Layout => {
          if (v instanceof Sym) {
            outs.push(v.rank === 0 ? ops.cast(v, 'float32') : ops.mean(ops.cast(v, 'float32')));
            return { key: k, kind: 'sym', index: outs.length - 1 };
          }
          if (v instanceof Metric) return { key: k, kind: 'metric', metric: v };
          if (typeof v === 'number') return { key: k, kind: 'number', value: v };
          throw new KerasTypeError(`${model.label}: the log '${k}' returned by ${training ? 'trainStep' : 'testStep'} must be a symbolic tensor, a metric or a number`);
        });
        return outs;
      },
      inputs,
      training,
    ),
  );
  if (!layouts.has(f)) layouts.set(f, layout);
  const values = await f.run(inputs);
  const logs: Logs = {};
  for (const l of layouts.get(f)!) {
    if (l.kind === 'sym') logs[l.key] = values[l.index].data[0];
    else if (l.kind === 'metric') logs[l.key] = (await l.metric.resultValue()).data[0];
    else logs[l.key] = l.value;
  }
  return logs;
}
