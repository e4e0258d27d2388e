import { describe, expect, it } from 'vitest';
import { ops, type Sym } from '@keras-ts/spec';
import {
  BatchNormalization,
  Dense,
  Embedding,
  Input,
  InputLayer,
  KerasTensor,
  Layer,
  Model,
  Ones,
  SGD,
  Sequential,
  Tensor,
  deserializeLayer,
  onlyOutput,
  serialize,
  type InputShape,
  type SymbolicShape,
  type Variable,
} from '../../src/index.js';
import { expectClose, randn, t } from './helpers.js';

/** A custom layer, written as a user would: one weight per feature, multiplied in. */
class Scale extends Layer {
  static override readonly className = 'Scale';
  w!: Variable;
  builds = 0;
  override build(shape: InputShape) {
    this.builds++;
    this.w = this.addWeight({ name: 'w', shape: [(shape as SymbolicShape).at(-1)!], initializer: new Ones() });
  }
  override call(x: Sym | Sym[]) {
    return ops.mul(x as Sym, this.w.read());
  }
}

describe('Layer basics', () => {
  it('names layers after their class, uniquely, as Keras (dense, dense_1, ...)', () => {
    const a = new Dense({ units: 1 });
    const b = new Dense({ units: 1 });
    expect(a.name).toMatch(/^dense(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
    expect(new BatchNormalization().name).toMatch(/^batch_normalization(_\d+)?$/);
    expect(new Scale().name).toMatch(/^scale(_\d+)?$/);
  });

  it('refuses a dtype other than float32 and an empty name, naming the class', () => {
    expect(() => new Dense({ units: 1, dtype: 'float64', name: 'd64' })).toThrow(/Dense 'd64': dtype 'float64' is not supported/);
    expect(() => new Dense({ units: 1, name: '' })).toThrow(/Dense: argument 'name'/);
  });

  it('builds once, on first use, for the input shape', () => {
    const s = new Scale();
    expect(s.built).toBe(false);
    const x = Input({ shape: [3] });
    const y = s.apply(x);
    s.apply(Input({ shape: [3] }));
    expect(s.builds).toBe(1);
    expect(s.built).toBe(true);
    expect(s.buildInputShape).toEqual([null, 3]);
    expect(y.shape).toEqual([null, 3]);
    expect(y.source.layer).toBe(s);
    expect(s.inboundNodes.length).toBe(2);
  });

  it('runs on concrete tensors (eagerly) and gives the same as inside a model', async () => {
    const s = new Scale();
    const x = t([[1, 2, 3]]);
    expectClose(s.apply(x), [1, 2, 3]);
    s.setWeights([t([2, 0, -1])]);
    expectClose(s.apply(x), [2, 0, -3]);
    expectClose(await s.applyAsync(x), [2, 0, -3]);
    const inp = Input({ shape: [3] });
    const m = new Model({ inputs: inp, outputs: s.apply(inp) });
    expectClose(await m.predict(x), [2, 0, -3]);
  });

  it('refuses a mix of placeholders and tensors, and an empty list', () => {
    const s = new Scale({ name: 'mixer' });
    // @ts-expect-error -- a KerasTensor and a Tensor mixed in one list, on purpose
    expect(() => s.apply([Input({ shape: [2] }), t([[1, 2]])])).toThrow(/Scale 'mixer' must be called on KerasTensors, symbolic tensors or Tensors, not a mix/);
    expect(() => s.apply([])).toThrow(/Scale 'mixer' was called on an empty list/);
  });

  it('lists weights as Keras: trainable first, then non-trainable (BatchNormalization)', () => {
    const bn = new BatchNormalization({ name: 'bn' });
    bn.apply(Input({ shape: [4] }));
    expect(bn.weights.map((w) => w.path)).toEqual(['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    expect(bn.trainableWeights.map((w) => w.path)).toEqual(['bn/gamma', 'bn/beta']);
    expect(bn.nonTrainableWeights.map((w) => w.path)).toEqual(['bn/moving_mean', 'bn/moving_variance']);
    expect(bn.countParams()).toBe(16);
    bn.trainable = false;
    expect(bn.trainableWeights).toEqual([]);
    expect(bn.nonTrainableWeights.length).toBe(4);
  });

  it('setWeights checks the count and every shape before assigning anything', () => {
    const d = new Dense({ units: 2, name: 'sw' });
    d.apply(Input({ shape: [3] }));
    const before = d.getWeights();
    expect(() => d.setWeights([t([1, 2])])).toThrow(/Dense 'sw' has 2 weight\(s\) \(sw\/kernel \[3,2\], sw\/bias \[2\]\); got 1 value\(s\)/);
    expect(() => d.setWeights([new Tensor([3, 2], 'float32', new Float32Array(6)), t([1, 2, 3])])).toThrow(/Dense 'sw': weight 1 \('sw\/bias'\) has shape \[2\], the value given has shape \[3\]/);
    expect(d.getWeights()).toEqual(before);
  });

  it('getWeights returns copies', () => {
    const d = new Dense({ units: 2 });
    d.apply(Input({ shape: [3] }));
    const w = d.getWeights();
    w[0].data[0] = 123;
    expect(d.getWeights()[0].data[0]).not.toBe(123);
  });

  it('trainable on a container propagates to its sublayers', () => {
    const m = new Sequential({ layers: [new Dense({ units: 2, inputShape: [2] }), new Dense({ units: 1 })] });
    m.trainable = false;
    expect(m.layers.map((l) => l.trainable)).toEqual([false, false]);
    m.trainable = true;
    expect(m.layers.map((l) => l.trainable)).toEqual([true, true]);
  });

  it('computeOutputShape traces call on placeholders (built layer)', () => {
    const d = new Dense({ units: 5 });
    d.apply(Input({ shape: [3] }));
    expect(d.computeOutputShape([null, 3])).toEqual([null, 5]);
    const s = new Scale();
    s.maybeBuild([null, 2, 7]);
    expect(s.computeOutputShape([null, 2, 7])).toEqual([null, 2, 7]);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): Layer.computeOutputShape (layer.ts) traces `call` without building
  // the layer first, so on an unbuilt layer it fails inside `call` with "Cannot read properties
  // of undefined (reading 'shape')". Keras 2 returns (None, 5) for Dense(5) on (None, 3)
  // (its default compute_output_shape builds the layer before tracing).
  it('computeOutputShape works on a layer not built yet', () => {
    expect(new Dense({ units: 5 }).computeOutputShape([null, 3])).toEqual([null, 5]);
  });

  it('the base config is Keras 2: name, trainable, (batch_input_shape), dtype', () => {
    const s = new Scale({ name: 'sc', inputShape: [4] });
    expect(s.getConfig()).toEqual({ name: 'sc', trainable: true, batch_input_shape: [null, 4], dtype: 'float32' });
    const u = new Scale({ name: 'sc2', trainable: false });
    expect(u.getConfig()).toEqual({ name: 'sc2', trainable: false, dtype: 'float32' });
  });

  it('a custom layer round-trips through deserialize with customObjects', async () => {
    const inp = Input({ shape: [2], name: 'cin' });
    const s = new Scale({ name: 'custom_scale' });
    const m = new Model({ inputs: inp, outputs: new Dense({ units: 1, name: 'cd' }).apply(s.apply(inp)), name: 'with_custom' });
    s.setWeights([t([3, -1])]);
    const json = JSON.parse(m.toJSON());
    expect(() => deserializeLayer(json)).toThrow(/unknown layer 'Scale'.*customObjects: \{ Scale: Scale \}/);
    const back = deserializeLayer(json, { Scale }) as Model;
    back.setWeights(m.getWeights());
    const x = randn([3, 2]);
    expectClose(onlyOutput(await back.predict(x)), (await m.predict(x)).data);
    expect(serialize(back.getLayer('custom_scale'))).toEqual({ class_name: 'Scale', config: { name: 'custom_scale', trainable: true, dtype: 'float32' } });
  });

  it('a custom layer trains inside a model', async () => {
    const inp = Input({ shape: [2] });
    const s = new Scale();
    const m = new Model({ inputs: inp, outputs: s.apply(inp) });
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x = t([[1, 1], [2, 2]]);
    const y = t([[3, -1], [6, -2]]);
    for (let i = 0; i < 200; i++) await m.trainOnBatch(x, y);
    expectClose(s.getWeights()[0], [3, -1], 1e-3);
  });
});

describe('Input and InputLayer', () => {
  it('Input gives a placeholder with an unknown batch size, named input_1, input_2, ... (Keras 2)', () => {
    const x = Input({ shape: [3] });
    expect(x.shape).toEqual([null, 3]);
    expect(x.dtype).toBe('float32');
    expect(x.source.layer).toBeInstanceOf(InputLayer);
    expect(x.source.layer.name).toMatch(/^input_\d+$/);
    expect(x.name).toBe(x.source.layer.name);
  });

  it('batchSize and batchShape fix the batch; dtype int32 (int64 read as int32)', () => {
    expect(Input({ shape: [3], batchSize: 8 }).shape).toEqual([8, 3]);
    expect(Input({ batchShape: [2, null, 5] }).shape).toEqual([2, null, 5]);
    expect(Input({ shape: [4], dtype: 'int32' }).dtype).toBe('int32');
    expect((deserializeLayer({ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], dtype: 'int64', name: 'ids' } }) as InputLayer).inputDtype).toBe('int32');
  });

  it('writes the Keras 2 config and reads Keras 3 batch_shape', () => {
    const layer = Input({ shape: [3], name: 'feat' }).source.layer as InputLayer;
    expect(serialize(layer)).toEqual({ class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'feat' } });
    const k3 = deserializeLayer({ module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 7], dtype: 'float32', sparse: false, ragged: false, name: 'k3', optional: false }, registered_name: null }) as InputLayer;
    expect(k3.shape).toEqual([null, 7]);
    expect(k3.name).toBe('k3');
  });

  it('refuses what it cannot do, naming the argument', () => {
    expect(() => new InputLayer({ name: 'noshape' })).toThrow(/InputLayer 'noshape': give a shape/);
    expect(() => new InputLayer({ inputShape: [2], sparse: true, name: 'sp' })).toThrow(/InputLayer 'sp'.*sparse inputs are not supported/);
    expect(() => new InputLayer({ inputShape: [2], dtype: 'string', name: 'str' })).toThrow(/InputLayer 'str': argument 'dtype' got "string"/);
  });

  it('an int32 input feeds an Embedding inside a model', async () => {
    const ids = Input({ shape: [3], dtype: 'int32', name: 'ids' });
    const m = new Model({ inputs: ids, outputs: new Embedding({ inputDim: 5, outputDim: 2, name: 'emb' }).apply(ids) });
    m.setWeights([new Tensor([5, 2], 'float32', Float32Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]))]);
    const y = await m.predict(new Tensor([1, 3], 'int32', Int32Array.from([4, 0, 2])));
    expect(y.shape).toEqual([1, 3, 2]);
    expectClose(y, [4, 4, 0, 0, 2, 2]);
  });
});
