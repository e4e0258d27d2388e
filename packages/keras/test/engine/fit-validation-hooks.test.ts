import { describe, expect, it } from 'vitest';
import { Callback, SGD, type Logs } from '../../src/index.js';
import { linearData, mlp } from './helpers.js';

/** Records every hook it gets, in order. */
class Recorder extends Callback {
  readonly calls: string[] = [];
  override async onEpochEnd(epoch: number, logs: Logs = {}) {
    this.calls.push(`epochEnd ${epoch} ${Object.keys(logs).sort().join(',')}`);
  }
  override async onTestBegin() {
    this.calls.push('testBegin');
  }
  override async onTestBatchEnd(batch: number) {
    this.calls.push(`testBatchEnd ${batch}`);
  }
  override async onTestEnd(logs: Logs = {}) {
    this.calls.push(`testEnd ${Object.keys(logs).sort().join(',')}`);
  }
}

function compiled() {
  const m = mlp();
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  return m;
}

describe("fit's validation gives fit's callbacks the test hooks (tf.keras 2 calls evaluate with them)", () => {
  it('fit with validationData: testBegin, a testBatchEnd per batch, testEnd with unprefixed logs, then epochEnd', async () => {
    const { x, y } = linearData(8, 4);
    const r = new Recorder();
    await compiled().fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, validationData: [x, y], callbacks: [r] });
    const epoch = (e: number) => ['testBegin', 'testBatchEnd 0', 'testBatchEnd 1', 'testEnd loss,mae', `epochEnd ${e} loss,mae,val_loss,val_mae`];
    expect(r.calls).toEqual([...epoch(0), ...epoch(1)]);
  });

  it('only on the epochs validationFreq picks, and not at all without validation data', async () => {
    const { x, y } = linearData(8, 4);
    const r = new Recorder();
    await compiled().fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, validationData: [x, y], validationFreq: 2, callbacks: [r] });
    expect(r.calls.filter((c) => c === 'testBegin')).toHaveLength(2);
    const none = new Recorder();
    await compiled().fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [none] });
    expect(none.calls.some((c) => c.startsWith('test'))).toBe(false);
  });

  it('fitGenerator with tensor validation data', async () => {
    const { x, y } = linearData(8, 4);
    const r = new Recorder();
    await compiled().fitGenerator([[x, y]], { epochs: 1, verbose: 0, validationData: [x, y], callbacks: [r] });
    expect(r.calls).toEqual(['testBegin', 'testBatchEnd 0', 'testEnd loss,mae', 'epochEnd 0 loss,mae,val_loss,val_mae']);
  });
});
