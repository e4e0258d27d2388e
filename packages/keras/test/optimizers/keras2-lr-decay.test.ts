import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  Dense,
  Nadam,
  RMSprop,
  SGD,
  Sequential,
  Variable,
  deserializeOptimizer,
  loadModel,
  resetLegacyWarnings,
  saveModel,
  serialize,
  setBackend,
  tensor,
  type Optimizer,
} from '../../src/index.js';

beforeAll(() => setBackend(createTsBackend()));
afterEach(() => {
  vi.restoreAllMocks();
  resetLegacyWarnings();
});

/** Three steps on w = [1, -2] with the gradient of sum(w^2 / 2 + w), that is w + 1. */
async function threeSteps(opt: Optimizer): Promise<number[][]> {
  const v = new Variable('w', tensor([1, -2]));
  const out: number[][] = [];
  for (let t = 0; t < 3; t++) {
    const w = [...v.value.data];
    await opt.applyGradientsTo([tensor(w.map((x) => x + 1))], [v]);
    out.push([...v.value.data]);
  }
  return out;
}

const quiet = () => vi.spyOn(console, 'warn').mockImplementation(() => {});

describe("Keras 2's `lr` and `decay`", () => {
  it('decay: the rate of step t is lr / (1 + decay * t), t from 0 (hand computation, as Keras 2)', async () => {
    quiet();
    // lr 0.1, decay 0.5: steps use 0.1, 0.1 / 1.5, 0.1 / 2 on gradients w + 1.
    // w0 = [1, -2]; g = [2, -1]   -> w1 = [1 - 0.2, -2 + 0.1] = [0.8, -1.9]
    // g = [1.8, -0.9], lr 1/15    -> w2 = [0.8 - 0.12, -1.9 + 0.06] = [0.68, -1.84]
    // g = [1.68, -0.84], lr 0.05  -> w3 = [0.68 - 0.084, -1.84 + 0.042] = [0.596, -1.798]
    const got = await threeSteps(new SGD({ lr: 0.1, decay: 0.5 }));
    const want = [
      [0.8, -1.9],
      [0.68, -1.84],
      [0.596, -1.798],
    ];
    got.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(want[i][k], 6)));
  });

  it("matches Keras 2's legacy optimizers (tf.keras optimizer_v2) with decay", async () => {
    quiet();
    // From tensorflow.python.keras.optimizer_v2: Adam(learning_rate=0.01, decay=0.2) and
    // SGD(learning_rate=0.1, decay=0.5, momentum=0.9), on the same problem.
    const adam = await threeSteps(new Adam({ learningRate: 0.01, decay: 0.2 }));
    const adamKeras = [
      [0.9900000095367432, -1.9900000095367432],
      [0.9816678166389465, -1.9816690683364868],
      [0.9745272994041443, -1.9745309352874756],
    ];
    adam.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(adamKeras[i][k], 6)));
    const sgd = await threeSteps(new SGD({ learningRate: 0.1, decay: 0.5, momentum: 0.9 }));
    const sgdKeras = [
      [0.800000011920929, -1.899999976158142],
      [0.5, -1.75],
      [0.1549999713897705, -1.5774999856948853],
    ];
    sgd.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(sgdKeras[i][k], 6)));
  });

  it("Nadam reads Keras 2.2's schedule_decay (and the legacy decay) as the momentum schedule's decay", async () => {
    // tf.keras optimizer_v2 Nadam(learning_rate=0.01) (schedule_decay 0.004), and with 0.5.
    const legacy = await threeSteps(deserializeOptimizer({ class_name: 'Nadam', config: { lr: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, schedule_decay: 0.004 } }));
    const legacyKeras = [
      [0.9894354939460754, -1.9894354343414307],
      [0.9816170930862427, -1.981635570526123],
      [0.9743219017982483, -1.974367618560791],
    ];
    legacy.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(legacyKeras[i][k], 6)));
    const warn = quiet();
    const half = await threeSteps(new Nadam({ learningRate: 0.01, decay: 0.5 }));
    const halfKeras = [
      [0.9894039034843445, -1.9894039630889893],
      [0.9816371202468872, -1.981655478477478],
      [0.9744493365287781, -1.9744939804077148],
    ];
    half.forEach((row, i) => row.forEach((x, k) => expect(x).toBeCloseTo(halfKeras[i][k], 6)));
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Nadam: the `decay` argument is deprecated.*scheduleDecay/));
    expect(new Nadam({ scheduleDecay: 0.004 }).getConfig().schedule_decay).toBe(0.004);
    expect(() => new Nadam({ scheduleDecay: 0.004, decay: 0.004 })).toThrow(/give `scheduleDecay` only/);
  });

  it('lr is learningRate, with one deprecation warning per class and process', () => {
    const warn = quiet();
    expect(new RMSprop({ lr: 0.01 }).learningRate).toBeCloseTo(0.01, 7);
    expect(new RMSprop({ lr: 0.02 }).learningRate).toBeCloseTo(0.02, 7);
    expect(new Adam({ lr: 0.5 }).learningRate).toBeCloseTo(0.5, 7);
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      'RMSprop: the `lr` argument is deprecated; use `learningRate` (Keras\' `learning_rate`).',
      'Adam: the `lr` argument is deprecated; use `learningRate` (Keras\' `learning_rate`).',
    ]);
    expect(() => new SGD({ lr: 0.1, learningRate: 0.2 })).toThrow(/SGD: give the learning rate once: `learningRate` and its Keras 2 spelling `lr` were both given/);
  });

  it('decay warns once per class; a negative decay is refused', () => {
    const warn = quiet();
    new SGD({ decay: 0.1 });
    new SGD({ decay: 0.2 });
    new SGD({ decay: 0 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/SGD: the `decay` argument is deprecated.*lr \/ \(1 \+ decay \* t\).*InverseTimeDecay/);
    expect(() => new Adam({ decay: -1 })).toThrow(/Adam: argument 'decay' got -1: expected a number >= 0/);
  });

  it('configs keep decay (written only when set) and round-trip it', async () => {
    quiet();
    const opt = new Adagrad({ lr: 0.05, decay: 0.25 });
    const cfg = serialize(opt);
    expect(cfg.config.decay).toBe(0.25);
    expect(cfg.config.learning_rate).toBeCloseTo(0.05, 7);
    expect(new Adagrad().getConfig()).not.toHaveProperty('decay');
    const back = deserializeOptimizer(cfg);
    expect(back.initialDecay).toBe(0.25);
    expect(serialize(back)).toEqual(cfg);
    const a = await threeSteps(opt);
    const b = await threeSteps(back);
    expect(b).toEqual(a);
  });

  it('reads Keras 2.2 optimizer configs (lr, decay, schedule_decay) silently, as Keras 2 did', () => {
    const warn = quiet();
    const configs = [
      { class_name: 'SGD', config: { lr: 0.01, momentum: 0.0, decay: 0.001, nesterov: false } },
      { class_name: 'RMSprop', config: { lr: 0.001, rho: 0.9, epsilon: 1e-7, decay: 0.0 } },
      { class_name: 'Adagrad', config: { lr: 0.01, epsilon: 1e-7, decay: 0.0 } },
      { class_name: 'Adadelta', config: { lr: 1.0, rho: 0.95, epsilon: 1e-7, decay: 0.0 } },
      { class_name: 'Adam', config: { lr: 0.0010000000474974513, beta_1: 0.8999999761581421, beta_2: 0.9990000128746033, decay: 0.01, epsilon: 1e-7, amsgrad: false } },
      { class_name: 'Adamax', config: { lr: 0.002, beta_1: 0.9, beta_2: 0.999, decay: 0.0, epsilon: 1e-7 } },
      { class_name: 'Nadam', config: { lr: 0.002, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, schedule_decay: 0.004 } },
    ];
    const classes = [SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam];
    configs.forEach((c, i) => {
      const opt = deserializeOptimizer(c);
      expect(opt).toBeInstanceOf(classes[i]);
      expect(opt.learningRate).toBeCloseTo(c.config.lr, 7);
    });
    expect((deserializeOptimizer(configs[0]) as SGD).initialDecay).toBe(0.001);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a model saved with a Keras 2.2 training_config ('lr', 'decay') loads compiled and trains", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-ts-lr-'));
    try {
      const model = new Sequential([new Dense({ units: 2, inputShape: [3] }), new Dense({ units: 1 })]);
      model.compile('sgd', 'mse');
      const file = join(dir, 'model.json');
      await saveModel(model, file);
      const json = JSON.parse(readFileSync(file, 'utf8'));
      json.modelTopology.training_config = {
        optimizer_config: { class_name: 'RMSprop', config: { lr: 0.0010000000474974513, rho: 0.8999999761581421, decay: 0.009999999776482582, epsilon: 1e-7 } },
        loss: 'mean_squared_error',
        metrics: ['mae'],
        sample_weight_mode: null,
        loss_weights: null,
      };
      writeFileSync(file, JSON.stringify(json));
      const back = await loadModel(file);
      expect(back.optimizer).toBeInstanceOf(RMSprop);
      expect(back.optimizer.learningRate).toBeCloseTo(0.001, 7);
      expect(back.optimizer.initialDecay).toBeCloseTo(0.01, 7);
      const h = await back.fit(tensor([[1, 2, 3], [4, 5, 6]]), tensor([[1], [2]]), { epochs: 1, verbose: 0 });
      expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
