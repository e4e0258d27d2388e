import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Sym } from '@keras-ts/spec';
import { Add, Concatenate, Conv1D, Dense, Flatten, GlobalAveragePooling1D, Input, InputLayer, MaxPooling1D, Model, SGD, Sequential, Tensor, deserializeLayer, onlyOutput, outputList, type CallContext } from '../../src/index.js';
import { expectClose, linearData, randn, t } from './helpers.js';

const goldens = fileURLToPath(new URL('../../../../conformance/goldens/keras-3.16.0-torch/', import.meta.url));

/** a [3] and b [2] -> concat -> trunk Dense(4, tanh) -> out Dense(1), aux Dense(2, softmax). */
function twoInTwoOut(name = 'two_in_two_out') {
  const a = Input({ shape: [3], name: 'a' });
  const b = Input({ shape: [2], name: 'b' });
  const h = new Dense({ units: 4, activation: 'tanh', name: 'trunk' }).apply(new Concatenate({ name: 'cat' }).apply([a, b]));
  const out = new Dense({ units: 1, name: 'out' }).apply(h);
  const aux = new Dense({ units: 2, activation: 'softmax', name: 'aux' }).apply(h);
  return new Model({ inputs: [a, b], outputs: [out, aux], name });
}

describe('functional Model: several inputs and outputs', () => {
  it('lists inputs, outputs and layers in Keras order', () => {
    const m = twoInTwoOut();
    expect(m.inputNames).toEqual(['a', 'b']);
    expect(m.outputNames).toEqual(['out', 'aux']);
    expect(m.layers.map((l) => l.name)).toEqual(['a', 'b', 'cat', 'trunk', 'out', 'aux']);
    expect(m.layers[0]).toBeInstanceOf(InputLayer);
    expect(m.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 2]]);
    expect(m.isFunctional).toBe(true);
  });

  it('predicts a list, each output equal to running the layers by hand', async () => {
    const m = twoInTwoOut();
    const xa = randn([5, 3], 1);
    const xb = randn([5, 2], 2);
    const [out, aux] = await m.predict([xa, xb]);
    expect(out.shape).toEqual([5, 1]);
    expect(aux.shape).toEqual([5, 2]);
    const cat = onlyOutput(m.getLayer('cat').apply([xa, xb]));
    const h = onlyOutput(m.getLayer('trunk').apply(cat));
    expectClose(out, onlyOutput(m.getLayer('out').apply(h)).data);
    expectClose(aux, onlyOutput(m.getLayer('aux').apply(h)).data);
    // Softmax rows sum to one.
    for (let i = 0; i < 5; i++) expect(aux.data[2 * i] + aux.data[2 * i + 1]).toBeCloseTo(1, 5);
  });

  it('refuses the wrong number of inputs', async () => {
    const m = twoInTwoOut('needs_two');
    await expect(m.predict(randn([5, 3]))).rejects.toThrow(/needs_two.*expects 2 input\(s\), got 1/);
  });

  it('getLayer by name and by index; an unknown name lists the layers', () => {
    const m = twoInTwoOut('getter');
    expect(m.getLayer('trunk').name).toBe('trunk');
    expect(m.getLayer(2).name).toBe('cat');
    expect(() => m.getLayer('nope')).toThrow(/Model 'getter' has no layer named 'nope'; its layers are a, b, cat, trunk, out, aux/);
    expect(() => m.getLayer(17)).toThrow(/has 6 layers; there is no layer at index 17/);
  });

  it('needs both inputs and outputs', () => {
    expect(() => new Model({ inputs: Input({ shape: [2] }) })).toThrow(/needs both inputs and outputs/);
  });

  it('writes Keras 2 functional JSON and round-trips it (weights, predictions)', async () => {
    const m = twoInTwoOut('rt_two');
    const j = JSON.parse(m.toJSON());
    expect(j.class_name).toBe('Functional');
    expect(j.config.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    expect(j.config.output_layers).toEqual([['out', 0, 0], ['aux', 0, 0]]);
    const byName = Object.fromEntries((j.config.layers as { name: string }[]).map((l) => [l.name, l])) as unknown as Record<string, { class_name: string; inbound_nodes: unknown; config: Record<string, unknown> }>;
    expect(Object.keys(byName)).toEqual(['a', 'b', 'cat', 'trunk', 'out', 'aux']);
    expect(byName.a.class_name).toBe('InputLayer');
    expect(byName.a.inbound_nodes).toEqual([]);
    expect(byName.a.config).toEqual({ batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'a' });
    // Keras 2 inbound_nodes: a list of nodes, each a list of [layer, node_index, tensor_index, kwargs].
    expect(byName.cat.inbound_nodes).toEqual([[['a', 0, 0, {}], ['b', 0, 0, {}]]]);
    expect(byName.trunk.inbound_nodes).toEqual([[['cat', 0, 0, {}]]]);
    expect(byName.aux.inbound_nodes).toEqual([[['trunk', 0, 0, {}]]]);
    // Keys in Keras 2's order.
    expect(Object.keys(j.config.layers[3])).toEqual(['class_name', 'config', 'name', 'inbound_nodes']);

    const back = deserializeLayer(j) as Model;
    expect(JSON.parse(back.toJSON())).toEqual(j);
    back.setWeights(m.getWeights());
    const xs = [randn([4, 3], 5), randn([4, 2], 6)];
    const p1 = await m.predict(xs);
    const p2 = outputList(await back.predict(xs));
    p1.forEach((p, i) => expectClose(p2[i], p.data, 1e-6));
  });
});

describe('functional Model: unknown (None) non-batch dimensions', () => {
  it('stay unknown through the layers whose outputs follow them, as Keras prints them', async () => {
    const inp = Input({ shape: [null, 8] });
    const d = new Dense({ units: 4 }).apply(inp);
    const c = new Conv1D({ filters: 3, kernelSize: 2, strides: 2 }).apply(d);
    const p = new MaxPooling1D({ poolSize: 2 }).apply(c);
    const g = new GlobalAveragePooling1D().apply(p);
    expect([d.shape, c.shape, p.shape, g.shape]).toEqual([
      [null, null, 4],
      [null, null, 3],
      [null, null, 3],
      [null, 3],
    ]);
    const m = new Model({ inputs: inp, outputs: g });
    const lines: string[] = [];
    m.summary(undefined, (l) => void lines.push(l));
    expect(lines.join('\n')).toContain('(None, None, 4)');
    // Any length runs.
    for (const steps of [5, 40]) expect((await m.predict(new Tensor([2, steps, 8], 'float32', new Float32Array(2 * steps * 8).fill(1)))).shape).toEqual([2, 3]);
    // A Dense after flattening an unknown length has no known input size, as in Keras.
    expect(() => new Dense({ units: 2, name: 'after_flatten' }).apply(new Flatten().apply(inp))).toThrow(/Dense 'after_flatten': the last axis of the input must be known, got shape \[None, None\]/);
  });
});

describe('functional Model: shared layers', () => {
  function sharedModel() {
    const x1 = Input({ shape: [4], name: 'x1' });
    const x2 = Input({ shape: [4], name: 'x2' });
    const shared = new Dense({ units: 3, name: 'shared' });
    const y1 = shared.apply(x1);
    const y2 = shared.apply(x2);
    const sum = new Add({ name: 'sum' }).apply([y1, y2]);
    const out = new Dense({ units: 1, name: 'head' }).apply(sum);
    return { model: new Model({ inputs: [x1, x2], outputs: out, name: 'siamese' }), shared };
  }

  it('holds one set of weights for a layer called twice', () => {
    const { model, shared } = sharedModel();
    expect(model.weights.length).toBe(4);
    expect(model.weights.slice(0, 2)).toEqual(shared.weights);
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 + 1);
    expect(shared.inboundNodes.length).toBe(2);
  });

  it('writes both calls as inbound nodes, and the consumers refer to node 0 and node 1', () => {
    const { model } = sharedModel();
    const cfg = model.getConfig() as { layers: { name: string; inbound_nodes: unknown }[] };
    const get = (n: string) => cfg.layers.find((l) => l.name === n)!;
    expect(get('shared').inbound_nodes).toEqual([[['x1', 0, 0, {}]], [['x2', 0, 0, {}]]]);
    expect(get('sum').inbound_nodes).toEqual([[['shared', 0, 0, {}], ['shared', 1, 0, {}]]]);
    // Listed once.
    expect(cfg.layers.filter((l) => l.name === 'shared').length).toBe(1);
  });

  it('round-trips: the rebuilt model shares the layer too, and predicts the same', async () => {
    const { model } = sharedModel();
    const back = deserializeLayer(JSON.parse(model.toJSON())) as Model;
    expect(back.weights.length).toBe(4);
    expect(back.getLayer('shared').inboundNodes.length).toBe(2);
    back.setWeights(model.getWeights());
    const xs = [randn([3, 4], 1), randn([3, 4], 2)];
    expectClose(onlyOutput(await back.predict(xs)), (await model.predict(xs)).data, 1e-6);
    expect(back.getConfig()).toEqual(model.getConfig());
  });

  it('trains the shared weights through both paths (gradients add up)', async () => {
    const { model } = sharedModel();
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const x1 = randn([6, 4], 3);
    const x2 = randn([6, 4], 4);
    const y = randn([6, 1], 5);
    const before = model.getWeights();
    // One step of SGD equals weights - lr * gradient (the gradient is the sum over both calls).
    const { gradients } = await model.computeLossAndGradients([x1, x2], y);
    await model.trainOnBatch([x1, x2], y);
    model.getWeights().forEach((w, i) => expectClose(w, before[i].data.map((v, j) => v - 0.1 * gradients[i].data[j]), 1e-5));
  });

  it('summary shows the "Connected to" column with both nodes of the shared layer', () => {
    const { model } = sharedModel();
    const out: string[] = [];
    model.summary(undefined, (l) => out.push(l));
    expect(out[1]).toBe('_'.repeat(98));
    expect(out[2]).toBe(' Layer (type)                Output Shape                 Param #   Connected to                  ');
    const text = out.join('\n');
    expect(text).toContain("['x1[0][0]',");
    expect(text).toContain("'x2[0][0]']");
    expect(text).toContain("['shared[0][0]',");
    expect(text).toContain("'shared[1][0]']");
    // Both calls give (None, 3), so Keras 2 shows that shape rather than 'multiple'.
    expect(text).toContain(' shared (Dense)              (None, 3)                    15        ');
    expect(text).toContain(' x1 (InputLayer)             [(None, 4)]                  0         []');
  });
});

describe('functional Model: a layer also called outside the model', () => {
  function build() {
    const shared = new Dense({ units: 2, name: 'sh' });
    shared.apply(Input({ shape: [3], name: 'elsewhere' }));
    const x = Input({ shape: [3], name: 'x' });
    const out = new Dense({ units: 1, name: 'o' }).apply(shared.apply(x));
    return new Model({ inputs: x, outputs: out, name: 'outside_call' });
  }

  it("renumbers node indices among the model's own nodes in the config, as Keras 2", () => {
    const cfg = build().getConfig() as { layers: { name: string; inbound_nodes: unknown }[] };
    expect(cfg.layers.map((l) => [l.name, l.inbound_nodes])).toEqual([
      ['x', []],
      ['sh', [[['x', 0, 0, {}]]]],
      ['o', [[['sh', 0, 0, {}]]]],
    ]);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): summary.ts looks at every inbound node of a layer, also those of
  // calls outside the model. Keras 2 keeps only the model's nodes (`relevant_nodes`), so this
  // linear model prints as a sequential-like 65-column table, and no 'elsewhere[0][0]'.
  it("summary ignores the layer's calls outside the model", () => {
    const out: string[] = [];
    build().summary(undefined, (l) => out.push(l));
    expect(out.join('\n')).not.toContain('elsewhere');
    expect(out[1]).toBe('_'.repeat(65));
  });
});

describe('functional Model: nested models', () => {
  function nested() {
    const ix = Input({ shape: [4], name: 'inner_in' });
    const inner = new Model({ inputs: ix, outputs: new Dense({ units: 3, activation: 'relu', name: 'inner_dense' }).apply(ix), name: 'inner' });
    const x = Input({ shape: [4], name: 'outer_in' });
    const h = inner.apply(x);
    const seq = new Sequential({ name: 'seq_block', layers: [new Dense({ units: 2, name: 'seq_dense', inputShape: [3] })] });
    const y = seq.apply(h);
    const out = new Dense({ units: 1, name: 'outer_dense' }).apply(y);
    return { outer: new Model({ inputs: x, outputs: out, name: 'outer' }), inner, seq };
  }

  it('uses a model as a layer: its layers and weights belong to the outer model', async () => {
    const { outer, inner, seq } = nested();
    expect(outer.layers.map((l) => l.name)).toEqual(['outer_in', 'inner', 'seq_block', 'outer_dense']);
    expect(outer.getLayer('inner')).toBe(inner);
    expect(outer.weights.length).toBe(6);
    expect(outer.countParams()).toBe(4 * 3 + 3 + 3 * 2 + 2 + 2 + 1);
    const x = randn([5, 4], 7);
    const byHand = onlyOutput(outer.getLayer('outer_dense').apply(seq.apply(inner.apply(x))));
    expectClose(await outer.predict(x), byHand.data);
  });

  it('writes nested models with their own config and reads them back', async () => {
    const { outer } = nested();
    const j = JSON.parse(outer.toJSON());
    const inner = j.config.layers.find((l: { name: string }) => l.name === 'inner');
    expect(inner.class_name).toBe('Functional');
    expect(inner.config.layers.map((l: { name: string }) => l.name)).toEqual(['inner_in', 'inner_dense']);
    expect(inner.inbound_nodes).toEqual([[['outer_in', 0, 0, {}]]]);
    const seq = j.config.layers.find((l: { name: string }) => l.name === 'seq_block');
    expect(seq.class_name).toBe('Sequential');
    const back = deserializeLayer(j) as Model;
    expect(JSON.parse(back.toJSON())).toEqual(j);
    back.setWeights(outer.getWeights());
    const x = randn([3, 4], 8);
    expectClose(onlyOutput(await back.predict(x)), (await outer.predict(x)).data, 1e-6);
  });

  it('trains the nested weights', async () => {
    const { outer, inner } = nested();
    const before = inner.getWeights();
    outer.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
    const { x, y } = linearData(16, 4);
    await outer.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Array.from(inner.getWeights()[0].data)).not.toEqual(Array.from(before[0].data));
  });
});

describe('functional Model: loading configs written by Keras', () => {
  it('loads a Keras 3 functional config (two_outputs golden) and predicts what Keras predicted', async () => {
    const golden = JSON.parse(readFileSync(`${goldens}models/two_outputs.json`, 'utf8')) as {
      model: unknown;
      weights: { shape: number[]; data: number[] }[];
      inputs: { shape: number[]; data: number[] }[];
      outputs: { shape: number[]; data: number[] }[];
    };
    const m = deserializeLayer(golden.model) as Model;
    expect(m.name).toBe('functional_3');
    expect(m.inputNames).toEqual(['x']);
    expect(m.outputNames).toEqual(['head_a', 'head_b']);
    expect(m.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dense', 'Dense']);
    m.setWeights(golden.weights.map((w) => new Tensor(w.shape, 'float32', Float32Array.from(w.data))));
    const x = new Tensor(golden.inputs[0].shape, 'float32', Float32Array.from(golden.inputs[0].data));
    const outs = outputList(await m.predict(x));
    expect(outs.length).toBe(2);
    outs.forEach((o, i) => {
      expect(o.shape).toEqual(golden.outputs[i].shape);
      expectClose(o, golden.outputs[i].data, 1e-5);
    });
    // What it writes back is Keras 2 JSON.
    const j = JSON.parse(m.toJSON());
    const trunk = j.config.layers[1];
    expect(trunk.config.dtype).toBe('float32');
    expect(trunk.inbound_nodes).toEqual([[['x', 0, 0, {}]]]);
    expect(j.config.layers[0].config.batch_input_shape).toEqual([null, 4]);
  });

  it('loads a Keras 2 functional config written by hand (shared layer, merge, node indices)', async () => {
    const dense = (name: string, units: number, activation = 'linear') => ({
      class_name: 'Dense',
      config: {
        name,
        trainable: true,
        dtype: 'float32',
        units,
        activation,
        use_bias: true,
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
        bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
      },
    });
    const json = {
      class_name: 'Functional',
      config: {
        name: 'model_k2',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' }, name: 'input_1', inbound_nodes: [] },
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], dtype: 'float32', sparse: false, ragged: false, name: 'input_2' }, name: 'input_2', inbound_nodes: [] },
          { ...dense('shared', 2, 'relu'), name: 'shared', inbound_nodes: [[['input_1', 0, 0, {}]], [['input_2', 0, 0, {}]]] },
          { class_name: 'Concatenate', config: { name: 'concatenate', trainable: true, dtype: 'float32', axis: -1 }, name: 'concatenate', inbound_nodes: [[['shared', 0, 0, {}], ['shared', 1, 0, {}]]] },
          { ...dense('dense', 1), name: 'dense', inbound_nodes: [[['concatenate', 0, 0, {}]]] },
        ],
        input_layers: [['input_1', 0, 0], ['input_2', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const m = deserializeLayer(json) as Model;
    expect(m.name).toBe('model_k2');
    expect(m.layers.map((l) => l.name)).toEqual(['input_1', 'input_2', 'shared', 'concatenate', 'dense']);
    // shared: [[1, 0], [0, 1]] + [0, 0] then relu; dense: [1, 2, 3, 4] + 0.5.
    m.setWeights([t([[1, 0], [0, 1]]), t([0, 0]), t([[1], [2], [3], [4]]), t([0.5])]);
    const y = onlyOutput(await m.predict([t([[1, -2]]), t([[3, 4]])]));
    // relu([1, -2]) = [1, 0]; relu([3, 4]) = [3, 4]; 1*1 + 0*2 + 3*3 + 4*4 + 0.5 = 26.5
    expectClose(y, [26.5]);
    const again = JSON.parse(m.toJSON());
    expect(again.config.layers.map((l: { inbound_nodes: unknown }) => l.inbound_nodes)).toEqual(json.config.layers.map((l) => l.inbound_nodes));
  });

  it('reports a config whose layers are never fed', () => {
    const json = {
      class_name: 'Functional',
      config: {
        name: 'broken',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'in' }, name: 'in', inbound_nodes: [] },
          { class_name: 'Dense', config: { name: 'd', units: 1 }, name: 'd', inbound_nodes: [[['ghost', 0, 0, {}]]] },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    };
    expect(() => deserializeLayer(json)).toThrow(/cannot rebuild model 'broken'.*'d'/);
  });
});

describe('subclassed Model', () => {
  class TwoLayer extends Model {
    static override readonly className = 'TwoLayer';
    hidden = new Dense({ units: 8, activation: 'tanh', kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 4 } } });
    out = new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 5 } } });
    override call(x: Sym | Sym[], ctx: CallContext): Sym {
      return this.out.apply(this.hidden.apply(x as Sym, { training: ctx.training }));
    }
  }

  it('finds the weights of the layers held as properties, and trains', async () => {
    const m = new TwoLayer();
    expect(m.isFunctional).toBe(false);
    m.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
    const { x, y } = linearData(64, 4);
    const h = await m.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0, shuffle: false });
    expect(m.weights.map((w) => w.shape)).toEqual([[4, 8], [8], [8, 1], [1]]);
    expect(m.trainableWeights.length).toBe(4);
    expect(m.layers).toEqual([m.hidden, m.out]);
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0] * 0.5);
    const p = await m.predict(x);
    expect(p.shape).toEqual([64, 1]);
  });

  it('is named after its class by default', () => {
    expect(new TwoLayer().name).toMatch(/^two_layer(_\d+)?$/);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): without a `static className` a subclass inherits Model's
  // ('Model'), so the default name is 'model_N'; Keras 2 names it after the class
  // (`class MyNet(keras.Model)` -> 'my_net'). Same for Layer subclasses ('layer').
  it('a subclass without a static className is still named after its class', () => {
    class MyNet extends Model {
      d = new Dense({ units: 1 });
      override call(x: Sym | Sym[]): Sym {
        return this.d.apply(x as Sym);
      }
    }
    expect(new MyNet().name).toMatch(/^my_net(_\d+)?$/);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): Model.summary() refuses any model without functional outputs, so a
  // built subclassed model cannot be summarized. Keras 2 prints it (output shapes 'multiple').
  it('summary() works once a subclassed model is built', async () => {
    const m = new TwoLayer();
    await m.predict(randn([2, 4]));
    const out: string[] = [];
    m.summary(undefined, (l) => out.push(l));
    expect(out.join('\n')).toContain('Total params: 49');
  });
});
