import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Bidirectional, ConvLSTM1D, GRU, Input, KerasTensor, Layer, LSTM, Model, SimpleRNN, Tensor, onlyOutput, setBackend } from '../../src/index.js';

setBackend(createTsBackend());

let seed = 5;
const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5);
const randT = (shape: number[]) => new Tensor(shape, 'float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, rnd));

/** Largest |finite difference - gradient| over every weight of a model wrapping the layer (mse loss). */
async function maxGradError(make: () => Layer, inputShape: number[]): Promise<number> {
  const inp = Input({ shape: inputShape });
  const out = onlyOutput(make().apply(inp));
  const model = new Model({ inputs: inp, outputs: out });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = randT([2, ...inputShape]);
  const y = randT([2, ...(out.shape.slice(1) as number[])]);
  const { gradients } = await model.computeLossAndGradients(x, y);
  const w = model.getWeights();
  const lossAt = async (wi: number, i: number, d: number) => {
    const v = w.map((t) => t.clone());
    (v[wi].data as Float32Array)[i] += d;
    model.setWeights(v);
    return (await model.computeLossAndGradients(x, y)).loss.data[0];
  };
  let err = 0;
  for (let wi = 0; wi < w.length; wi++) {
    for (let i = 0; i < w[wi].size; i += 3) {
      const fd = ((await lossAt(wi, i, 1e-2)) - (await lossAt(wi, i, -1e-2))) / 2e-2;
      err = Math.max(err, Math.abs(fd - gradients[wi].data[i]));
    }
  }
  model.setWeights(w);
  return err;
}

describe('gradients through the unrolled time loop match finite differences', () => {
  const cases: Record<string, [() => Layer, number[]]> = {
    'SimpleRNN, return_sequences': [() => new SimpleRNN({ units: 2, returnSequences: true }), [3, 2]],
    'LSTM, return_sequences, go_backwards': [() => new LSTM({ units: 2, returnSequences: true, goBackwards: true }), [3, 2]],
    'GRU, return_sequences': [() => new GRU({ units: 2, returnSequences: true }), [3, 2]],
    'GRU, reset_after false': [() => new GRU({ units: 2, resetAfter: false }), [3, 2]],
    'Bidirectional LSTM, return_sequences': [() => new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }), [3, 2]],
    'ConvLSTM1D, return_sequences': [() => new ConvLSTM1D({ filters: 1, kernelSize: 2, returnSequences: true }), [2, 3, 1]],
  };
  for (const [name, [make, shape]] of Object.entries(cases)) {
    it(name, async () => {
      expect(await maxGradError(make, shape)).toBeLessThan(2e-3);
    });
  }
});
