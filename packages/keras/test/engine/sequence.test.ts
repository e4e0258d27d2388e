import { describe, expect, it, vi } from 'vitest';
import { Callback, SGD, Tensor, utils, onlyLoss } from '../../src/index.js';
import { copyWeights, expectClose, linearData, mlp } from './helpers.js';

/** A Sequence over tensors, recording the batches asked for and the epoch ends. */
class Batches extends utils.Sequence<[Tensor, Tensor]> {
  asked: number[] = [];
  ends = 0;
  constructor(
    private readonly x: Tensor,
    private readonly y: Tensor,
    private readonly batchSize: number,
  ) {
    super();
  }
  get length() {
    return Math.ceil(this.x.shape[0] / this.batchSize);
  }
  getItem(i: number): [Tensor, Tensor] {
    this.asked.push(i);
    const end = Math.min((i + 1) * this.batchSize, this.x.shape[0]);
    return [this.x.sliceRows(i * this.batchSize, end), this.y.sliceRows(i * this.batchSize, end)];
  }
  override onEpochEnd() {
    this.ends++;
  }
}

function pair() {
  const a = mlp();
  const b = mlp();
  copyWeights(a, b);
  for (const m of [a, b]) m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  return [a, b] as const;
}

/** Records the training parameters and the batches of each epoch. */
class Recorder extends Callback {
  steps: unknown;
  perEpoch: number[] = [];
  private seen = 0;
  override async onTrainBegin() {
    this.steps = this.params.steps;
  }
  override async onEpochBegin() {
    this.seen = 0;
  }
  override async onTrainBatchEnd() {
    this.seen++;
  }
  override async onEpochEnd() {
    this.perEpoch.push(this.seen);
  }
}

describe('utils.Sequence in fit and the generator methods', () => {
  it('fit(sequence) runs length batches every epoch, calls onEpochEnd, and equals fit over tensors in order', async () => {
    const { x, y } = linearData(10, 4);
    const [a, b] = pair();
    const seq = new Batches(x, y, 4);
    const rec = new Recorder();
    const h = await a.fit(seq, { epochs: 3, shuffle: false, verbose: 0, callbacks: [rec] });
    await b.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(rec.steps).toBe(3);
    expect(rec.perEpoch).toEqual([3, 3, 3]);
    expect(seq.asked).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(seq.ends).toBe(3);
    a.getWeights().forEach((w, i) => expectClose(w, b.getWeights()[i].data, 1e-6));
  });

  it('shuffles the batch order each epoch by default (as Keras 2), the same for the same model', async () => {
    const { x, y } = linearData(24, 4);
    const [a] = pair();
    const seq = new Batches(x, y, 3);
    await a.fit(seq, { epochs: 2, verbose: 0 });
    const epochs = [seq.asked.slice(0, 8), seq.asked.slice(8)];
    for (const e of epochs) expect([...e].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(epochs.some((e) => e.join() !== '0,1,2,3,4,5,6,7')).toBe(true);
  });

  it('the progress bar counts to the Sequence length', async () => {
    const { x, y } = linearData(10, 4);
    const [a] = pair();
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    try {
      await a.fit(new Batches(x, y, 4), { epochs: 1, verbose: 1 });
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toMatch(/3\/3 \[=+\]/);
  });

  it('stepsPerEpoch takes the first batches of each epoch; more than length runs out as Keras 2', async () => {
    const { x, y } = linearData(12, 4);
    const [a, b] = pair();
    const seq = new Batches(x, y, 4);
    await a.fit(seq, { epochs: 2, stepsPerEpoch: 2, shuffle: false, verbose: 0 });
    expect(seq.asked).toEqual([0, 1, 0, 1]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = await b.fit(new Batches(x, y, 4), { epochs: 3, stepsPerEpoch: 5, verbose: 0 });
    warn.mockRestore();
    expect(h.epoch).toEqual([0]);
  });

  it('fitGenerator, evaluateGenerator and predictGenerator take a Sequence (and a plain object with length and getItem)', async () => {
    const { x, y } = linearData(10, 4);
    const [a, b] = pair();
    const seq = new Batches(x, y, 4);
    await a.fitGenerator(seq, { epochs: 2, shuffle: false, verbose: 0 });
    expect(seq.asked).toEqual([0, 1, 2, 0, 1, 2]);
    const plain = { length: 3, getItem: (i: number) => [x.sliceRows(i * 4, Math.min(10, i * 4 + 4)), y.sliceRows(i * 4, Math.min(10, i * 4 + 4))] as const };
    await b.fitGenerator(plain, { epochs: 2, shuffle: false, verbose: 0 });
    a.getWeights().forEach((w, i) => expectClose(w, b.getWeights()[i].data, 1e-6));
    const loss = await a.evaluateGenerator(new Batches(x, y, 4));
    expect(loss).toBeCloseTo(onlyLoss(await a.evaluate(x, y)), 5);
    const p = await a.predictGenerator(new Batches(x, y, 3));
    expectClose(p, (await a.predict(x)).data, 1e-6);
  });

  it('validation data may be a Sequence', async () => {
    const { x, y } = linearData(8, 4);
    const [a] = pair();
    const h = await a.fit(new Batches(x, y, 4), { epochs: 1, validationData: new Batches(x, y, 3), verbose: 0 });
    expect(h.history.val_loss[0]).toBeCloseTo(onlyLoss(await a.evaluate(x, y)), 5);
  });

  it('refuses y, sampleWeight and validationSplit with a Sequence, as Keras 2, and unknown options', async () => {
    const { x, y } = linearData(8, 4);
    const [a] = pair();
    const seq = new Batches(x, y, 4);
    // @ts-expect-error -- y given with a Sequence x, wrong on purpose
    await expect(a.fit(seq, y)).rejects.toThrow(/fit: y is not supported when x is a Sequence/);
    await expect(a.fit(seq, { sampleWeight: y })).rejects.toThrow(/argument 'sampleWeight' is not supported when x is a Sequence/);
    await expect(a.fit(seq, { validationSplit: 0.2 })).rejects.toThrow(/validationSplit is only supported for tensors/);
    // @ts-expect-error -- 'epoch' is deliberately not an argument here, to check the runtime error
    await expect(a.fit(seq, { epoch: 2 })).rejects.toThrow(/unknown argument 'epoch' \(got 2\); did you mean 'epochs'\?/);
    const h = await a.fit(seq, { batchSize: 16, verbose: 0 });
    expect(h.epoch).toEqual([0]);
  });
});
