import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import * as keras from '../../src/index.js';
import { Dense, Input, Model, Sequential, tensor, type KerasTensor } from '../../src/index.js';
import { lookupClass, registeredNames } from '../../src/serialization/registry.js';
import { acceptedLayerArgs } from '../../src/engine/layer-arg-keys.js';
import { MODEL_KEYS, SEQUENTIAL_KEYS } from '../../src/engine/model-args.js';
import { METHOD_KEYS } from '../../src/engine/trainer-args.js';
import { convertLegacyLayerArgs } from '../../src/legacy/layer-args.js';
import { convertLegacyTrainingArgs } from '../../src/legacy/training-args.js';
import { camelToSnake, snakeToCamel } from '../../src/naming.js';
import './helpers.js';

/**
 * Every public constructor and training method refuses an argument it does not take, naming the
 * class (or method) and the argument; a snake_case spelling of a known camelCase argument also
 * names the camelCase one ("did you mean 'inputShape'?").
 */

type Ctor = new (args: Record<string, unknown>) => unknown;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The constructor of each registered layer (a factory's exported class for Keras 1 names); removed Keras 1 layers are left out. */
function layerClasses(): [string, Ctor, string][] {
  const out: [string, Ctor, string][] = [];
  for (const name of registeredNames('layer')) {
    const reg = lookupClass('layer', name) as unknown;
    const ctor = (typeof reg === 'function' ? reg : (keras as Record<string, unknown>)[name]) as Ctor | undefined;
    if (typeof ctor !== 'function') throw new Error(`registered layer ${name} has no public constructor`);
    try {
      new ctor({});
    } catch (e) {
      if (/was removed in Keras 2/.test((e as Error).message)) continue;
    }
    const own = Object.prototype.hasOwnProperty.call(ctor, 'className') ? (ctor as unknown as { className: string }).className : ctor.name;
    out.push([name, ctor, own]);
  }
  return out;
}

/** The keys a layer class takes, as the checks see them (InputLayer, Model and Sequential check their own lists). */
function acceptedOf(name: string, ctor: Ctor): readonly string[] {
  if (name === 'Model') return MODEL_KEYS;
  if (name === 'Sequential') return SEQUENTIAL_KEYS;
  const keys = acceptedLayerArgs(ctor);
  if (!keys) throw new Error(`${name} does not declare its arguments (static argsSchema)`);
  return name === 'InputLayer' ? keys.filter((k) => !['trainable', 'inputDim'].includes(k)) : keys;
}

/** Whether Keras 1 conversion takes this key for the class (then it is a legacy spelling, not an unknown one). */
function legacyTakes(name: string, key: string): boolean {
  // The conversion is keyed by the static className, which Keras 1 names inherit (AtrousConvolution1D: Conv1D).
  const ctor = classes.find((c) => c[0] === name)?.[1] as { className?: string } | undefined;
  let args: Record<string, unknown>;
  try {
    args = convertLegacyLayerArgs(ctor?.className ?? name, { [key]: 1 });
  } catch {
    return true;
  }
  return !(key in args) || args[key] !== 1 || Object.keys(args).length !== 1;
}

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/).filter((k) => k !== '__proto__');

const classes = layerClasses();

describe('layers, Model and Sequential refuse unknown arguments', () => {
  it('covers every registered layer class', () => {
    expect(classes.length).toBeGreaterThan(90);
    for (const n of ['Dense', 'Conv2D', 'LSTM', 'Bidirectional', 'InputLayer', 'Model', 'Sequential', 'AtrousConvolution2D', 'Deconvolution2D']) {
      expect(classes.map((c) => c[0])).toContain(n);
    }
  });

  it.each(classes)('%s: an unknown key names the class and the key', (name, ctor, own) => {
    const accepted = acceptedOf(name, ctor);
    fc.assert(
      fc.property(identifier, (key) => {
        fc.pre(!accepted.includes(key) && !legacyTakes(name, key));
        expect(() => new ctor({ [key]: 1 })).toThrow(new RegExp(`^${esc(own)}\\b.*unknown argument '${esc(key)}' \\(got 1\\)`));
      }),
      { numRuns: 25 },
    );
  });

  it.each(classes)('%s: the snake_case spelling of each camelCase argument names the argument', (name, ctor, own) => {
    const accepted = acceptedOf(name, ctor);
    const camel = accepted.filter((k) => /[A-Z]/.test(k) && !accepted.includes(camelToSnake(k)) && snakeToCamel(camelToSnake(k)) === k);
    for (const key of camel) {
      const snake = camelToSnake(key);
      if (legacyTakes(name, snake)) continue;
      expect(() => new ctor({ [snake]: 1 }), `${name}: ${snake}`).toThrow(new RegExp(`^${esc(own)}\\b.*unknown argument '${snake}' \\(got 1\\); did you mean '${key}'\\?`));
    }
    // Every layer takes Keras' input_shape as inputShape; Model and Sequential do not take it at all.
    if (['Model', 'Sequential'].includes(name)) {
      expect(() => new ctor({ input_shape: [4] })).toThrow(new RegExp(`^${name}: unknown argument 'input_shape' \\(got \\[4\\]\\); ${name} takes`));
    } else if (!legacyTakes(name, 'input_shape')) {
      expect(() => new ctor({ input_shape: [4] })).toThrow(/unknown argument 'input_shape' \(got \[4\]\); did you mean 'inputShape'\? \(arguments are camelCase in TypeScript\)/);
    }
  });

  it('the issue examples: input_shape, use_bias, kernel_initializer and a typo', () => {
    expect(() => new Dense({ units: 8, input_shape: [4] })).toThrow("Dense: unknown argument 'input_shape' (got [4]); did you mean 'inputShape'?");
    expect(() => new Dense({ units: 8, use_bias: false })).toThrow(/'use_bias' \(got false\); did you mean 'useBias'\?/);
    expect(() => new Dense({ units: 8, kernel_initializer: 'zeros', name: 'd' })).toThrow(/^Dense 'd': unknown argument 'kernel_initializer' \(got "zeros"\); did you mean 'kernelInitializer'\?/);
    // @ts-expect-error -- 'unit' is not an argument (misspelt units) on purpose
    expect(() => new Dense({ unit: 8 })).toThrow(/'unit' \(got 8\); did you mean 'units'\?/);
  });

  it('Keras 1 spellings still convert (with their warning), and configs from files keep their keys', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // @ts-expect-error -- Keras 1 argument names, wrong on purpose
      const d = new Dense({ output_dim: 3, init: 'zeros' });
      expect(d.units).toBe(3);
      const back = keras.deserializeLayer({ class_name: 'Dense', config: { units: 2, use_bias: false, some_keras3_key: null } }) as Dense;
      expect(back.useBias).toBe(false);
      expect((Dense as unknown as { fromConfig(c: object): Dense }).fromConfig({ units: 2, kernel_initializer: 'zeros', lora_rank: null }).units).toBe(2);
    } finally {
      warn.mockRestore();
    }
  });

  it("a user's subclass that does not declare argsSchema reads its own arguments", () => {
    class Scaled extends Dense {
      readonly factor: number;
      constructor(args: { units: number; factor: number }) {
        super(args);
        this.factor = args.factor;
      }
    }
    expect(new Scaled({ units: 2, factor: 3 }).factor).toBe(3);
    // A custom layer that reads its own arguments with parseArgs and a plain z.object schema.
    class Gain extends keras.Layer {
      readonly gain: number;
      constructor(args: { gain?: number; name?: string } = {}) {
        super(args);
        this.gain = keras.parseArgs(z.object({ gain: z.number().default(1) }), args, 'Gain').gain;
      }
      call(x: never) {
        return x;
      }
    }
    expect(new Gain({ gain: 2, name: 'g' }).gain).toBe(2);
    // Outside layers, a plain z.object holds every argument.
    expect(() => keras.parseArgs(z.object({ gain: z.number() }), { gain: 1, gian: 2 }, 'Thing')).toThrow(/^Thing: unknown argument 'gian' \(got 2\); did you mean 'gain'\?/);
  });
});

function mlp(): Sequential {
  const m = new Sequential([new Dense({ units: 3, inputShape: [2] }), new Dense({ units: 1 })]);
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = tensor([[1, 2], [3, 4]]);
const y = tensor([[1], [0]]);

/** A property over unknown keys of a method's options: the call fails naming the method and the key. */
async function refusesUnknown(method: keyof typeof METHOD_KEYS, call: (opts: Record<string, unknown>) => unknown): Promise<void> {
  const accepted: readonly string[] = METHOD_KEYS[method];
  await fc.assert(
    fc.asyncProperty(identifier, async (key) => {
      const probe: Record<string, unknown> = convertLegacyTrainingArgs('fit', { [key]: 1 });
      fc.pre(!accepted.includes(key) && key in probe);
      const run = async () => call({ [key]: 1 });
      await expect(run()).rejects.toThrow(new RegExp(`^Sequential\\.${method}: unknown argument '${esc(key)}' \\(got 1\\)`));
    }),
    { numRuns: 25 },
  );
  for (const camel of accepted.filter((k) => /[A-Z]/.test(k))) {
    const snake = camelToSnake(camel);
    const probe: Record<string, unknown> = convertLegacyTrainingArgs('fit', { [snake]: 1 });
    if (!(snake in probe)) continue;
    await expect((async () => call({ [snake]: 1 }))()).rejects.toThrow(new RegExp(`unknown argument '${snake}' \\(got 1\\); did you mean '${camel}'\\?`));
  }
}

describe('compile, fit, evaluate and predict refuse unknown options', () => {
  const m = mlp();
  it('compile', () => refusesUnknown('compile', (o) => m.compile({ optimizer: 'sgd', loss: 'mse', ...o })));
  it('fit', () => refusesUnknown('fit', (o) => m.fit(x, y, { verbose: 0, ...o })));
  it('evaluate', () => refusesUnknown('evaluate', (o) => m.evaluate(x, y, { verbose: 0, ...o })));
  it('predict', () => refusesUnknown('predict', (o) => m.predict(x, { verbose: 0, ...o })));
  it('fitGenerator', () => refusesUnknown('fitGenerator', (o) => m.fitGenerator([[x, y]], { verbose: 0, ...o })));
  it('evaluateGenerator', () => refusesUnknown('evaluateGenerator', (o) => m.evaluateGenerator([[x, y]], o)));
  it('predictGenerator', () => refusesUnknown('predictGenerator', (o) => m.predictGenerator([x], o)));
  it('trainOnBatch', () => refusesUnknown('trainOnBatch', (o) => m.trainOnBatch(x, y, o)));
  it('testOnBatch', () => refusesUnknown('testOnBatch', (o) => m.testOnBatch(x, y, o)));
  it('the generator and batch variants', async () => {
    // @ts-expect-error -- 'epoch' is deliberately not an argument here, to check the runtime error
    await expect(m.fitGenerator([[x, y]], { epoch: 1 })).rejects.toThrow(/^Sequential\.fitGenerator: unknown argument 'epoch' \(got 1\); did you mean 'epochs'\?/);
    // @ts-expect-error -- 'step' is deliberately not an argument here, to check the runtime error
    await expect(m.evaluateGenerator([[x, y]], { step: 1 })).rejects.toThrow(/^Sequential\.evaluateGenerator: unknown argument 'step' \(got 1\); did you mean 'steps'\?/);
    // @ts-expect-error -- 'steps_' is deliberately not an argument here, to check the runtime error
    await expect(m.predictGenerator([x], { steps_: 1 })).rejects.toThrow(/^Sequential\.predictGenerator: unknown argument 'steps_'/);
    // @ts-expect-error -- 'sample_weight' (snake_case) is not an argument; wrong on purpose
    await expect(m.trainOnBatch(x, y, { sample_weight: null })).rejects.toThrow(/did you mean 'sampleWeight'\?/);
    // @ts-expect-error -- 'class_weight' is deliberately not an argument here, to check the runtime error
    await expect(m.testOnBatch(x, y, { class_weight: null })).rejects.toThrow(/^Sequential\.testOnBatch: unknown argument 'class_weight'/);
  });
  it('the issue example: fit(x, y, { batch_size, validation_split, epoch })', async () => {
    // @ts-expect-error -- snake_case and misspelt argument names, wrong on purpose
    const msg = await m.fit(x, y, { batch_size: 32, validation_split: 0.1, epoch: 3 }).catch((e: Error) => e.message);
    expect(msg).toMatch(/^Sequential\.fit: unknown arguments 'batch_size' \(got 32\); did you mean 'batchSize'\?/);
    expect(msg).toMatch(/'validation_split' \(got 0\.1\); did you mean 'validationSplit'\?/);
    expect(msg).toMatch(/'epoch' \(got 3\); did you mean 'epochs'\?/);
  });
});

describe('optimizers refuse unknown arguments', () => {
  const BASE = ['learningRate', 'lr', 'decay', 'name', 'weightDecay', 'clipnorm', 'globalClipnorm', 'clipvalue', 'useEma', 'emaMomentum', 'emaOverwriteFrequency', 'lossScaleFactor', 'gradientAccumulationSteps', 'jitCompile', 'isLegacyOptimizer', 'scheduleDecay'];
  const optimizers = registeredNames('optimizer').map((n) => [n, lookupClass('optimizer', n) as unknown as Ctor] as const);

  it.each(optimizers)('%s', (name, ctor) => {
    const config = (new ctor({}) as { getConfig(): Record<string, unknown> }).getConfig();
    const accepted = [...BASE, ...Object.keys(config).map(snakeToCamel)];
    fc.assert(
      fc.property(identifier, (key) => {
        fc.pre(!accepted.includes(key));
        expect(() => new ctor({ [key]: 1 })).toThrow(new RegExp(`^${name} '${name}': unknown argument '${esc(key)}' \\(got 1\\)`));
      }),
      { numRuns: 25 },
    );
    for (const snake of Object.keys(config).filter((k) => k.includes('_'))) {
      expect(() => new ctor({ [snake]: config[snake] })).toThrow(new RegExp(`^${name} '${name}': unknown argument '${snake}' .*did you mean '${snakeToCamel(snake)}'\\?`));
    }
  });
});

describe("Keras' positional forms", () => {
  it('new Sequential([l1, l2]) and new Sequential([l1, l2], name)', () => {
    const a = new Sequential([new Dense({ units: 2, inputShape: [3] }), new Dense({ units: 1 })]);
    expect(a.layers.length).toBe(2);
    expect(a.built).toBe(true);
    const b = new Sequential([new Dense({ units: 1 })], 'named_seq');
    expect(b.name).toBe('named_seq');
    expect(new Sequential(new Dense({ units: 1 })).layers.length).toBe(1);
    expect(new Sequential({ layers: [new Dense({ units: 1 })], name: 'obj' }).name).toBe('obj');
  });

  it('wrong Sequential forms fail at the call, saying what to pass', () => {
    // @ts-expect-error -- 3 is not a list of layers, on purpose
    expect(() => new Sequential(3)).toThrow(/^Sequential: expected a list of layers, got 3; call new Sequential\(\[layer1, layer2\]\)/);
    // @ts-expect-error -- 'relu' is not a layer, on purpose
    expect(() => new Sequential([new Dense({ units: 1 }), 'relu'])).toThrow(/^Sequential: layers\[1\] is not a layer: got "relu"/);
    // @ts-expect-error -- name 5 is not a string, on purpose
    expect(() => new Sequential([], 5)).toThrow(/the model's name, a string; got 5/);
    expect(() => new Sequential({ layers: [] }, 'x')).toThrow(/not both/);
  });

  it('new Model(inputs, outputs) and new Model(inputs, outputs, name)', () => {
    const inp = Input({ shape: [3] });
    const out = new Dense({ units: 2 }).apply(inp);
    const m = new Model(inp, out, 'fm');
    expect(m.name).toBe('fm');
    expect(m.isFunctional).toBe(true);
    const inp2 = Input({ shape: [3] });
    const m2 = new Model([inp, inp2], [new keras.Add().apply([inp, inp2])]);
    expect(m2.inputs.length).toBe(2);
  });

  it('wrong Model forms fail at the call, saying what to pass', () => {
    const inp = Input({ shape: [3] });
    const out = new Dense({ units: 2 }).apply(inp);
    // @ts-expect-error -- outputs left out on purpose
    expect(() => new Model(inp)).toThrow(/^Model: a functional model needs its outputs too: call new Model\(inputs, outputs\)/);
    // @ts-expect-error -- 'out' is not a KerasTensor, on purpose
    expect(() => new Model(inp, 'out')).toThrow(/^Model: the outputs must be KerasTensors/);
    // @ts-expect-error -- options object where the name string goes, on purpose
    expect(() => new Model(inp, out, { name: 'x' })).toThrow(/the model's name, a string/);
    // @ts-expect-error -- 5 is not a KerasTensor, on purpose
    expect(() => new Model(5)).toThrow(/^Model: expected KerasTensors from Input\(\) and layers called on them, got 5/);
    expect(() => new Model({ inputs: inp, outputs: out, input_shape: [3] })).toThrow(/^Model: unknown argument 'input_shape'/);
  });

  it("compile('adam', 'mse') and compile(optimizer, loss, metrics)", async () => {
    const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    m.compile('adam', 'mse', ['mae']);
    expect(m.optimizer.constructor.name).toBe('Adam');
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'mae']);
    m.compile(new keras.SGD({ learningRate: 0.1 }), 'mse');
    expect(m.optimizer.learningRate).toBeCloseTo(0.1, 7);
  });

  it('wrong compile forms fail at the call', () => {
    const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    // @ts-expect-error -- 5 is neither an optimizer nor compile options, on purpose
    expect(() => m.compile(5)).toThrow(/^Sequential\.compile: the first argument is the optimizer/);
    // @ts-expect-error -- options object and a positional loss together, on purpose
    expect(() => m.compile({ optimizer: 'adam' }, 'mse')).toThrow(/not both/);
    // @ts-expect-error -- 5 is not a metric, on purpose
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: [5] })).toThrow(/a metric must be a name such as 'accuracy'/);
    // @ts-expect-error -- runEagerly must be a boolean; 'yes' is wrong on purpose
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', runEagerly: 'yes' })).toThrow(/argument 'runEagerly' got "yes": expected a boolean/);
  });

  it('fit(x, y, batchSize, epochs) is refused with what to pass', async () => {
    const m = mlp();
    // @ts-expect-error -- a bare batch size instead of an options object, on purpose
    await expect(m.fit(x, y, 32)).rejects.toThrow(/^Sequential\.fit: expected an options object such as \{ batchSize: 32, epochs: 10 \}, got 32/);
    // @ts-expect-error -- a bare batch size instead of an options object, on purpose
    await expect(m.predict(x, 32)).rejects.toThrow(/^Sequential\.predict: expected an options object/);
  });
});


/** The arguments a constructor names in its refusal of an unknown one ("X takes a, b" or "expected 'a', 'b'"). */
function namedAccepted(make: (o: Record<string, unknown>) => unknown): string[] {
  try {
    make({ zz_probe_key: 1 });
  } catch (e) {
    const m = /(?:takes|expected) (.*)$/.exec((e as Error).message.split('\n')[0]);
    return m ? [...m[1].matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((x) => x[0]) : [];
  }
  throw new Error('an unknown argument was not refused');
}

/** A property over unknown keys of a constructor (the error names the class and the key), and every camelCase argument's snake_case spelling. */
function refusesUnknownArgs(what: string, make: (o: Record<string, unknown>) => unknown): void {
  const accepted = namedAccepted(make);
  fc.assert(
    fc.property(identifier, (key) => {
      fc.pre(!accepted.includes(key));
      expect(() => make({ [key]: 1 }), `${what}: ${key}`).toThrow(new RegExp(`^${esc(what)}\\b.*unknown argument '${esc(key)}'`));
    }),
    { numRuns: 25 },
  );
  for (const camel of accepted.filter((k) => /[A-Z]/.test(k))) {
    const snake = camelToSnake(camel);
    if (accepted.includes(snake)) continue;
    expect(() => make({ [snake]: 1 }), `${what}: ${snake}`).toThrow(new RegExp(`unknown argument '${snake}'.*did you mean '${camel}'\\?`));
  }
}

describe('every registered loss, metric, initializer, regularizer, constraint and schedule, every callback, Input, the preprocessing classes and Progbar refuse unknown arguments', () => {
  const KINDS = ['loss', 'metric', 'initializer', 'regularizer', 'constraint', 'schedule'] as const;
  const isClass = (c: unknown): c is Ctor => typeof c === 'function' && /^class\b/.test(Function.prototype.toString.call(c));
  // MeanMetricWrapper passes its extra keywords to its function (Keras' **kwargs), so it has no unknown ones.
  const registered: [string, string, Ctor][] = [];
  for (const kind of KINDS) {
    for (const name of registeredNames(kind)) {
      const ctor: unknown = lookupClass(kind, name);
      if (isClass(ctor) && name !== 'MeanMetricWrapper') registered.push([`${kind} ${name}`, name, ctor]);
    }
  }

  it('covers every registry', () => {
    for (const kind of KINDS) expect(registered.some(([k]) => k.startsWith(`${kind} `)), kind).toBe(true);
    expect(registered.length).toBeGreaterThan(80);
  });

  it.each(registered)('%s', (_label, name, ctor) => {
    const make = name === 'LossFunctionWrapper' ? (o: Record<string, unknown>) => new (ctor as unknown as new (fn: unknown, a: unknown) => unknown)(() => 0, o) : (o: Record<string, unknown>) => new ctor(o);
    refusesUnknownArgs(name, make);
  });

  const schedule = (_e: number, lr: number) => lr;
  const callbacks: [string, (o: Record<string, unknown>) => unknown][] = [
    ['EarlyStopping', (o) => new keras.EarlyStopping(o)],
    ['ReduceLROnPlateau', (o) => new keras.ReduceLROnPlateau(o)],
    ['ModelCheckpoint', (o) => new keras.ModelCheckpoint({ filepath: 'm.keras', ...o })],
    ['CSVLogger', (o) => new keras.CSVLogger({ filename: 'log.csv', ...o })],
    ['LearningRateScheduler', (o) => new keras.LearningRateScheduler({ schedule, ...o })],
    ['TerminateOnNaN', (o) => new keras.TerminateOnNaN(o as Record<string, never>)],
    ['LambdaCallback', (o) => new keras.LambdaCallback(o)],
    ['ProgbarLogger', (o) => new keras.ProgbarLogger(o)],
    ['TensorBoard', (o) => new keras.TensorBoard(o)],
  ];
  it.each(callbacks)('callback %s', (name, make) => refusesUnknownArgs(name, make));

  const others: [string, (o: Record<string, unknown>) => unknown][] = [
    ['Input', (o) => keras.Input({ shape: [2], ...o })],
    ['Tokenizer', (o) => new keras.preprocessing.text.Tokenizer(o)],
    ['ImageDataGenerator', (o) => new keras.preprocessing.image.ImageDataGenerator(o)],
    ['TimeseriesGenerator', (o) => new keras.preprocessing.sequence.TimeseriesGenerator([[1], [2], [3]], [1, 2, 3], { length: 1, ...o })],
    ['padSequences', (o) => keras.preprocessing.sequence.padSequences([[1]], o)],
    ['Progbar', (o) => new keras.utils.Progbar({ target: 3, ...o })],
  ];
  it.each(others)('%s', (name, make) => refusesUnknownArgs(name, make));

  it("Keras' positional forms of CSVLogger and LearningRateScheduler, and what is refused", () => {
    expect(new keras.CSVLogger('a.csv', ';', true)).toMatchObject({ filename: 'a.csv', separator: ';', append: true });
    expect(new keras.CSVLogger({ filename: 'b.csv', append: true })).toMatchObject({ filename: 'b.csv', separator: ',', append: true });
    expect(new keras.LearningRateScheduler(schedule, 1).verbose).toBe(1);
    expect(new keras.LearningRateScheduler({ schedule, verbose: 1 }).schedule).toBe(schedule);
    // @ts-expect-error -- a number is not a file name, on purpose
    expect(() => new keras.CSVLogger(5)).toThrow(/^CSVLogger: argument 'filename' got 5: expected a file name/);
    // @ts-expect-error -- a string is not a schedule function, on purpose
    expect(() => new keras.LearningRateScheduler('exp')).toThrow(/^LearningRateScheduler: argument 'schedule' got "exp": expected a function/);
  });
});

describe('callbacks, losses, metrics and initializers refuse unknown arguments', () => {
  it('callbacks', () => {
    // @ts-expect-error -- 'patiance' is deliberately not an argument here, to check the runtime error
    expect(() => new keras.EarlyStopping({ patiance: 3 })).toThrow(/^EarlyStopping: unknown argument 'patiance' \(got 3\); did you mean 'patience'\?/);
    // @ts-expect-error -- 'save_best_only' is deliberately not an argument here, to check the runtime error
    expect(() => new keras.ModelCheckpoint({ filepath: 'm.keras', save_best_only: true })).toThrow(/^ModelCheckpoint: unknown argument 'save_best_only' \(got true\); did you mean 'saveBestOnly'\?/);
    // @ts-expect-error -- 'min_lr' (snake_case) is not an argument; wrong on purpose
    expect(() => new keras.ReduceLROnPlateau({ min_lr: 0.001 })).toThrow(/did you mean 'minLr'\?/);
    // @ts-expect-error -- 'on_epoch_end' (snake_case) is not an argument; wrong on purpose
    expect(() => new keras.LambdaCallback({ on_epoch_end: () => {} })).toThrow(/^LambdaCallback: unknown argument 'on_epoch_end' \(got a function\); did you mean 'onEpochEnd'\?/);
    // @ts-expect-error -- 'histogram_freq' (snake_case) is not an argument; wrong on purpose
    expect(() => new keras.TensorBoard({ histogram_freq: 1 })).toThrow(/^TensorBoard: unknown argument 'histogram_freq' \(got 1\); did you mean 'histogramFreq'\?/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      // Keras 2 still read ReduceLROnPlateau's `epsilon` as `min_delta`, with a warning.
      expect(new keras.ReduceLROnPlateau({ epsilon: 0.01 }).args.minDelta).toBe(0.01);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/`epsilon` argument is deprecated.*minDelta/));
    } finally {
      warn.mockRestore();
    }
  });

  it('losses, metrics and initializers', () => {
    // @ts-expect-error -- 'from_logits' is deliberately not an argument here, to check the runtime error
    expect(() => new keras.losses.BinaryCrossentropy({ from_logits: true })).toThrow(/^BinaryCrossentropy: unknown argument 'from_logits' \(got true\); did you mean 'fromLogits'\?/);
    // @ts-expect-error -- 'threshhold' is deliberately not an argument here, to check the runtime error
    expect(() => new keras.metrics.BinaryAccuracy({ threshhold: 0.3 })).toThrow(/^BinaryAccuracy: unknown argument 'threshhold' \(got 0\.3\); did you mean 'threshold'\?/);
    // @ts-expect-error -- 'std_dev' is deliberately not an argument here, to check the runtime error
    expect(() => new keras.RandomNormal({ mean: 0, std_dev: 1 })).toThrow(/^RandomNormal: unknown argument 'std_dev' \(got 1\); did you mean 'stddev'\?/);
    // @ts-expect-error -- 'batch_size' is deliberately not an argument here, to check the runtime error
    expect(() => keras.Input({ shape: [3], batch_size: 2 })).toThrow(/^Input: unknown argument 'batch_size' \(got 2\); did you mean 'batchSize'\?/);
  });
});
