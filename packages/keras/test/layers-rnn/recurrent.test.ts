import { describe, expect, it } from 'vitest';
import { ops, type Sym } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  Bidirectional,
  ConvLSTM2D,
  Dense,
  GRU,
  GRUCell,
  Input,
  KerasTensor,
  Layer,
  LSTM,
  LSTMCell,
  Masking,
  Model,
  RNN,
  Sequential,
  SimpleRNN,
  SimpleRNNCell,
  StackedRNNCells,
  Tensor,
  TimeDistributed,
  deserializeLayer,
  serialize,
  setBackend,
  tensor,
  type CallContext,
  type InputShape,
  type Variable,
  onlyOutput,
  outputList,
} from '../../src/index.js';
import { Ones } from '../../src/initializers/constant.js';
import { acts, flat, gruStep, lstmStep, randMat, rng, runSequence, simpleRnnStep, toTensor, type Mat, type Step } from './reference.js';

setBackend(createTsBackend());

function expectClose(actual: number[], expected: number[], tol = 2e-5): void {
  expect(actual.length, 'length').toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `element ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

const B = 3;
const T = 5;
const F = 2;
const r = rng(11);
const X: Mat[] = Array.from({ length: B }, () => randMat(T, F, r));
const MASK = [
  [true, true, true, false, false],
  [false, false, true, true, true],
  [true, false, true, false, true],
];

/** Runs the reference over the batch: outputs [B][T][u] or last [B][u], and the final states. */
function refBatch(step: Step, init: (b: number) => number[][], o: { mask?: boolean[][]; goBackwards?: boolean; zeroOutputForMask?: boolean } = {}) {
  const runs = X.map((xs, b) => runSequence(step, xs, init(b), { ...o, mask: o.mask?.[b] }));
  return { seq: runs.map((q) => q.outputs).flat(2), last: runs.map((q) => q.last).flat(), states: runs[0].states.map((_, k) => runs.map((q) => q.states[k]).flat()) };
}

function withWeights<T extends Layer>(layer: T, shape: number[], weights: (number[] | Mat)[]): T {
  layer.maybeBuild(shape);
  layer.setWeights(weights.map(toTensor));
  return layer;
}

const U = 3;
const k3 = randMat(F, U, r);
const rk3 = randMat(U, U, r);
const b3 = randMat(1, U, r)[0];
const kL = randMat(F, 4 * U, r);
const rkL = randMat(U, 4 * U, r);
const bL = randMat(1, 4 * U, r)[0];
const kG = randMat(F, 3 * U, r);
const rkG = randMat(U, 3 * U, r);
const bG2 = randMat(2, 3 * U, r);
const bG1 = randMat(1, 3 * U, r)[0];
const zeros = (n: number) => new Array<number>(n).fill(0);

describe('masking (Keras 2 backend.rnn semantics)', () => {
  const x = toTensor(X);
  const mask = tensor(MASK);
  for (const goBackwards of [false, true]) {
    for (const zeroOutputForMask of [false, true]) {
      const tag = `goBackwards=${goBackwards} zeroOutputForMask=${zeroOutputForMask}`;
      it(`SimpleRNN, return_sequences, ${tag}`, () => {
        const layer = withWeights(new SimpleRNN({ units: U, returnSequences: true, goBackwards, zeroOutputForMask }), [B, T, F], [k3, rk3, b3]);
        const y = layer.apply(x, { mask });
        expectClose(flat(y), refBatch(simpleRnnStep(k3, rk3, b3), () => [zeros(U)], { mask: MASK, goBackwards, zeroOutputForMask }).seq);
      });
      it(`LSTM, last output and states, ${tag}`, () => {
        const layer = withWeights(new LSTM({ units: U, returnState: true, goBackwards, zeroOutputForMask }), [B, T, F], [kL, rkL, bL]);
        const [y, h, c] = layer.apply(x, { mask });
        const ref = refBatch(lstmStep(kL, rkL, bL), () => [zeros(U), zeros(U)], { mask: MASK, goBackwards, zeroOutputForMask });
        expectClose(flat(y), ref.last);
        expectClose(flat(h), ref.states[0]);
        expectClose(flat(c), ref.states[1]);
      });
    }
  }
  it('GRU (reset_after true and false) with a mask', () => {
    for (const resetAfter of [true, false]) {
      const layer = withWeights(new GRU({ units: U, resetAfter, returnSequences: true }), [B, T, F], [kG, rkG, resetAfter ? bG2 : bG1]);
      const y = layer.apply(x, { mask });
      expectClose(flat(y), refBatch(gruStep(kG, rkG, resetAfter ? bG2 : bG1, resetAfter), () => [zeros(U)], { mask: MASK }).seq);
    }
  });
  it('a float mask is read as mask != 0', () => {
    const layer = withWeights(new SimpleRNN({ units: U, returnSequences: true }), [B, T, F], [k3, rk3, b3]);
    const a = layer.apply(x, { mask: tensor(MASK.map((row) => row.map(Number))) });
    const b = layer.apply(x, { mask });
    expect(flat(a)).toEqual(flat(b));
  });
});

describe('Keras 2 math the goldens do not cover', () => {
  const x = toTensor(X);
  it("recurrent_activation 'hard_sigmoid' is Keras 2's clip(0.2x + 0.5, 0, 1)", () => {
    const k = randMat(F, 4 * U, r, 8);
    const rk = randMat(U, 4 * U, r, 8);
    const layer = withWeights(new LSTM({ units: U, recurrentActivation: 'hard_sigmoid', returnSequences: true }), [B, T, F], [k, rk, bL]);
    const ref = refBatch(lstmStep(k, rk, bL, Math.tanh, acts.hard_sigmoid), () => [zeros(U), zeros(U)]);
    expectClose(flat(layer.apply(x)), ref.seq);
  });
  it('GRU implementation 1 and 2 agree', () => {
    for (const resetAfter of [true, false]) {
      const w = [kG, rkG, resetAfter ? bG2 : bG1];
      const a = withWeights(new GRU({ units: U, resetAfter, implementation: 1 }), [B, T, F], w);
      const b = withWeights(new GRU({ units: U, resetAfter, implementation: 2 }), [B, T, F], w);
      expectClose(flat(a.apply(x)), flat(b.apply(x)));
      expectClose(flat(a.apply(x)), refBatch(gruStep(kG, rkG, w[2], resetAfter), () => [zeros(U)]).last);
    }
  });
  it('LSTM implementation 1 and 2 agree; activation relu and no bias', () => {
    const a = withWeights(new LSTM({ units: U, implementation: 1, activation: 'relu', useBias: false }), [B, T, F], [kL, rkL]);
    const ref = refBatch(lstmStep(kL, rkL, null, acts.relu), () => [zeros(U), zeros(U)]);
    expectClose(flat(a.apply(x)), ref.last);
  });
  it('initial_state and return_state (LSTM)', () => {
    const h0 = randMat(B, U, r);
    const c0 = randMat(B, U, r);
    const layer = withWeights(new LSTM({ units: U, returnState: true, returnSequences: true }), [B, T, F], [kL, rkL, bL]);
    const [y, h, c] = layer.apply(x, { initialState: [toTensor(h0), toTensor(c0)] });
    const ref = refBatch(lstmStep(kL, rkL, bL), (b) => [h0[b], c0[b]]);
    expectClose(flat(y), ref.seq);
    expectClose(flat(h), ref.states[0]);
    expectClose(flat(c), ref.states[1]);
  });
  it('time_major inputs give the transposed result', () => {
    const a = withWeights(new SimpleRNN({ units: U, returnSequences: true }), [B, T, F], [k3, rk3, b3]);
    const b = withWeights(new SimpleRNN({ units: U, returnSequences: true, timeMajor: true }), [T, B, F], [k3, rk3, b3]);
    const xt = toTensor(Array.from({ length: T }, (_, t) => X.map((s) => s[t])));
    const yb = b.apply(xt);
    expect(yb.shape).toEqual([T, B, U]);
    const ya = a.apply(x);
    const back = (ya.toArray() as number[][][]).map((s) => s);
    const fromB = yb.toArray() as number[][][];
    for (let t = 0; t < T; t++) for (let i = 0; i < B; i++) expectClose(fromB[t][i], back[i][t]);
  });
  it('stateful: the states carry over between calls until reset_states', () => {
    const layer = withWeights(new LSTM({ units: U, stateful: true, batchInputShape: [B, T, F] }), [B, T, F], [kL, rkL, bL]);
    const x2 = toTensor(X.map((s) => [...s].reverse()));
    const y1 = layer.apply(x);
    const y2 = layer.apply(x2);
    const step = lstmStep(kL, rkL, bL);
    const both = X.map((s) => runSequence(step, [...s, ...[...s].reverse()], [zeros(U), zeros(U)]).last).flat();
    expectClose(flat(y1), refBatch(step, () => [zeros(U), zeros(U)]).last);
    expectClose(flat(y2), both);
    expect(layer.getStates()).toHaveLength(2);
    expect(layer.weights).toHaveLength(3); // the states are not weights (Keras 2)
    layer.resetStates();
    expectClose(flat(layer.apply(x)), flat(y1));
    const h0 = randMat(B, U, r);
    const c0 = randMat(B, U, r);
    layer.resetStates([toTensor(h0), toTensor(c0)]);
    expectClose(flat(layer.apply(x)), refBatch(step, (b) => [h0[b], c0[b]]).last);
  });
  it('dropout: one mask per sequence at training time, none at inference, none for rate 1 (Keras clips and drops only when 0 < rate < 1)', () => {
    const Fd = 6;
    const xs = toTensor(Array.from({ length: 2 }, () => Array.from({ length: 4 }, () => Array.from({ length: Fd }, () => 1))));
    const eye = Array.from({ length: Fd }, (_, i) => Array.from({ length: Fd }, (_, j) => (i === j ? 1 : 0)));
    const zerosM = Array.from({ length: Fd }, () => zeros(Fd));
    const layer = withWeights(new SimpleRNN({ units: Fd, activation: 'linear', dropout: 0.5, returnSequences: true }), [2, 4, Fd], [eye, zerosM, zeros(Fd)]);
    expect(flat(layer.apply(xs)).every((v) => v === 1)).toBe(true);
    const y = layer.apply(xs, { training: true });
    const arr = y.toArray() as number[][][];
    for (const sample of arr) {
      for (const v of sample.flat()) expect([0, 2]).toContain(Math.round(v * 1e5) / 1e5);
      for (const stepRow of sample) expect(stepRow).toEqual(sample[0]);
    }
    const none = withWeights(new SimpleRNN({ units: Fd, activation: 'linear', dropout: 1, returnSequences: true }), [2, 4, Fd], [eye, zerosM, zeros(Fd)]);
    expect(flat(none.apply(xs, { training: true })).every((v) => v === 1)).toBe(true);
  });
  it('unit_forget_bias initializes the forget gate bias to ones', () => {
    const l = new LSTM({ units: 2 });
    l.maybeBuild([1, 3, 4]);
    expect(flat(l.weights[2].value)).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const g = new LSTM({ units: 2, unitForgetBias: false, biasInitializer: new Ones() });
    g.maybeBuild([1, 3, 4]);
    expect(flat(g.weights[2].value)).toEqual(new Array(8).fill(1));
  });
});

/** A user-defined cell: out = x·kernel + h (a running sum of projections). */
class SumCell extends Layer {
  static override readonly className = 'SumCell';
  readonly units: number;
  kernel!: Variable;
  constructor(args: { units: number; name?: string }) {
    super(args);
    this.units = args.units;
  }
  get stateSize(): number {
    return this.units;
  }
  override build(shape: InputShape): void {
    const s = shape as (number | null)[];
    this.kernel = this.addWeight({ name: 'kernel', shape: [s.at(-1)!, this.units], initializer: new Ones() });
  }
  override call(inputs: Sym | Sym[], _ctx: CallContext): Sym[] {
    const [x, h] = inputs as Sym[];
    const out = ops.add(ops.matmul(x, this.kernel.read()), h);
    return [out, out];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units };
  }
}

describe('the generic RNN layer', () => {
  const x = toTensor(X);
  it('runs a user-defined cell, and round-trips its config with customObjects', () => {
    const rnn = new RNN({ cell: new SumCell({ units: 2 }), returnSequences: true });
    const y = rnn.apply(x);
    const ref = X.map((s) => {
      let acc = 0;
      return s.map((row) => {
        acc += row[0] + row[1];
        return [acc, acc];
      });
    });
    expectClose(flat(y), ref.flat(2));
    const wire = JSON.parse(JSON.stringify(serialize(rnn)));
    expect(wire.config.cell.class_name).toBe('SumCell');
    const back = deserializeLayer(wire, { SumCell });
    expect(JSON.stringify(serialize(back))).toBe(JSON.stringify(wire));
  });
  it('a list of cells is stacked, and equals the layers run one after the other', () => {
    const stacked = withWeights(new RNN({ cell: [new SimpleRNNCell({ units: U }), new LSTMCell({ units: U })] }), [B, T, F], [k3, rk3, b3, randMat(U, 4 * U, r), rkL, bL]);
    const w = stacked.getWeights();
    const first = new SimpleRNN({ units: U, returnSequences: true });
    first.maybeBuild([B, T, F]);
    first.setWeights(w.slice(0, 3));
    const second = new LSTM({ units: U });
    second.maybeBuild([B, T, U]);
    second.setWeights(w.slice(3));
    expectClose(flat(stacked.apply(x)), flat(second.apply(first.apply(x))));
    expect(stacked.cell).toBeInstanceOf(StackedRNNCells);
  });
  it('weight paths follow Keras 3 (layer/cell/weight)', () => {
    const l = new LSTM({ units: 2, name: 'enc' });
    l.maybeBuild([1, 3, 2]);
    expect(l.weights.map((w) => w.path)).toEqual(['enc/lstm_cell/kernel', 'enc/lstm_cell/recurrent_kernel', 'enc/lstm_cell/bias']);
    const bi = new Bidirectional({ layer: new GRU({ units: 2, name: 'g' }), name: 'bi' });
    bi.maybeBuild([1, 3, 2]);
    expect(bi.weights.map((w) => w.path)).toEqual([
      'bi/forward_g/gru_cell/kernel',
      'bi/forward_g/gru_cell/recurrent_kernel',
      'bi/forward_g/gru_cell/bias',
      'bi/backward_g/gru_cell/kernel',
      'bi/backward_g/gru_cell/recurrent_kernel',
      'bi/backward_g/gru_cell/bias',
    ]);
    const td = new TimeDistributed({ layer: new Dense({ units: 2, name: 'd' }), name: 'td' });
    td.maybeBuild([1, 3, 2]);
    expect(td.weights.map((w) => w.path)).toEqual(['td/d/kernel', 'td/d/bias']);
  });
});

describe('Bidirectional', () => {
  const x = toTensor(X);
  const step = simpleRnnStep(k3, rk3, b3);
  const kB = randMat(F, U, r);
  const rkB = randMat(U, U, r);
  const stepB = simpleRnnStep(kB, rkB, b3);
  it('merges the forward output with the time-reversed backward output', () => {
    for (const mergeMode of ['concat', 'sum', 'mul', 'ave', null] as const) {
      const bi = withWeights(new Bidirectional({ layer: new SimpleRNN({ units: U, returnSequences: true }), mergeMode }), [B, T, F], [k3, rk3, b3, kB, rkB, b3]);
      const out = bi.apply(x);
      const fw = X.map((s) => runSequence(step, s, [zeros(U)]).outputs);
      const bw = X.map((s) => runSequence(stepB, s, [zeros(U)], { goBackwards: true }).outputs.reverse());
      const merge = (f: number, b: number) => (mergeMode === 'sum' ? f + b : mergeMode === 'mul' ? f * b : (f + b) / 2);
      if (mergeMode === null) {
        const [a, b] = outputList(out);
        expectClose(flat(a), fw.flat(2));
        expectClose(flat(b), bw.flat(2));
      } else if (mergeMode === 'concat') {
        expectClose(flat(onlyOutput(out)), fw.flatMap((s, i) => s.flatMap((row, t) => [...row, ...bw[i][t]])));
      } else {
        expectClose(flat(onlyOutput(out)), fw.flatMap((s, i) => s.flatMap((row, t) => row.map((v, j) => merge(v, bw[i][t][j])))));
      }
    }
  });
  it('initial_state is the forward states then the backward states; return_state returns them in that order', () => {
    const hf = randMat(B, U, r);
    const hb = randMat(B, U, r);
    const bi = withWeights(new Bidirectional({ layer: new SimpleRNN({ units: U, returnState: true }), mergeMode: 'sum' }), [B, T, F], [k3, rk3, b3, kB, rkB, b3]);
    const [y, sf, sb] = outputList(bi.apply(x, { initialState: [toTensor(hf), toTensor(hb)] }));
    const f = X.map((s, i) => runSequence(step, s, [hf[i]]).last);
    const b = X.map((s, i) => runSequence(stepB, s, [hb[i]], { goBackwards: true }).last);
    expectClose(flat(sf), f.flat());
    expectClose(flat(sb), b.flat());
    expectClose(flat(y), f.flatMap((row, i) => row.map((v, j) => v + b[i][j])));
  });
  it('with a mask and returnSequences, masked steps output zeros (Keras forces zero_output_for_mask)', () => {
    const bi = withWeights(new Bidirectional({ layer: new SimpleRNN({ units: U, returnSequences: true }) }), [B, T, F], [k3, rk3, b3, kB, rkB, b3]);
    expect((bi.forwardLayer as unknown as SimpleRNN).zeroOutputForMask).toBe(true);
    const y = onlyOutput(bi.apply(x, { mask: tensor(MASK) }));
    const fw = X.map((s, i) => runSequence(step, s, [zeros(U)], { mask: MASK[i], zeroOutputForMask: true }).outputs);
    const bw = X.map((s, i) => runSequence(stepB, s, [zeros(U)], { mask: MASK[i], goBackwards: true, zeroOutputForMask: true }).outputs.reverse());
    expectClose(flat(y), fw.flatMap((s, i) => s.flatMap((row, t) => [...row, ...bw[i][t]])));
  });
  it('config: Keras 2 keys; backward_layer is written only when one was given', () => {
    const bi = new Bidirectional({ layer: new LSTM({ units: 2, name: 'l' }), name: 'bi' });
    const c = bi.getConfig();
    expect(Object.keys(c)).toEqual(['name', 'trainable', 'dtype', 'layer', 'merge_mode']);
    expect((c.layer as { config: { name: string } }).config.name).toBe('l');
    expect(bi.forwardLayer.name).toBe('forward_l');
    expect(bi.backwardLayer.name).toBe('backward_l');
    expect(bi.backwardLayer.goBackwards).toBe(true);
    const withBack = new Bidirectional({ layer: new LSTM({ units: 2 }), backwardLayer: new LSTM({ units: 3, goBackwards: true, name: 'b' }) });
    expect(Object.keys(withBack.getConfig())).toEqual(['name', 'trainable', 'dtype', 'layer', 'merge_mode', 'backward_layer']);
    expect(withBack.backwardLayer.name).toBe('backward_b');
  });
});

describe('TimeDistributed', () => {
  it('folds time into the batch (Dense) and keeps weights shared over time', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) });
    const x = toTensor(X);
    const y = td.apply(x);
    const d = td.layer as Dense;
    const ref = d.apply(toTensor(X.flat(1)));
    expect(y.shape).toEqual([B, T, 2]);
    expectClose(flat(y), flat(ref));
  });
  it('runs an RNN on each time step of a [batch, time, steps, features] input', () => {
    const inner = withWeights(new SimpleRNN({ units: U }), [B, 4, F], [k3, rk3, b3]);
    const td = new TimeDistributed({ layer: inner });
    const x4 = Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => randMat(4, F, r)));
    const y = td.apply(toTensor(x4));
    expect(y.shape).toEqual([2, 3, U]);
    const step = simpleRnnStep(k3, rk3, b3);
    expectClose(flat(y), x4.flatMap((s) => s.flatMap((seq) => runSequence(step, seq, [zeros(U)]).last)));
  });
  it('passes a [batch, time] mask on as the output mask', () => {
    const inp = Input({ shape: [T, F] });
    const masked = new Masking({ maskValue: 0 }).apply(inp);
    const y = new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(masked);
    expect(y.hasMask).toBe(true);
  });
});

describe('ConvLSTM2D', () => {
  it('channels_first gives the transposed channels_last result', () => {
    const x = Array.from({ length: 2 }, () => Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => randMat(4, 2, r))));
    const last = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true });
    last.maybeBuild([2, 3, 4, 4, 2]);
    const first = new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, dataFormat: 'channels_first' });
    first.maybeBuild([2, 3, 2, 4, 4]);
    first.setWeights(last.getWeights());
    const xl = toTensor(x);
    const xf = toTensor(x.map((s) => s.map((img) => [0, 1].map((c) => img.map((row) => row.map((px) => px[c]))))));
    const yl = (last.apply(xl)).toArray() as number[][][][][];
    const yf = (first.apply(xf)).toArray() as number[][][][][];
    for (let b = 0; b < 2; b++) for (let t = 0; t < 3; t++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let c = 0; c < 2; c++) expect(Math.abs(yl[b][t][i][j][c] - yf[b][t][c][i][j])).toBeLessThan(1e-5);
  });
  it("defaults to Keras 2's recurrent_activation 'hard_sigmoid'", () => {
    expect(new ConvLSTM2D({ filters: 1, kernelSize: 1 }).getConfig().recurrent_activation).toBe('hard_sigmoid');
  });
});

describe('configs', () => {
  it('LSTM writes the Keras 2 keys in Keras 2 order', () => {
    const c = new LSTM({ units: 4, name: 'lstm_x' }).getConfig();
    expect(Object.keys(c)).toEqual([
      'name', 'trainable', 'dtype', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll', 'time_major',
      'units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer',
      'unit_forget_bias', 'kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint',
      'recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout', 'implementation',
    ]);
    expect(c.recurrent_activation).toBe('sigmoid');
    expect(c.implementation).toBe(2);
  });
  it('GRU and SimpleRNN configs end with their own Keras 2 keys', () => {
    const g = Object.keys(new GRU({ units: 2 }).getConfig());
    expect(g.slice(-3)).toEqual(['recurrent_dropout', 'implementation', 'reset_after']);
    const s = Object.keys(new SimpleRNN({ units: 2 }).getConfig());
    expect(s.slice(-4)).toEqual(['recurrent_constraint', 'bias_constraint', 'dropout', 'recurrent_dropout']);
    expect(new GRU({ units: 2, recurrentDropout: 0.2 }).getConfig().implementation).toBe(1);
  });
  it('reads a Keras 3 config (DTypePolicy, seed, zero_output_for_mask) and writes Keras 2', () => {
    const k3cfg = {
      module: 'keras.layers',
      class_name: 'GRU',
      config: {
        name: 'gru_k3', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
        return_sequences: true, return_state: false, go_backwards: false, stateful: false, unroll: false, zero_output_for_mask: true, units: 4,
        activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
        recurrent_initializer: { module: 'keras.initializers', class_name: 'Orthogonal', config: { seed: null, gain: 1.0 }, registered_name: null },
        bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
        kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null,
        recurrent_constraint: null, bias_constraint: null, dropout: 0.0, recurrent_dropout: 0.0, reset_after: false, seed: null,
      },
      registered_name: null,
    };
    const l = deserializeLayer(k3cfg) as GRU;
    const c = l.getConfig();
    expect(c.dtype).toBe('float32');
    expect(c.time_major).toBe(false);
    expect(c.zero_output_for_mask).toBe(true);
    expect(c.reset_after).toBe(false);
    expect('seed' in c).toBe(false);
    expect(JSON.stringify(serialize(deserializeLayer(JSON.parse(JSON.stringify(serialize(l))))))).toBe(JSON.stringify(serialize(l)));
  });
  it('cells round-trip through the registry', () => {
    for (const cell of [new SimpleRNNCell({ units: 2, dropout: 0.1 }), new LSTMCell({ units: 2, unitForgetBias: false }), new GRUCell({ units: 2, resetAfter: false })]) {
      const wire = JSON.parse(JSON.stringify(serialize(cell)));
      expect(JSON.stringify(serialize(deserializeLayer(wire)))).toBe(JSON.stringify(wire));
    }
  });
  it('a dropout rate is clipped into [0, 1] as Keras does', () => {
    expect(new LSTM({ units: 2, dropout: 1.5, recurrentDropout: -1 }).getConfig()).toMatchObject({ dropout: 1, recurrent_dropout: 0 });
  });
});

describe('functional models', () => {
  it('initial states from other Inputs travel through the graph', async () => {
    const x = Input({ shape: [T, F] });
    const h = Input({ shape: [U] });
    const c = Input({ shape: [U] });
    const lstm = new LSTM({ units: U });
    const y = lstm.apply(x, { initialState: [h, c] });
    expect(y.shape).toEqual([null, U]);
    const model = new Model({ inputs: [x, h, c], outputs: y });
    lstm.setWeights([kL, rkL, bL].map(toTensor));
    const h0 = randMat(B, U, r);
    const c0 = randMat(B, U, r);
    const out = await model.predict([toTensor(X), toTensor(h0), toTensor(c0)]);
    expectClose(flat(out), refBatch(lstmStep(kL, rkL, bL), (b) => [h0[b], c0[b]]).last);
  });
  it('a stateful LSTM in a Sequential model keeps its states between predict calls', async () => {
    const model = new Sequential({ layers: [new LSTM({ units: U, stateful: true, batchInputShape: [B, T, F] })] });
    const lstm = model.layers[0] as LSTM;
    lstm.setWeights([kL, rkL, bL].map(toTensor));
    const step = lstmStep(kL, rkL, bL);
    const y1 = await model.predict(toTensor(X), { batchSize: B });
    const y2 = await model.predict(toTensor(X), { batchSize: B });
    expectClose(flat(y1), refBatch(step, () => [zeros(U), zeros(U)]).last);
    expectClose(flat(y2), X.map((s) => runSequence(step, [...s, ...s], [zeros(U), zeros(U)]).last).flat());
    lstm.resetStates();
    expectClose(flat(await model.predict(toTensor(X), { batchSize: B })), flat(y1));
  });
  it('a Masking layer before a ConvLSTM2D masks whole time steps', async () => {
    const x = Array.from({ length: 2 }, (_, b) => Array.from({ length: 3 }, (_, t) => (b === 1 && t === 2 ? Array.from({ length: 3 }, () => randMat(3, 1, r, 0)) : Array.from({ length: 3 }, () => randMat(3, 1, r)))));
    const conv = new ConvLSTM2D({ filters: 2, kernelSize: 2, name: 'cl' });
    const model = new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [3, 3, 3, 1] }), conv] });
    const out = await model.predict(toTensor(x));
    const ref = conv.apply(toTensor(x), { mask: tensor([[true, true, true], [true, true, false]]) });
    expectClose(flat(out), flat(ref));
    const unmasked = conv.apply(toTensor(x));
    expect(flat(unmasked).slice(8)).not.toEqual(flat(ref).slice(8));
  });
  it('return_state gives a list of KerasTensors', () => {
    const outs = new LSTM({ units: 2, returnState: true, returnSequences: true }).apply(Input({ shape: [4, 3] }));
    expect(outs.map((o) => o.shape)).toEqual([[null, 4, 2], [null, 2], [null, 2]]);
  });
  it('the mask of a return_sequences RNN reaches the next layer (Keras 2)', async () => {
    const model = new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [T, F] }), new LSTM({ units: U, returnSequences: true }), new SimpleRNN({ units: 2 })] });
    const xm = X.map((s, b) => s.map((row, t) => (MASK[b][t] ? row : [0, 0])));
    const [, l1, l2] = model.layers as unknown as [Layer, LSTM, SimpleRNN];
    const y1 = l1.apply(toTensor(xm), { mask: tensor(MASK) });
    const y2 = l2.apply(y1, { mask: tensor(MASK) });
    const out = await model.predict(toTensor(xm));
    expectClose(flat(out), flat(y2));
  });
});

describe('errors', () => {
  it('a time axis of unknown length is accepted, as in Keras: each input length is traced on its own', async () => {
    const inp = Input({ shape: [null, 3] });
    const seq = onlyOutput(new Bidirectional({ layer: new GRU({ units: 2, returnSequences: true }) }).apply(inp));
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) }).apply(seq);
    const last = new LSTM({ units: 2 }).apply(td);
    expect([seq.shape, td.shape, last.shape]).toEqual([
      [null, null, 4],
      [null, null, 2],
      [null, 2],
    ]);
    const model = new Model({ inputs: inp, outputs: last });
    for (const steps of [1, 4, 9]) {
      const x = new Tensor([2, steps, 3], 'float32', Float32Array.from({ length: 6 * steps }, (_, i) => Math.sin(i)));
      expect((await model.predict(x)).shape).toEqual([2, 2]);
    }
  });
  it('bad arguments name the class, the layer, the argument and the value', () => {
    expect(() => new LSTM({ units: -1, name: 'bad' })).toThrow(/LSTM 'bad'.*units.*-1/);
    expect(() => new RNN({ name: 'r' })).toThrow(/RNN 'r': argument 'cell' is required/);
    expect(() => new RNN({ cell: new Dense({ units: 2 }), name: 'r2' })).toThrow(/not a recurrent cell/);
    // @ts-expect-error -- mergeMode = 'max' is not an allowed value, to check the runtime error
    expect(() => new Bidirectional({ layer: new LSTM({ units: 2 }), mergeMode: 'max', name: 'b' })).toThrow(/Bidirectional 'b'.*merge_mode|mergeMode.*"max"/);
    expect(() => new Bidirectional({ layer: new Dense({ units: 2 }) })).toThrow(/not a recurrent layer/);
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, unroll: true, name: 'c' })).toThrow(/ConvLSTM2D 'c'.*unroll/);
    expect(() => new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'causal', name: 'c2' })).toThrow(/padding/);
  });
  it('stateful needs a batch size; reset_states needs a stateful layer', () => {
    expect(() => new LSTM({ units: 2, stateful: true }).apply(Input({ shape: [3, 2] }))).toThrow(/stateful, so it needs to know its batch size/);
    expect(() => new LSTM({ units: 2 }).resetStates()).toThrow(/needs a stateful layer/);
  });
  it('wrong inputs name the layer and the shapes', () => {
    const l = new LSTM({ units: 2, name: 'l' });
    expect(() => l.apply(Input({ shape: [3] }))).toThrow(/LSTM 'l' expects inputs of rank 3 .*\[null, 3\]/);
    const m = withWeights(new LSTM({ units: 2 }), [1, 3, 2], [randMat(2, 8, r), randMat(2, 8, r), zeros(8)]);
    expect(() => m.apply(toTensor([[[1, 2], [3, 4], [5, 6]]]), { initialState: [toTensor([[1, 2]])] })).toThrow(/has 2 state\(s\) but was passed 1 initial state/);
    expect(() => m.apply(toTensor([[[1, 2], [3, 4], [5, 6]]]), { mask: tensor([[true, false]]) })).toThrow(/mask must be \[batch, time\] = \[1, 3\], got \[1,2\]/);
  });
});
