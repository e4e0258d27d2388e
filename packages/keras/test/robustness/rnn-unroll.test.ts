/**
 * Recurrent layers unroll their time loop when traced (one copy of the cell per step): a model
 * declaring 30,000 time steps would take most of a minute to trace. Past getMaxUnrollSteps()
 * (10,000 by default) they refuse at once with a KerasShapeError naming the layer, the number of
 * steps, the limit and how to raise it: from a config, a model file, a functional Input or a
 * predict call, before anything is traced.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  Bidirectional,
  ConvLSTM1D,
  DEFAULT_MAX_UNROLL_STEPS,
  Dense,
  GRU,
  getMaxUnrollSteps,
  Input,
  LSTM,
  modelFromJSON,
  RNN,
  Sequential,
  setMaxUnrollSteps,
  SimpleRNN,
  SimpleRNNCell,
  Tensor,
  TimeDistributed,
  type Layer,
} from '../../src/index.js';
import { KerasConfigError, KerasShapeError, isKerasError } from '../../src/errors.js';
import { loadModel } from '../../src/saving/index.js';
import { readZipEntries } from '../../src/saving/zip-reader.js';
import { FILES } from './corpus.js';
import { prepare } from './properties.js';

/**
 * The refusal comes before any tracing: measured 3-25 ms, where tracing 30,000 steps takes ~50 s.
 * The bound leaves room for a loaded CI machine (two test workers on two cores) and still fails
 * if the steps were traced.
 */
const FAST_MS = 2000;

/** Runs `fn`, expecting it to throw (or reject) quickly; returns the error and the time taken. */
async function refusal(fn: () => unknown): Promise<{ error: Error; ms: number }> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    return { error: e as Error, ms: performance.now() - t0 };
  }
  throw new Error('expected a refusal');
}

/** The refusal is typed, fast, and says which layer, how many steps, the limit and how to raise it. */
function expectRefusal(r: { error: Error; ms: number }, label: string, steps: number, limit = DEFAULT_MAX_UNROLL_STEPS): void {
  expect(r.error).toBeInstanceOf(KerasShapeError);
  expect(isKerasError(r.error) && r.error.code).toBe('BAD_SHAPE');
  expect(r.error.message).toContain(`${label}: the input has ${steps} time steps`);
  expect(r.error.message).toContain(`more than the ${limit} a recurrent layer may unroll`);
  expect(r.error.message).toContain(`raise the limit with setMaxUnrollSteps(${steps})`);
  expect(r.ms).toBeLessThan(FAST_MS);
}

beforeAll(() => {
  prepare();
  expect(getMaxUnrollSteps()).toBe(DEFAULT_MAX_UNROLL_STEPS);
  expect(DEFAULT_MAX_UNROLL_STEPS).toBe(10_000);
});

describe('the RNN unroll limit', () => {
  const rnnLayers: [string, () => Layer, number[]][] = [
    ["LSTM 'lstm_long'", () => new LSTM({ units: 2, name: 'lstm_long' }), [30_000, 3]],
    ["GRU 'gru_long'", () => new GRU({ units: 2, name: 'gru_long' }), [30_000, 3]],
    ["SimpleRNN 'srnn_long'", () => new SimpleRNN({ units: 2, name: 'srnn_long' }), [30_000, 3]],
    ["RNN 'rnn_long'", () => new RNN({ cell: new SimpleRNNCell({ units: 2 }), name: 'rnn_long' }), [30_000, 3]],
    ["ConvLSTM1D 'clstm_long'", () => new ConvLSTM1D({ filters: 2, kernelSize: 1, name: 'clstm_long' }), [30_000, 4, 1]],
    ["Bidirectional 'bi_long'", () => new Bidirectional({ layer: new LSTM({ units: 2 }), name: 'bi_long' }), [30_000, 3]],
  ];

  for (const [label, make, shape] of rnnLayers) {
    test(`${label} applied to a functional Input of ${shape[0]} steps`, async () => {
      expectRefusal(await refusal(() => make().apply(Input({ shape }))), label, shape[0]);
    });
  }

  test('a Sequential config (Keras 2 JSON) declaring 30,000 steps', async () => {
    const json = JSON.stringify({
      class_name: 'Sequential',
      config: { name: 'seq', layers: [{ class_name: 'LSTM', config: { name: 'lstm_hostile', units: 4, batch_input_shape: [null, 30_000, 3] } }] },
    });
    expectRefusal(await refusal(() => modelFromJSON(json)), "LSTM 'lstm_hostile'", 30_000);
  });

  // Keras' `unroll` says whether its backend unrolls the loop; here every recurrent layer unrolls
  // when traced, so both are held to the limit, before tracing, from a config and at predict.
  for (const unroll of [false, true]) {
    test(`an RNN with unroll: ${unroll} declaring 30,000 steps (config and predict)`, async () => {
      const layer = (name: string) => ({ class_name: 'SimpleRNN', config: { name, units: 4, unroll, batch_input_shape: [null, 30_000, 3] } });
      const json = JSON.stringify({ class_name: 'Sequential', config: { name: 'seq', layers: [layer(`rnn_unroll_${unroll}`)] } });
      expectRefusal(await refusal(() => modelFromJSON(json)), `SimpleRNN 'rnn_unroll_${unroll}'`, 30_000);
      const lazy = new Sequential({ layers: [new SimpleRNN({ units: 2, unroll, name: `lazy_unroll_${unroll}` })] });
      const x = new Tensor([1, 30_000, 3], 'float32', new Float32Array(90_000));
      expectRefusal(await refusal(() => lazy.predict(x)), `SimpleRNN 'lazy_unroll_${unroll}'`, 30_000);
    });
  }

  test('a .keras file whose config declares 30,000 steps', async () => {
    // The real LSTM archive, with its input lengthened from 5 to 30,000 steps.
    const entries = readZipEntries(new Uint8Array(readFileSync(join(FILES, 'lstm_rmsprop_mse.keras'))), 'x', ['config.json', 'metadata.json', 'model.weights.h5']).entries;
    const text = new TextDecoder().decode(entries['config.json']);
    expect(text).toContain('"batch_shape": [null, 5, 3]');
    const config = text.replace('"batch_shape": [null, 5, 3]', '"batch_shape": [null, 30000, 3]');
    const file = join(mkdtempSync(join(tmpdir(), 'keras-ts-unroll-')), 'long.keras');
    writeFileSync(file, zipSync({ 'metadata.json': entries['metadata.json'], 'config.json': strToU8(config), 'model.weights.h5': entries['model.weights.h5'] }));
    const r = await refusal(() => loadModel(file));
    // loadModel names the file and passes the layer's refusal on as its cause.
    expect(r.error).toBeInstanceOf(KerasConfigError);
    expect(r.error.message).toContain(`${file}: cannot rebuild the model from its config: LSTM 'lstm_5': the input has 30000 time steps`);
    expectRefusal({ error: r.error.cause as Error, ms: r.ms }, "LSTM 'lstm_5'", 30_000);
  });

  test('predict on a model built lazily from its first input', async () => {
    const model = new Sequential({ layers: [new LSTM({ units: 2, name: 'lazy_lstm' })] });
    const x = new Tensor([1, 20_000, 3], 'float32', new Float32Array(60_000));
    expectRefusal(await refusal(() => model.predict(x)), "LSTM 'lazy_lstm'", 20_000);
  });

  test('TimeDistributed does not unroll: it takes long sequences', () => {
    const y = new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(Input({ shape: [30_000, 3] }));
    expect(y.shape).toEqual([null, 30_000, 2]);
  });

  test('setMaxUnrollSteps lowers and raises the limit (checked when a layer is applied); bad values are refused', async () => {
    try {
      setMaxUnrollSteps(8);
      expect(getMaxUnrollSteps()).toBe(8);
      const at = new SimpleRNN({ units: 2 }).apply(Input({ shape: [8, 3] }));
      expect(at.shape).toEqual([null, 2]);
      expectRefusal(await refusal(() => new SimpleRNN({ units: 2, name: 'nine' }).apply(Input({ shape: [9, 3] }))), "SimpleRNN 'nine'", 9, 8);
      setMaxUnrollSteps(9);
      const model = new Sequential({ layers: [new SimpleRNN({ units: 2, inputShape: [9, 3] })] });
      const out = await model.predict(new Tensor([2, 9, 3], 'float32', new Float32Array(54).fill(0.5)));
      expect(out.shape).toEqual([2, 2]);
      setMaxUnrollSteps(Infinity);
      expect(getMaxUnrollSteps()).toBe(Infinity);
      for (const bad of [0, -1, 1.5, NaN]) expect(() => setMaxUnrollSteps(bad)).toThrow(RangeError);
      expect(getMaxUnrollSteps()).toBe(Infinity);
    } finally {
      setMaxUnrollSteps(DEFAULT_MAX_UNROLL_STEPS);
    }
  });
});
