/**
 * The compiled steps of a model: train (forward, loss, gradients, optimizer update, metric
 * updates), test (forward, loss, metric updates), predict (forward) and gradients (loss and
 * gradients, no update), each traced into one graph and compiled once on the backend.
 *
 * A step is cached by its signature: the kind, the compile generation (a new `compile` means a
 * new optimizer, losses and metrics; the cache is also cleared then), the shapes and dtypes of the
 * batch, whether sample weights are given, the model's layers (a layer added to or popped from a
 * Sequential, at any depth, makes another step) and, but for predict, its trainable weights
 * (freezing a layer or adding weights makes another step). The optimizer's state lives in variables the steps read
 * and write, so it needs no key of its own. The batch methods (`trainOnBatch`, `testOnBatch`,
 * `predictOnBatch`) and `fit` / `evaluate` / `predict` share the cache, so a batch method reuses
 * what the loop compiled for the same batch shape and the reverse.
 */
import { grad, type HostTensor, type Sym } from '@keras-ts/spec';
import type { Tensor } from '../../tensor.js';
import { FunctionCache, signatureOf, traceKeras, type CompiledFunction } from '../execute.js';
import type { TraceScope } from '../scope.js';
import type { Layer } from '../layer.js';
import type { Variable } from '../variable.js';
import type { Compiled } from './compiled.js';
import type { Batch } from './data-adapter.js';

/** Most training steps {@link StepFunctions.trainSteps} puts in one run. */
export const MAX_STEPS_PER_RUN = 8;

/**
 * Graph nodes the training steps of one run may have together: a step's graph is traced and
 * compiled once per step in the run, so a large one (a long unrolled RNN) runs one step a run.
 */
const STEPS_GRAPH_NODES = 1024;

/** What the steps read of the model besides its forward pass. */
export interface StepModel {
  readonly name: string;
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  subLayers(): Layer[];
}

/** A number per layer object, for the structure part of the step keys. */
const layerIds = new WeakMap<object, number>();
let nextLayerId = 1;

/** The layers below `model`, depth first, as numbers (each layer once). */
function structureOf(model: StepModel): string {
  const ids: number[] = [];
  const seen = new Set<Layer>();
  const walk = (layers: readonly Layer[]) => {
    for (const l of layers) {
      if (seen.has(l)) continue;
      seen.add(l);
      let id = layerIds.get(l);
      if (id === undefined) layerIds.set(l, (id = nextLayerId++));
      ids.push(id);
      walk(l.subLayers());
    }
  };
  walk(model.subLayers());
  return ids.join(',');
}

/** The model's outputs over symbolic inputs, as a list. */
export type Forward = (xs: readonly Sym[], training: boolean) => Sym[];

export class StepFunctions {
  private readonly cache = new FunctionCache();

  constructor(
    private readonly model: StepModel,
    private readonly forward: Forward,
  ) {}

  /**
   * A step's cache key. `trainable` false leaves the trainable weights out: the predict graph
   * reads every weight alike whatever is trainable (as Keras 2's predict function, which freezing
   * a layer does not retrace), and walking them costs ~0.1 ms a call on a 150-layer model.
   */
  private key(kind: string, generation: number, tensors: readonly HostTensor[], extra = '', trainable = true): string {
    const weights = trainable ? this.model.trainableWeights.map((v) => v.id).join(',') : '';
    return `${kind}|${generation}|${signatureOf(tensors)}|${extra}|${structureOf(this.model)}|${weights}`;
  }

  /** Runs one training step on a batch; returns [total loss, ...per-output losses]. */
  train(c: Compiled, b: Batch): Promise<Tensor[]> {
    return this.lossStep('train', c, b);
  }

  /** Runs one test step on a batch (inference mode); returns [total loss, ...per-output losses]. */
  test(c: Compiled, b: Batch): Promise<Tensor[]> {
    return this.lossStep('test', c, b);
  }

  /**
   * A train or test step: the forward pass (in training mode for 'train'), the losses, for
   * 'train' the gradients applied by the optimizer, and the metric updates.
   */
  private lossStep(kind: 'train' | 'test', c: Compiled, b: Batch): Promise<Tensor[]> {
    return this.lossFunction(kind, c, b).run([...b.xs, ...b.ys, ...b.sws]);
  }

  /** The compiled train or test step for batches like `b`. */
  private lossFunction(kind: 'train' | 'test', c: Compiled, b: Batch): CompiledFunction {
    const inputs = [...b.xs, ...b.ys, ...b.sws];
    return this.cache.get(this.key(kind, c.generation, inputs, String(b.hasSw)), () =>
      traceKeras((ins, scope) => this.lossGraph(kind, c, b, ins, scope), inputs, kind === 'train'),
    );
  }

  /** One train or test step over symbolic batch tensors (laid out as `b`'s): [total loss, ...per-output losses]. */
  private lossGraph(kind: 'train' | 'test', c: Compiled, b: Batch, ins: readonly Sym[], scope: TraceScope): Sym[] {
    const training = kind === 'train';
    const nx = b.xs.length;
    const ny = b.ys.length;
    const x = ins.slice(0, nx);
    const y = ins.slice(nx, nx + ny);
    const sw = ins.slice(nx + ny);
    const preds = this.forward(x, training);
    const { total, perOutput } = c.loss.graph(this.model.name, y, preds, sw, this.model.weights, scope.losses);
    const vars = this.model.trainableWeights;
    if (training && vars.length) {
      const grads = grad([total], vars.map((v) => v.read()));
      c.optimizer.applyGradients(grads, vars);
    }
    c.metrics.update(y, preds, sw, b.hasSw);
    return [total, ...perOutput];
  }

  /**
   * How many training steps on batches like `b` one run may hold ({@link trainSteps}): up to
   * {@link MAX_STEPS_PER_RUN} while the steps' graph stays within {@link STEPS_GRAPH_NODES} nodes; 1
   * when the step draws random numbers (a run is fed one seed, so several steps in a run would
   * draw other numbers than one step a run does).
   */
  stepsPerRun(c: Compiled, b: Batch): number {
    const traced = this.lossFunction('train', c, b).traced;
    if (traced.scope.feeds.some((f) => f.kind === 'seed')) return 1;
    return Math.max(1, Math.min(MAX_STEPS_PER_RUN, Math.floor(STEPS_GRAPH_NODES / traced.graph.nodes.length)));
  }

  /**
   * Runs one training step on each of `bs` (batches of one signature), in order, as one run of
   * one graph: the same updates and losses as {@link train} on each in turn, with the weights
   * going to and from the backend once for all of them. Returns each step's losses.
   */
  async trainSteps(c: Compiled, bs: readonly Batch[]): Promise<Tensor[][]> {
    const first = bs[0];
    const per = first.xs.length + first.ys.length + first.sws.length;
    const inputs = bs.flatMap((b) => [...b.xs, ...b.ys, ...b.sws]);
    const f = this.cache.get(this.key(`train*${bs.length}`, c.generation, inputs, String(first.hasSw)), () =>
      traceKeras(
        (ins, scope) =>
          bs.flatMap((_, k) => {
            if (k > 0) scope.nextStep();
            return this.lossGraph('train', c, first, ins.slice(k * per, (k + 1) * per), scope);
          }),
        inputs,
        true,
      ),
    );
    const outs = await f.run(inputs);
    const m = outs.length / bs.length;
    return bs.map((_, k) => outs.slice(k * m, (k + 1) * m));
  }

  /** The model's outputs for a batch of inputs (inference mode). */
  predict(xs: readonly Tensor[]): Promise<Tensor[]> {
    const f = this.cache.get(this.key('predict', 0, xs, '', false), () => traceKeras((ins) => this.forward(ins, false), xs, false));
    return f.run(xs);
  }

  /**
   * The loss of a batch and its gradients with respect to the trainable weights (training mode),
   * leaving every weight as it was (BatchNormalization's moving statistics included).
   */
  async gradients(c: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], sws: readonly Tensor[]): Promise<{ loss: Tensor; gradients: Tensor[] }> {
    const inputs = [...xs, ...ys, ...sws];
    const nx = xs.length;
    const ny = ys.length;
    const f = this.cache.get(this.key('grads', c.generation, inputs), () =>
      traceKeras(
        (ins, scope) => {
          const preds = this.forward(ins.slice(0, nx), true);
          const { total } = c.loss.graph(this.model.name, ins.slice(nx, nx + ny), preds, ins.slice(nx + ny), this.model.weights, scope.losses);
          return [total, ...grad([total], this.model.trainableWeights.map((v) => v.read()))];
        },
        inputs,
        true,
      ),
    );
    const saved = this.model.weights.map((w) => w.value);
    const [loss, ...gradients] = await f.run(inputs);
    this.model.weights.forEach((w, i) => w.assign(saved[i]));
    return { loss, gradients };
  }

  /** The output shapes for a batch of one of these inputs (by tracing the forward pass, not compiled). */
  predictionShapes(xs: readonly Tensor[]): number[][] {
    const traced = traceKeras((ins) => this.forward(ins, false), xs.map((t) => ({ shape: [1, ...t.shape.slice(1)], dtype: t.dtype })), false);
    return traced.graph.outputs.slice(0, traced.results).map((id) => [...traced.graph.nodes[id].shape]);
  }

  /** Frees every compiled step (they are traced and compiled again when next needed). */
  clear(): void {
    this.cache.clear();
  }
}
