import type { Backend, Executable, Graph, HostTensor } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Adam, BatchNormalization, Callback, Dense, Dropout, Sequential, Tensor, setBackend, type Model } from '../../src/index.js';
import { runInRuns } from '../../src/engine/training/batch-runs.js';
import type { Batch } from '../../src/engine/training/data-adapter.js';

/**
 * When nothing watches the batches of an epoch, `fit` trains consecutive batches in runs of
 * several steps, one graph a run: the weights, the optimizer state, the losses and the metrics
 * are exactly those of one step a run (what `fit` does with a batch callback or an abort signal).
 */

/** Whether a graph is a training step: it reads the optimizer's iteration count. */
const isTrainStep = (graph: Graph) => graph.inputs.some((id) => String(graph.nodes[id].attrs.name).endsWith('/iterations'));

/** A backend wrapped to count the runs of training-step graphs. */
class Counting implements Backend {
  runs = 0;
  constructor(readonly inner: Backend) {}
  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  compile(graph: Graph): Executable {
    const exe = this.inner.compile(graph);
    const counted = isTrainStep(graph);
    return {
      run: (inputs: readonly HostTensor[]) => {
        if (counted) this.runs++;
        return exe.run(inputs);
      },
      dispose: () => exe.dispose(),
    };
  }
}

afterEach(() => setBackend(createTsBackend()));

const rows = 300; // 9 full batches of 32 and one of 12
const x = new Tensor([rows, 6], 'float32', Float32Array.from({ length: rows * 6 }, (_, i) => Math.sin(i * 0.37)));
const y = new Tensor([rows, 3], 'float32', Float32Array.from({ length: rows * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)));
const sw = new Tensor([rows], 'float32', Float32Array.from({ length: rows }, (_, i) => 0.5 + (i % 4) / 4));

/** Two identical models (same weights), compiled alike. */
function twoModels(dropout: boolean): [Model, Model] {
  const make = () => {
    const m = new Sequential({
      layers: [
        new Dense({ units: 8, activation: 'relu', inputShape: [6], activityRegularizer: 'l2' }),
        new BatchNormalization({}),
        ...(dropout ? [new Dropout({ rate: 0.3 })] : []),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    return m;
  };
  const a = make();
  const b = make();
  b.setWeights(a.getWeights());
  return [a, b];
}

/** A callback that only counts epochs (no batch hooks: the epoch still trains in runs). */
class EpochCounter extends Callback {
  epochs = 0;
  override async onEpochEnd(): Promise<void> {
    this.epochs++;
  }
}

describe('fit trains in runs of several steps when nothing watches the batches', () => {
  it('gives the weights, optimizer state, losses and metrics of one step a run, in fewer runs', async () => {
    const backend = new Counting(createTsBackend());
    setBackend(backend);
    const [inRuns, oneByOne] = twoModels(false);
    const counter = new EpochCounter();
    const before = backend.runs;
    const h1 = await inRuns.fit(x, y, { batchSize: 32, epochs: 2, shuffle: false, verbose: 0, sampleWeight: sw, callbacks: [counter] });
    const runsInRuns = backend.runs - before;
    const mid = backend.runs;
    // An abort signal that never fires: fit then runs one step a run (it checks the signal before each batch).
    const h2 = await oneByOne.fit(x, y, { batchSize: 32, epochs: 2, shuffle: false, verbose: 0, sampleWeight: sw, signal: new AbortController().signal });
    const runsOneByOne = backend.runs - mid;
    expect(counter.epochs).toBe(2);
    expect(runsOneByOne).toBe(20);
    expect(runsInRuns).toBeLessThan(runsOneByOne);
    expect(h1.history).toEqual(h2.history);
    const wa = inRuns.getWeights();
    const wb = oneByOne.getWeights();
    expect(wa.length).toBe(wb.length);
    wa.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(wb[i].data)));
    const oa = inRuns.optimizer.getWeights();
    const ob = oneByOne.optimizer.getWeights();
    expect(oa.map((t) => Array.from(t.data))).toEqual(ob.map((t) => Array.from(t.data)));
    expect(Array.from(inRuns.optimizer.iterations.value.data)).toEqual([20]);
  });

  it('runs up to 8 steps a run: a small model trains 9 full batches and a short one in 3 runs', async () => {
    const backend = new Counting(createTsBackend());
    setBackend(backend);
    const m = new Sequential({ layers: [new Dense({ units: 3, activation: 'softmax', inputShape: [6] })] });
    m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const start = m.getWeights();
    const before = backend.runs;
    const h1 = await m.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0 });
    expect(backend.runs - before).toBe(3);
    const w1 = m.getWeights();
    m.setWeights(start);
    const h2 = await m.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0, signal: new AbortController().signal });
    expect(h1.history).toEqual(h2.history);
    m.getWeights().forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(w1[i].data)));
  });

  it('runs one step a run when the step draws random numbers (a run has one seed)', async () => {
    const backend = new Counting(createTsBackend());
    setBackend(backend);
    const [m] = twoModels(true);
    const before = backend.runs;
    await m.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0 });
    expect(backend.runs - before).toBe(10);
  });

  it('runs one step a run when a callback has batch hooks, and the callback sees every batch', async () => {
    const backend = new Counting(createTsBackend());
    setBackend(backend);
    const [m] = twoModels(false);
    const seen: number[] = [];
    class Batches extends Callback {
      override async onTrainBatchEnd(batch: number): Promise<void> {
        seen.push(batch);
      }
    }
    const before = backend.runs;
    await m.fit(x, y, { batchSize: 32, epochs: 1, shuffle: false, verbose: 0, callbacks: [new Batches()] });
    expect(backend.runs - before).toBe(10);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('runInRuns', () => {
  const batch = (n: number, hasSw = false): Batch => ({ xs: [new Tensor([n, 1], 'float32', new Float32Array(n))], ys: [], sws: [], hasSw });

  it('groups consecutive batches of one signature, and runs a short group batch by batch', async () => {
    const log: string[] = [];
    const batches = [batch(4), batch(4), batch(4), batch(4), batch(4), batch(2), batch(4), batch(4, true)];
    const done = await runInRuns(
      batches,
      (b) => (b.xs[0].shape[0] === 4 ? 2 : 3),
      async (b) => void log.push(`one:${b.xs[0].shape[0]}`),
      async (bs) => void log.push(`many:${bs.length}`),
      () => false,
    );
    expect(done).toBe(8);
    expect(log).toEqual(['many:2', 'many:2', 'one:4', 'one:2', 'one:4', 'one:4']);
  });

  it('trains the batches the data gave before it failed, then throws its error', async () => {
    const log: number[] = [];
    async function* failing(): AsyncGenerator<Batch> {
      yield batch(4);
      yield batch(4);
      throw new Error('data failed');
    }
    const run = runInRuns(failing(), () => 4, async (b) => void log.push(b.xs[0].shape[0]), async () => void log.push(-1), () => false);
    await expect(run).rejects.toThrow('data failed');
    expect(log).toEqual([4, 4]);
  });

  it('stops before the next run once stop() is true, counting the batches run', async () => {
    let runs = 0;
    const done = await runInRuns(
      Array.from({ length: 10 }, () => batch(4)),
      () => 4,
      async () => void runs++,
      async () => void runs++,
      () => runs === 2,
    );
    expect(done).toBe(8);
  });
});
