import { describe, expect, it } from 'vitest';
import { Dense, Embedding, Input, InputLayer, LSTM, Sequential, Tensor, deserializeLayer, type Model } from '../../src/index.js';
import { expectClose, linearData, mlp, randn } from './helpers.js';

const lines = (m: Model, lineLength?: number): string[] => {
  const out: string[] = [];
  m.summary(lineLength, (l) => out.push(l));
  return out;
};

describe('Sequential: add and pop', () => {
  it('adds layers in order, and pop removes the last one', () => {
    const m = new Sequential();
    const a = new Dense({ units: 3 });
    const b = new Dense({ units: 2 });
    m.add(a);
    m.add(b);
    expect(m.layers).toEqual([a, b]);
    expect(m.pop()).toBe(b);
    expect(m.layers).toEqual([a]);
    expect(m.pop()).toBe(a);
    expect(() => m.pop()).toThrow(/has no layers to pop/);
  });

  it('refuses something that is not a layer', () => {
    // @ts-expect-error -- {} is not a Layer, on purpose
    expect(() => new Sequential().add({})).toThrow(/add\(\)'s argument \(model '.*'\) is not a layer/);
  });

  it('refuses two layers with the same name, naming it', () => {
    const m = new Sequential({ name: 'dups' });
    m.add(new Dense({ units: 2, name: 'same', inputShape: [3] }));
    expect(() => m.add(new Dense({ units: 2, name: 'same' }))).toThrow(/Sequential 'dups'.*unique names.*'same'/);
    expect(m.layers.length).toBe(1);
  });

  it('accepts an InputLayer first (it is not listed in layers), and refuses it later', () => {
    const m = new Sequential();
    m.add(new InputLayer({ inputShape: [5] }));
    m.add(new Dense({ units: 2 }));
    expect(m.layers.length).toBe(1);
    expect(m.layers[0]).toBeInstanceOf(Dense);
    expect(m.outputs[0].shape).toEqual([null, 2]);
    expect(() => m.add(new InputLayer({ inputShape: [5] }))).toThrow(/InputLayer can only come first/);
  });

  it('pop on a built model moves the output to the new last layer', async () => {
    const m = mlp();
    expect(m.outputs[0].shape).toEqual([null, 1]);
    m.pop();
    expect(m.outputs[0].shape).toEqual([null, 8]);
    const y = await m.predict(randn([3, 4]));
    expect(y.shape).toEqual([3, 8]);
  });
});

describe('Sequential: building', () => {
  it('builds at once when the first layer has inputShape (weights exist before any data)', () => {
    const m = mlp();
    expect(m.built).toBe(true);
    expect(m.inputs[0].shape).toEqual([null, 4]);
    expect(m.outputs[0].shape).toEqual([null, 1]);
    expect(m.weights.map((w) => w.shape)).toEqual([[4, 8], [8], [8, 1], [1]]);
    expect(m.countParams()).toBe(49);
  });

  it('batchInputShape fixes the batch size in the input shape', () => {
    const m = new Sequential({ layers: [new Dense({ units: 2, batchInputShape: [5, 3] })] });
    expect(m.inputs[0].shape).toEqual([5, 3]);
  });

  it('inputDim is the Keras 2 shorthand for inputShape [inputDim]', () => {
    const m = new Sequential({ layers: [new Dense({ units: 2, inputDim: 7 })] });
    expect(m.inputs[0].shape).toEqual([null, 7]);
  });

  it('without an input shape, builds on the first fit (deferred build)', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 4, activation: 'tanh' }), new Dense({ units: 1 })] });
    expect(m.weights.length).toBe(0);
    expect(() => m.summary(undefined, () => {})).toThrow(/has not been built yet/);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = linearData(16, 3);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(m.built).toBe(true);
    expect(m.weights.map((w) => w.shape)).toEqual([[3, 4], [4], [4, 1], [1]]);
    expect(m.inputs[0].shape).toEqual([null, 3]);
    expect(lines(m).some((l) => l.includes('(None, 4)'))).toBe(true);
  });

  it('without an input shape, builds on the first predict', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 2 })] });
    const y = await m.predict(randn([5, 6]));
    expect(y.shape).toEqual([5, 2]);
    expect(m.weights[0].shape).toEqual([6, 2]);
  });
});

describe('Sequential: an input shape inferred from the first data', () => {
  it('is relaxed for later data of the same rank (Keras 2), but a declared one is kept', async () => {
    const m = new Sequential({ layers: [new Embedding({ inputDim: 20, outputDim: 4 }), new LSTM({ units: 3 }), new Dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit(new Tensor([4, 7], 'int32', Int32Array.from({ length: 28 }, (_, i) => i % 20)), new Tensor([4, 1], 'float32', new Float32Array(4)), { epochs: 1, verbose: 0 });
    expect((await m.predict(new Tensor([2, 11], 'int32', new Int32Array(22)))).shape).toEqual([2, 1]);
    await expect(m.predict(new Tensor([2, 11, 3], 'int32', new Int32Array(66)))).rejects.toThrow(/expected shape=\(None, 7\), found shape=\(2, 11, 3\)/);
    const declared = new Sequential({ layers: [new Dense({ units: 2, inputShape: [7] })] });
    await expect(declared.predict(new Tensor([2, 11], 'float32', new Float32Array(22)))).rejects.toThrow(/expected shape=\(None, 7\), found shape=\(2, 11\)/);
  });
});

describe('Sequential: summary', () => {
  // tf.keras 2.15 (keras/utils/layer_utils.py print_summary) for this model prints exactly this:
  // line length 65, column ends at int(65 * [0.45, 0.85, 1.0]) = 29, 55, 65; a blank row after
  // every layer (print_layer is called with is_nested_last=False for top-level layers); the
  // totals with their size in bytes (float32: 4 bytes a parameter).
  const keras2 = [
    'Model: "seq_summary"',
    '_________________________________________________________________',
    ' Layer (type)                Output Shape              Param #   ',
    '=================================================================',
    ' hidden (Dense)              (None, 8)                 40        ',
    '                                                                 ',
    ' out (Dense)                 (None, 1)                 9         ',
    '                                                                 ',
    '=================================================================',
    'Total params: 49 (196.00 Byte)',
    'Trainable params: 49 (196.00 Byte)',
    'Non-trainable params: 0 (0.00 Byte)',
    '_________________________________________________________________',
  ];
  const model = () =>
    new Sequential({ name: 'seq_summary', layers: [new Dense({ units: 8, inputShape: [4], name: 'hidden' }), new Dense({ units: 1, name: 'out' })] });

  it('prints the header, the rows at columns 29/55/65 and the totals with byte sizes as Keras 2', () => {
    const got = lines(model());
    // Everything but the blank row after the last layer (see the next test).
    expect(got.slice(0, 7)).toEqual(keras2.slice(0, 7));
    expect(got.slice(-5)).toEqual(keras2.slice(-5));
    for (const l of got.slice(1, 8)) expect(l.length).toBe(65);
    const row = got[4];
    expect(row.indexOf('(None, 8)')).toBe(29);
    expect(row.indexOf('40')).toBe(55);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): summary.ts prints the blank row only *between* layers
  // (`if (i < layers.length - 1)`), but Keras 2 prints it after every top-level layer,
  // so the last layer row is followed by a blank row before the '=' line.
  it('matches Keras 2 line for line (blank row after the last layer)', () => {
    expect(lines(model())).toEqual(keras2);
  });

  it('wraps a long "name (Class)" at the column width as Keras does', () => {
    const m = new Sequential({ layers: [new Dense({ units: 2, inputShape: [3], name: 'a_rather_long_dense_layer_name' })] });
    const got = lines(m);
    // Column 1 holds 26 characters (29 - 2 spaces - 1).
    expect(got[4]).toBe(' a_rather_long_dense_layer_  (None, 2)                 8         ');
    expect(got[5]).toBe(' name (Dense)                                                    ');
  });

  it('counts non-trainable weights separately, and KB sizes', () => {
    const m = new Sequential({ layers: [new Dense({ units: 300, inputShape: [10], name: 'big' }), new Dense({ units: 2, name: 'frozen' })] });
    m.getLayer('frozen').trainable = false;
    const got = lines(m);
    expect(got.at(-4)).toBe('Total params: 3902 (15.24 KB)');
    expect(got.at(-3)).toBe('Trainable params: 3300 (12.89 KB)');
    expect(got.at(-2)).toBe('Non-trainable params: 602 (2.35 KB)');
  });

  it('honours a custom line length', () => {
    const got = lines(model(), 80);
    expect(got[1]).toBe('_'.repeat(80));
    // Columns end at int(80 * 0.45) = 36 and int(80 * 0.85) = 68.
    expect(got[4].indexOf('(None, 8)')).toBe(36);
    expect(got[4].indexOf('40')).toBe(68);
  });
});

describe('Sequential: Keras 2 JSON', () => {
  it('toJSON writes the JSON Keras 2 and Keras 3 both read: an explicit InputLayer with batch_input_shape first', () => {
    const m = new Sequential({ name: 'seq_json', layers: [new Dense({ units: 8, activation: 'relu', inputShape: [4], name: 'd1' }), new Dense({ units: 1, name: 'd2' })] });
    const j = JSON.parse(m.toJSON());
    expect(j.class_name).toBe('Sequential');
    // Keras 3's model_from_json finds the class through module; Keras 2 ignores it.
    expect(j).toMatchObject({ module: 'keras', registered_name: null });
    expect(j.keras_version).toMatch(/^2\./);
    expect(j.backend).toBe('tensorflow');
    expect(j.config.name).toBe('seq_json');
    const layers = j.config.layers as { class_name: string; config: Record<string, unknown> }[];
    expect(layers.map((l) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dense']);
    // Keras 2's key: Keras 3's legacy loader renames it to batch_shape; Keras 2 refuses batch_shape.
    expect(layers[0].config).toMatchObject({ batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false });
    expect(layers[1].config).toMatchObject({ name: 'd1', trainable: true, dtype: 'float32', units: 8, activation: 'relu', use_bias: true });
    // The layers stay in Keras 2 form (dtype a plain string, no module); the shape is the InputLayer's.
    expect(layers[1]).not.toHaveProperty('module');
    expect(layers[1].config).not.toHaveProperty('batch_input_shape');
    expect(layers[2].config).not.toHaveProperty('batch_input_shape');
    // And it reads back.
    const back = deserializeLayer(j) as Sequential;
    expect(back.layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    expect(back.inputs[0].shape).toEqual([null, 4]);
  });

  it('round-trips through deserialize: same config, weights set, equal predictions', async () => {
    const m = mlp('seq_rt');
    const json = m.toJSON();
    const back = deserializeLayer(JSON.parse(json)) as Sequential;
    expect(back).toBeInstanceOf(Sequential);
    expect(back.name).toBe('seq_rt');
    expect(JSON.parse(back.toJSON())).toEqual(JSON.parse(json));
    expect(back.weights.map((w) => w.shape)).toEqual(m.weights.map((w) => w.shape));
    back.setWeights(m.getWeights());
    const x = randn([6, 4], 9);
    expectClose(await back.predict(x), (await m.predict(x)).data, 1e-6);
  });

  it('reads the tf.keras 2.x form with an InputLayer first in the layers list', async () => {
    const json = {
      class_name: 'Sequential',
      config: {
        name: 'sequential_7',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
          {
            class_name: 'Dense',
            config: {
              name: 'dense',
              trainable: true,
              batch_input_shape: [null, 3],
              dtype: 'float32',
              units: 2,
              activation: 'linear',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
            },
          },
        ],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const m = deserializeLayer(json) as Sequential;
    expect(m.layers.length).toBe(1);
    expect(m.inputs[0].shape).toEqual([null, 3]);
    m.setWeights([new Tensor([3, 2], 'float32', Float32Array.from([1, 0, 0, 1, 1, 1])), new Tensor([2], 'float32', Float32Array.from([0.5, -0.5]))]);
    const y = await m.predict(new Tensor([1, 3], 'float32', Float32Array.from([1, 2, 3])));
    expectClose(y, [4.5, 4.5]);
  });

  it('reads a Keras 1 style bare list of layers', () => {
    // @ts-expect-error -- the legacy bare-list config form, which the config type does not describe
    const m = Sequential.fromConfig([{ class_name: 'Dense', config: { units: 3, batch_input_shape: [null, 2] } }]) as Sequential;
    expect(m.outputs[0].shape).toEqual([null, 3]);
  });
});

describe('Sequential.add is linear', () => {
  it('adding a layer calls only that layer: every layer of a 300-layer stack has one inbound node', () => {
    const m = new Sequential();
    m.add(new Dense({ units: 2, inputShape: [2] }));
    for (let i = 1; i < 300; i++) m.add(new Dense({ units: 2 }));
    expect(m.layers.length).toBe(300);
    // Re-tracing the whole stack on each add gave layer k 300 - k nodes (quadratic work).
    expect(m.layers.map((l) => l.inboundNodes.length).filter((n) => n !== 1)).toEqual([]);
    expect(m.outputs[0].shape).toEqual([null, 2]);
  });
});

describe('Sequential: Input() first (tf.keras 2: Sequential([keras.Input(shape), ...]) and add(keras.Input(shape)))', () => {
  it('takes the output of Input() as its InputLayer, in the list and through add()', () => {
    const a = new Sequential([Input({ shape: [4] }), new Dense({ units: 3 })]);
    expect(a.layers.length).toBe(1);
    expect(a.inputs[0].shape).toEqual([null, 4]);
    expect(a.outputs[0].shape).toEqual([null, 3]);
    const b = new Sequential();
    b.add(Input({ shape: [5] }));
    b.add(new Dense({ units: 2 }));
    expect(b.outputs[0].shape).toEqual([null, 2]);
  });

  it('refuses the output of another layer, saying to use the functional API', () => {
    const x = Input({ shape: [4] });
    const y = new Dense({ units: 2, name: 'd_out' }).apply(x);
    expect(() => new Sequential([y])).toThrow(/layers\[0\] is the output of layer 'd_out', not of Input\(\).*functional API/);
    expect(() => new Sequential().add(y)).toThrow(/is the output of layer 'd_out'/);
  });
});

describe('Sequential: the config round-trips as it is', () => {
  it("puts batch_input_shape after name and trainable, as tf.keras 2's get_config, so a rebuilt model writes the same JSON", () => {
    const m = new Sequential([new Dense({ units: 2, inputShape: [3] }), new Dense({ units: 1 })]);
    const config = m.getConfig() as { layers: { config: Record<string, unknown> }[] };
    expect(Object.keys(config.layers[0].config).slice(0, 4)).toEqual(['name', 'trainable', 'batch_input_shape', 'dtype']);
    const rebuilt = deserializeLayer({ class_name: 'Sequential', config }) as Sequential;
    expect(JSON.stringify(rebuilt.getConfig())).toBe(JSON.stringify(config));
  });
});
