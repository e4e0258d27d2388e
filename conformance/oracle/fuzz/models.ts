/**
 * A fuzz model as data (inputs, layer nodes, outputs), built into a keras-ts model, with seeded
 * random weights and inputs. Weights come from the PRNG, never from the layers' initializers, so
 * that keras-ts and Keras run the same numbers.
 */
import { deserializeLayer, Input, InputLayer, KerasInternalError, Model, Sequential, Tensor, type KerasTensor, type Layer } from '@keras-ts/keras';
import type { LayerSpec } from './layers.js';
import { Rng } from './rng.js';

export interface InputSpec {
  /** The shape without the batch axis. */
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** One layer call: the layer and the values it is called on (indices: inputs first, then nodes). */
export interface NodeSpec {
  layer: LayerSpec;
  inputs: number[];
}

export interface ModelSpec {
  kind: 'sequential' | 'functional';
  inputs: InputSpec[];
  nodes: NodeSpec[];
  /** Values returned by the model (indices as in {@link NodeSpec.inputs}). */
  outputs: number[];
  /** Samples in the predicted batch. */
  batch: number;
}

/** Keras' to_snake_case: `DepthwiseConv2D` -> `depthwise_conv2d`. */
const snake = (s: string) => s.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

/** The name of node `index`'s layer: its class in snake case and its position (stable names make stable weight paths). */
export const layerName = (spec: LayerSpec, index: number): string => `${snake(spec.class_name)}_${index}`;

/** The layer of a node. */
export function makeLayer(spec: LayerSpec, index: number): Layer {
  return deserializeLayer({ class_name: spec.class_name, config: structuredClone({ ...spec.config, name: layerName(spec, index) }) });
}

/** The input shape (batch axis included) each node's layer was built for, by node; null where unknown. */
export function nodeInputShapes(spec: ModelSpec): ((number | null)[] | null)[] {
  const model = buildModel(spec);
  return spec.nodes.map((n, k) => {
    const shape = model.getLayer(layerName(n.layer, k)).buildInputShape;
    return Array.isArray(shape) && !Array.isArray(shape[0]) ? [...(shape as (number | null)[])] : null;
  });
}

/** Builds the keras-ts model of a spec; throws when keras-ts refuses it. */
export function buildModel(spec: ModelSpec): Model {
  if (spec.kind === 'sequential') {
    const [input] = spec.inputs;
    const layers = spec.nodes.map((n, i) => makeLayer(n.layer, i));
    return new Sequential({ name: 'fuzz', layers: [new InputLayer({ batchInputShape: [null, ...input.shape], dtype: input.dtype, name: 'input_0' }), ...layers] });
  }
  const values: KerasTensor[] = spec.inputs.map((s, i) => Input({ shape: s.shape, dtype: s.dtype, name: `input_${i}` }));
  spec.nodes.forEach((n, i) => {
    const ins = n.inputs.map((v) => values[v]);
    const out = makeLayer(n.layer, i).apply(ins.length === 1 ? ins[0] : ins);
    if (Array.isArray(out)) throw new KerasInternalError(`fuzz: layer ${i} (${n.layer.class_name}) returned ${out.length} outputs; a fuzz model's layers return one`);
    values.push(out);
  });
  const ins = spec.inputs.map((_, i) => values[i]);
  const outs = spec.outputs.map((v) => values[v]);
  return new Model({ name: 'fuzz', inputs: ins.length === 1 ? ins[0] : ins, outputs: outs.length === 1 ? outs[0] : outs });
}

/** Seeded weights for every variable of a model, in `model.weights` order, scaled to keep activations near 1. */
export function randomWeights(model: Model, seed: number): Tensor[] {
  const r = new Rng(seed);
  return model.weights.map((w) => {
    const shape = [...w.shape];
    const n = shape.reduce((a, b) => a * b, 1);
    const leaf = w.path.split('/').at(-1) ?? '';
    const fanIn = shape.length >= 2 ? shape.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
    let draw: () => number;
    if (leaf === 'moving_variance') draw = () => r.uniform(0.5, 2);
    else if (leaf === 'gamma') draw = () => r.uniform(0.5, 1.5);
    else if (leaf === 'moving_mean' || leaf === 'beta' || leaf === 'bias') draw = () => r.uniform(-0.5, 0.5);
    else if (leaf === 'alpha') draw = () => r.uniform(0, 0.5);
    else if (leaf === 'embeddings') draw = () => r.uniform(-1, 1);
    else {
      const a = Math.min(1, 1.5 / Math.sqrt(fanIn));
      draw = () => r.uniform(-a, a);
    }
    if (w.dtype !== 'float32') return new Tensor(shape, w.dtype, Int32Array.from({ length: n }, () => 0));
    return new Tensor(shape, 'float32', Float32Array.from({ length: n }, draw));
  });
}

/** The vocabulary an int input indexes: the smallest input_dim of the Embeddings reading it. */
export function vocabOf(spec: ModelSpec, input: number): number {
  const dims = spec.nodes.filter((n) => n.inputs.includes(input) && n.layer.class_name === 'Embedding').map((n) => n.layer.config.input_dim as number);
  return dims.length ? Math.min(...dims) : 4;
}

/** Whether a model reads its float inputs through Masking (then some time steps are all zeros). */
const masks = (spec: ModelSpec) => spec.nodes.some((n) => n.layer.class_name === 'Masking');

/** Seeded inputs for a spec: floats in [-1, 1], token ids below the vocabulary (zeros included). */
export function randomInputs(spec: ModelSpec, seed: number, batch = spec.batch): Tensor[] {
  const r = new Rng(seed);
  return spec.inputs.map((s, i) => {
    const shape = [batch, ...s.shape];
    const n = shape.reduce((a, b) => a * b, 1);
    if (s.dtype === 'int32') {
      const vocab = vocabOf(spec, i);
      return new Tensor(shape, 'int32', Int32Array.from({ length: n }, () => r.int(0, vocab - 1)));
    }
    const data = Float32Array.from({ length: n }, () => r.uniform(-1, 1));
    if (masks(spec) && s.shape.length === 2) {
      const [t, f] = s.shape;
      for (let b = 0; b < batch; b++) for (let k = t - r.int(0, t - 1); k < t; k++) data.fill(0, (b * t + k) * f, (b * t + k + 1) * f);
    }
    return new Tensor(shape, 'float32', data);
  });
}

/** The layer classes of a spec, wrappers with what they wrap (`Bidirectional(LSTM)`). */
export function layerNames(spec: ModelSpec): string[] {
  return spec.nodes.map((n) => {
    const inner = n.layer.config.layer as LayerSpec | undefined;
    return inner ? `${n.layer.class_name}(${inner.class_name})` : n.layer.class_name;
  });
}

/** A one-line description of a spec: `Sequential [5,3] -> Conv1D{...} -> LSTM{...}`. */
export function describeSpec(spec: ModelSpec): string {
  const ins = spec.inputs.map((s) => `${s.dtype === 'int32' ? 'int' : ''}[${s.shape.join(',')}]`).join(' + ');
  const nodes = spec.nodes.map((n, i) => {
    const args = JSON.stringify(n.layer.config);
    const from = spec.kind === 'functional' ? `(${n.inputs.join(',')})` : '';
    return `${i + spec.inputs.length}:${n.layer.class_name}${args === '{}' ? '' : args}${from}`;
  });
  const outs = spec.kind === 'functional' ? ` => [${spec.outputs.join(',')}]` : '';
  return `${spec.kind} ${ins} -> ${nodes.join(' -> ')}${outs}`;
}

/** The spec without the nodes and inputs no output depends on (indices renumbered). */
export function prune(spec: ModelSpec): ModelSpec {
  if (spec.kind === 'sequential') return spec;
  const nIn = spec.inputs.length;
  const keep = new Set<number>();
  const visit = (v: number) => {
    if (keep.has(v)) return;
    keep.add(v);
    if (v >= nIn) for (const u of spec.nodes[v - nIn].inputs) visit(u);
  };
  spec.outputs.forEach(visit);
  const remap = new Map<number, number>();
  const inputs = spec.inputs.filter((_, i) => keep.has(i));
  spec.inputs.forEach((_, i) => keep.has(i) && remap.set(i, remap.size));
  const nodes: NodeSpec[] = [];
  spec.nodes.forEach((n, k) => {
    if (!keep.has(k + nIn)) return;
    remap.set(k + nIn, inputs.length + nodes.length);
    nodes.push({ layer: n.layer, inputs: n.inputs.map((u) => remap.get(u) as number) });
  });
  const outputs = [...new Set(spec.outputs.map((v) => remap.get(v) as number))];
  return { ...spec, inputs, nodes, outputs };
}
