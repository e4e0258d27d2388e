import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CosineDecay,
  CosineDecayRestarts,
  ExponentialDecay,
  InverseTimeDecay,
  PiecewiseConstantDecay,
  PolynomialDecay,
  deserialize,
  full,
  serialize,
  setBackend,
  type LearningRateSchedule,
} from '../../src/index.js';
import { EagerFunctions } from '../../src/engine/eager.js';

beforeAll(() => setBackend(createTsBackend()));

const eager = new EagerFunctions();
const ids = new WeakMap<LearningRateSchedule, number>();
let nextId = 0;

/** The symbolic `call` evaluated at a step (fed as a float32 or an int32 scalar). */
async function callAt(s: LearningRateSchedule, step: number, dtype: 'float32' | 'int32' = 'float32'): Promise<number> {
  if (!ids.has(s)) ids.set(s, nextId++);
  // Traced once per schedule and step dtype, then fed each step.
  const [y] = await eager.run(`schedule|${ids.get(s)}`, [full([], step, dtype)], ([x]) => [s.call(x)]);
  expect(y.shape).toEqual([]);
  expect(y.dtype).toBe('float32');
  return y.data[0];
}

const schedules = (): LearningRateSchedule[] => [
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.7 }),
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 3, decayRate: 0.7, staircase: true, name: 'exp' }),
  new PiecewiseConstantDecay({ boundaries: [2, 5, 5, 9], values: [1, 0.5, 0.3, 0.1, 0.01] }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 4, endLearningRate: 0.01, power: 2 }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 4, endLearningRate: 0.01, power: 0.5, cycle: true }),
  new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }),
  new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true }),
  new CosineDecay({ initialLearningRate: 0.05, decaySteps: 7, alpha: 0.1 }),
  new CosineDecay({ initialLearningRate: 0.01, decaySteps: 6, warmupTarget: 0.1, warmupSteps: 3 }),
  new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 2 }),
  new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 3, tMul: 1.5, mMul: 0.8, alpha: 0.05 }),
  new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 3, tMul: 1, mMul: 0.5 }),
];

describe('learning-rate schedules', () => {
  it('ExponentialDecay, by hand', () => {
    const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    expect(s.valueAt(0)).toBeCloseTo(0.1, 7);
    expect(s.valueAt(1)).toBeCloseTo(0.1 * Math.SQRT1_2, 7);
    expect(s.valueAt(3)).toBeCloseTo(0.1 * 0.5 ** 1.5, 7);
    const st = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true });
    expect([0, 1, 2, 3, 4].map((i) => st.valueAt(i))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025].map(Math.fround));
  });

  it('PiecewiseConstantDecay, by hand (a step equal to a boundary takes the value before it)', () => {
    const s = new PiecewiseConstantDecay({ boundaries: [2, 5], values: [1, 0.5, 0.1] });
    expect([0, 2, 3, 5, 6, 100].map((i) => s.valueAt(i))).toEqual([1, 1, 0.5, 0.5, 0.1, 0.1].map(Math.fround));
  });

  it('PolynomialDecay, by hand, with and without cycle', () => {
    const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 4, endLearningRate: 0.01, power: 2 });
    expect(s.valueAt(0)).toBeCloseTo(0.1, 7);
    expect(s.valueAt(2)).toBeCloseTo(0.09 * 0.25 + 0.01, 7);
    expect(s.valueAt(4)).toBeCloseTo(0.01, 7);
    expect(s.valueAt(6)).toBeCloseTo(0.01, 7);
    const c = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 4, endLearningRate: 0.01, power: 2, cycle: true });
    expect(c.valueAt(0)).toBeCloseTo(0.1, 7);
    expect(c.valueAt(4)).toBeCloseTo(0.01, 7);
    expect(c.valueAt(6)).toBeCloseTo(0.09 * 0.0625 + 0.01, 7);
    expect(new PolynomialDecay({ initialLearningRate: 1, decaySteps: 10 }).valueAt(5)).toBeCloseTo(0.5 * (1 - 0.0001) + 0.0001, 6);
  });

  it('InverseTimeDecay, by hand', () => {
    const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
    expect(s.valueAt(0)).toBeCloseTo(0.1, 7);
    expect(s.valueAt(2)).toBeCloseTo(0.05, 7);
    const st = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5, staircase: true });
    expect(st.valueAt(3)).toBeCloseTo(0.1 / 1.5, 7);
  });

  it('CosineDecay, by hand, with alpha and with a warmup', () => {
    const s = new CosineDecay({ initialLearningRate: 0.05, decaySteps: 4 });
    expect(s.valueAt(0)).toBeCloseTo(0.05, 7);
    expect(s.valueAt(2)).toBeCloseTo(0.025, 7);
    expect(s.valueAt(4)).toBeCloseTo(0, 7);
    expect(s.valueAt(8)).toBeCloseTo(0, 7);
    expect(new CosineDecay({ initialLearningRate: 0.05, decaySteps: 4, alpha: 0.1 }).valueAt(4)).toBeCloseTo(0.005, 7);
    const w = new CosineDecay({ initialLearningRate: 0, decaySteps: 4, warmupTarget: 0.1, warmupSteps: 2 });
    expect(w.valueAt(0)).toBe(0);
    expect(w.valueAt(1)).toBeCloseTo(0.05, 7);
    expect(w.valueAt(2)).toBeCloseTo(0.1, 7);
    expect(w.valueAt(4)).toBeCloseTo(0.05, 7);
    expect(w.valueAt(100)).toBeCloseTo(0, 7);
  });

  it('CosineDecayRestarts, by hand: geometric and equal periods', () => {
    const s = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 2, tMul: 2, mMul: 0.5 });
    expect(s.valueAt(0)).toBeCloseTo(0.05, 7);
    expect(s.valueAt(1)).toBeCloseTo(0.025, 7);
    expect(s.valueAt(2)).toBeCloseTo(0.025, 7); // first restart, from 0.05 * 0.5
    expect(s.valueAt(4)).toBeCloseTo(0.0125, 7); // halfway through the second period (4 steps)
    expect(s.valueAt(6)).toBeCloseTo(0.0125, 7); // second restart, from 0.05 * 0.25
    const e = new CosineDecayRestarts({ initialLearningRate: 0.05, firstDecaySteps: 2, tMul: 1, alpha: 0.1 });
    expect(e.valueAt(3)).toBeCloseTo(0.05 * (0.9 * 0.5 + 0.1), 7);
    expect(e.valueAt(4)).toBeCloseTo(0.05, 7);
  });

  it('valueAt equals the symbolic call (float32 and int32 steps)', async () => {
    for (const s of schedules()) {
      for (let step = 0; step <= 16; step++) {
        expect(await callAt(s, step), `${s.constructor.name} at ${step}`).toBe(s.valueAt(step));
      }
      expect(await callAt(s, 11, 'int32')).toBe(s.valueAt(11));
    }
  });

  it('configs round-trip, in Keras key order, and read Keras 3 default names', () => {
    for (const s of schedules()) {
      const again = deserialize<LearningRateSchedule>('schedule', JSON.parse(JSON.stringify(serialize(s))));
      expect(again.constructor).toBe(s.constructor);
      expect(JSON.stringify(again.getConfig())).toBe(JSON.stringify(s.getConfig()));
    }
    expect(Object.keys(new CosineDecay({ initialLearningRate: 1, decaySteps: 2 }).getConfig())).toEqual([
      'initial_learning_rate',
      'decay_steps',
      'alpha',
      'name',
      'warmup_target',
      'warmup_steps',
    ]);
    expect(new ExponentialDecay({ initialLearningRate: 1, decaySteps: 2, decayRate: 0.5 }).getConfig()).toEqual({
      initial_learning_rate: 1,
      decay_steps: 2,
      decay_rate: 0.5,
      staircase: false,
      name: null,
    });
    expect(new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 2 }).getConfig()).toEqual({
      initial_learning_rate: 1,
      first_decay_steps: 2,
      t_mul: 2,
      m_mul: 1,
      alpha: 0,
      name: null,
    });
    const k3 = deserialize<PiecewiseConstantDecay>('schedule', {
      module: 'keras.optimizers.schedules',
      class_name: 'PiecewiseConstantDecay',
      config: { boundaries: [2], values: [0.1, 0.01], name: 'PiecewiseConstant' },
      registered_name: null,
    });
    expect(k3.getConfig()).toEqual({ boundaries: [2], values: [0.1, 0.01], name: 'PiecewiseConstant' });
  });

  it('refuse bad arguments, naming the class, the argument and the value', () => {
    expect(() => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/ExponentialDecay: argument 'decaySteps' got 0/);
    expect(() => new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: -1, decayRate: 0.5 })).toThrow(/InverseTimeDecay: argument 'decaySteps' got -1/);
    expect(() => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 0 })).toThrow(/PolynomialDecay: argument 'decaySteps' got 0/);
    expect(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: -2 })).toThrow(/CosineDecay: argument 'warmupSteps' got -2/);
    expect(() => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 0 })).toThrow(/CosineDecayRestarts: argument 'firstDecaySteps' got 0/);
    expect(() => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 5, tMul: 0 })).toThrow(/argument 'tMul' got 0/);
    // @ts-expect-error -- initialLearningRate is left out on purpose
    expect(() => new ExponentialDecay({ decaySteps: 10, decayRate: 0.5 })).toThrow(/argument 'initialLearningRate' got nothing/);
    expect(() => new PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /PiecewiseConstantDecay: the length of 'boundaries' must be 1 less than the length of 'values'; got boundaries \[1,2\] of length 2 and values \[1,2\] of length 2/,
    );
    expect(() => new PiecewiseConstantDecay({ boundaries: [3, 1], values: [1, 2, 3] })).toThrow(/argument 'boundaries' got \[3,1\]: expected non-decreasing/);
    expect(() => deserialize('schedule', { class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 5, warmup: 2 } })).toThrow(
      /CosineDecay: unknown argument 'warmup'/,
    );
    expect(() => deserialize('schedule', { class_name: 'LinearDecay', config: {} })).toThrow(/unknown schedule 'LinearDecay'/);
  });
});
