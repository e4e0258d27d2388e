import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  CosineDecayRestarts,
  ExponentialDecay,
  Ftrl,
  Nadam,
  Optimizer,
  PiecewiseConstantDecay,
  RMSprop,
  SGD,
  deserializeOptimizer,
  serialize,
  setBackend,
} from '../../src/index.js';
import { FormulaSchedule } from '../../src/optimizers/schedules/formula-schedule.js';
import type { ScalarMath, Val } from '../../src/optimizers/schedules/scalar-math.js';

beforeAll(() => setBackend(createTsBackend()));

const f32 = Math.fround;
const roundTrip = (o: Optimizer) => deserializeOptimizer(JSON.parse(JSON.stringify(serialize(o))));

const instances = (): Optimizer[] => [
  new SGD(),
  new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true, clipnorm: 1, name: 'opt' }),
  new RMSprop({ rho: 0.8, momentum: 0.5, epsilon: 1e-5, centered: true, globalClipnorm: 2 }),
  new Adam({ beta1: 0.8, beta2: 0.99, amsgrad: true, clipvalue: 0.5 }),
  new AdamW({ weightDecay: 0.01, learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9, staircase: true }) }),
  new Adagrad({ initialAccumulatorValue: 0.2, epsilon: 1e-6 }),
  new Adadelta({ learningRate: 1, rho: 0.9, weightDecay: 0.001 }),
  new Adamax({ beta1: 0.85 }),
  new Nadam({ learningRate: new PiecewiseConstantDecay({ boundaries: [5, 10], values: [0.1, 0.01, 0.001] }) }),
  new Ftrl({ learningRatePower: -0.25, l1RegularizationStrength: 0.1, l2RegularizationStrength: 0.2, l2ShrinkageRegularizationStrength: 0.3, beta: 0.4 }),
];

describe('optimizer configs', () => {
  it('round-trip through getConfig -> fromConfig -> getConfig for every optimizer', () => {
    for (const o of instances()) {
      const again = roundTrip(o);
      expect(again.constructor).toBe(o.constructor);
      expect(JSON.stringify(again.getConfig())).toBe(JSON.stringify(o.getConfig()));
    }
  });

  it('write Keras 2 configs in Keras order, with Keras 2 defaults', () => {
    expect(new SGD().getConfig()).toEqual({
      name: 'SGD',
      weight_decay: null,
      clipnorm: null,
      global_clipnorm: null,
      clipvalue: null,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      jit_compile: false,
      is_legacy_optimizer: false,
      learning_rate: f32(0.01),
      momentum: 0,
      nesterov: false,
    });
    expect(Object.keys(new SGD().getConfig())).toEqual([
      'name',
      'weight_decay',
      'clipnorm',
      'global_clipnorm',
      'clipvalue',
      'use_ema',
      'ema_momentum',
      'ema_overwrite_frequency',
      'jit_compile',
      'is_legacy_optimizer',
      'learning_rate',
      'momentum',
      'nesterov',
    ]);
    const own = (o: Optimizer) => Object.fromEntries(Object.entries(o.getConfig()).slice(11));
    expect(own(new RMSprop())).toEqual({ rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(own(new Adam())).toEqual({ beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(own(new AdamW())).toEqual({ beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(new AdamW().getConfig().weight_decay).toBe(0.004);
    expect(Object.keys(new AdamW().getConfig())[1]).toBe('weight_decay');
    expect(own(new Adagrad())).toEqual({ initial_accumulator_value: 0.1, epsilon: 1e-7 });
    expect(own(new Adadelta())).toEqual({ rho: 0.95, epsilon: 1e-7 });
    expect(own(new Adamax())).toEqual({ beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
    expect(own(new Nadam())).toEqual({ beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
    expect(own(new Ftrl())).toEqual({
      learning_rate_power: -0.5,
      initial_accumulator_value: 0.1,
      l1_regularization_strength: 0,
      l2_regularization_strength: 0,
      l2_shrinkage_regularization_strength: 0,
      beta: 0,
    });
    for (const [o, lr, name] of [
      [new SGD(), 0.01, 'SGD'],
      [new RMSprop(), 0.001, 'RMSprop'],
      [new Adam(), 0.001, 'Adam'],
      [new AdamW(), 0.001, 'AdamW'],
      [new Adagrad(), 0.001, 'Adagrad'],
      [new Adadelta(), 0.001, 'Adadelta'],
      [new Adamax(), 0.001, 'Adamax'],
      [new Nadam(), 0.001, 'Nadam'],
      [new Ftrl(), 0.001, 'Ftrl'],
    ] as const) {
      expect(o.getConfig().learning_rate).toBe(f32(lr));
      expect(o.getConfig().name).toBe(name);
    }
  });

  it('are found by their string aliases', () => {
    const names = { sgd: SGD, rmsprop: RMSprop, adam: Adam, adamw: AdamW, adagrad: Adagrad, adadelta: Adadelta, adamax: Adamax, nadam: Nadam, ftrl: Ftrl };
    for (const [alias, cls] of Object.entries(names)) {
      expect(deserializeOptimizer(alias)).toBeInstanceOf(cls);
      expect(deserializeOptimizer(cls.className)).toBeInstanceOf(cls);
    }
  });

  it('read the Keras 3 configs of the goldens and write them back as Keras 2', () => {
    const root = join(__dirname, '../../../../conformance/goldens/keras-3.16.0-torch/optimizers');
    let n = 0;
    for (const dir of readdirSync(root)) {
      for (const file of readdirSync(join(root, dir))) {
        const spec = JSON.parse(readFileSync(join(root, dir, file), 'utf8')).optimizer;
        const opt = deserializeOptimizer(spec);
        const cfg = opt.getConfig();
        for (const k of ['loss_scale_factor', 'gradient_accumulation_steps']) expect(cfg).not.toHaveProperty(k);
        for (const [k, v] of Object.entries(spec.config)) {
          if (k === 'loss_scale_factor' || k === 'gradient_accumulation_steps') continue;
          if (k === 'learning_rate' && typeof v === 'object') {
            expect((cfg.learning_rate as { class_name: string }).class_name).toBe((v as { class_name: string }).class_name);
            expect((cfg.learning_rate as { config: unknown }).config).toEqual((v as { config: unknown }).config);
          } else {
            expect(cfg[k], `${dir}/${file}: ${k}`).toEqual(v);
          }
        }
        expect(JSON.stringify(roundTrip(opt).getConfig())).toBe(JSON.stringify(cfg));
        n++;
      }
    }
    expect(n).toBe(24);
  });

  it('read Keras 2 configs with jit_compile, is_legacy_optimizer and a zero legacy decay', () => {
    const opt = deserializeOptimizer({
      class_name: 'Adam',
      config: { name: 'Adam', learning_rate: 0.01, decay: 0.0, jit_compile: true, is_legacy_optimizer: false, beta_1: 0.8, beta_2: 0.9, epsilon: 1e-8, amsgrad: false },
    }) as Adam;
    expect([opt.beta1, opt.beta2, opt.epsilon, opt.learningRate]).toEqual([0.8, 0.9, 1e-8, f32(0.01)]);
  });

  it('rebuild a custom schedule given in customObjects', () => {
    class Halving extends FormulaSchedule {
      static override readonly className = 'Halving';
      protected formula<T, B>(m: ScalarMath<T, B>, step: Val<T>): Val<T> {
        return m.pow(0.5, step);
      }
      getConfig() {
        return {};
      }
      static fromConfig() {
        return new Halving();
      }
    }
    const opt = new SGD({ learningRate: new Halving() });
    const cfg = JSON.parse(JSON.stringify(serialize(opt)));
    expect(() => deserializeOptimizer(cfg)).toThrow(/unknown schedule 'Halving'/);
    const again = deserializeOptimizer(cfg, { Halving });
    expect(again.schedule).toBeInstanceOf(Halving);
  });
});

describe('optimizer argument errors', () => {
  it('name the class, the optimizer, the argument, the value and what was expected', () => {
    expect(() => new SGD({ momentum: 1.5 })).toThrow(/SGD 'SGD': argument 'momentum' got 1\.5: .*<=\s?1/);
    expect(() => new SGD({ momentum: -0.1, name: 'mine' })).toThrow(/SGD 'mine': argument 'momentum' got -0\.1/);
    expect(() => new RMSprop({ rho: 2 })).toThrow(/RMSprop 'RMSprop': argument 'rho' got 2/);
    expect(() => new Adam({ epsilon: -1 })).toThrow(/Adam 'Adam': argument 'epsilon' got -1/);
    expect(() => new Adam({ amsgrad: 'yes' as unknown as boolean })).toThrow(/argument 'amsgrad' got "yes"/);
    expect(() => new Adagrad({ initialAccumulatorValue: -0.1 })).toThrow(/Adagrad 'Adagrad': argument 'initialAccumulatorValue' got -0\.1/);
    expect(() => new Ftrl({ learningRatePower: 0.5 })).toThrow(/Ftrl 'Ftrl': argument 'learningRatePower' got 0\.5: expected a number <= 0/);
    expect(() => new Ftrl({ l1RegularizationStrength: -1 })).toThrow(/argument 'l1RegularizationStrength' got -1/);
    expect(() => new AdamW({ weightDecay: null as unknown as number })).toThrow(/AdamW: argument 'weightDecay' got null/);
    expect(() => new SGD({ learningRate: -1 })).toThrow(/SGD: argument 'learning_rate' got -1/);
  });

  it('refuse unknown arguments, naming them', () => {
    expect(() => new Adam({ beta_1: 0.9 })).toThrow(/Adam 'Adam': unknown argument 'beta_1' \(got 0\.9\); did you mean 'beta1'\?/);
    expect(() => deserializeOptimizer({ class_name: 'SGD', config: { momentun: 0.9 } })).toThrow(/SGD 'SGD': unknown argument 'momentun' \(got 0\.9\); did you mean 'momentum'\?/);
  });

  it('refuse a negative legacy decay and Keras 3 options that are not at their neutral value', () => {
    expect(() => deserializeOptimizer({ class_name: 'SGD', config: { decay: -0.01 } })).toThrow(/argument 'decay' got -0\.01: expected a number >= 0/);
    expect(() => deserializeOptimizer({ class_name: 'Adam', config: { use_ema: true } })).toThrow(/use_ema/);
    expect(() => deserializeOptimizer({ class_name: 'Adam', config: { loss_scale_factor: 128 } })).toThrow(/loss_scale_factor/);
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and global_clipnorm/);
    expect(() => deserializeOptimizer('adamm')).toThrow(/unknown optimizer 'adamm'/);
  });

  it('accept a schedule instance and refuse setting the rate of a scheduled optimizer', () => {
    const opt = new Adam({ learningRate: new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }) });
    expect(() => {
      opt.learningRate = 0.1;
    }).toThrow(/follows a schedule/);
  });
});
