import { interchangeConfig, MODEL_MODULES } from '../serialization/interchange.js';
import type { DType, Sym } from '@keras-ts/spec';
import { classNameOf, deserialize, readConfigAtTopLevel, type CustomObjects, type SerializedObject } from '../serialization/registry.js';
import { describeValue, KerasConfigError, KerasNotImplementedError, KerasShapeError, KerasStateError, KerasTypeError, KerasValueError } from '../errors.js';
import { enterLayerArgs } from './keras1-entry.js';
import { argKeys, type ArgsDeclaration } from './layer-arg-keys.js';
import { checkModelKeys, readModelArgs } from './model-args.js';
import { toSnakeCase, uniqueName } from '../naming.js';
import { mapGraph, nodeInputs, type MappedNode } from './graph-map.js';
import { addLayerLoss, symbolicLosses, type AddedLoss } from './added-losses.js';
import { addLayerMetric, symbolicMetrics, updateAddedMetric, type AddMetricOptions } from './added-metrics.js';
import { currentScope } from './scope.js';
import { loadWeightsFile, saveModelFile, saveWeightsFile, type LoadWeightsOptions, type SaveOptions } from './model-files.js';
import type { ModelSource } from '../saving/sources.js';
import { InputLayer } from './input-layer.js';
import { setKerasMask } from './keras-mask.js';
import { KerasTensor } from './keras-tensor.js';
import { Layer, type CallContext, type LayerArgs, type Mask } from './layer.js';
import { summaryLines } from './summary.js';
import { Trainer } from './trainer.js';

/**
 * A functional model's outputs as given to its constructor: one placeholder, or a list. The type
 * parameter of `Model` keeps which, so `apply` and `predict` are typed to match (the empty tuple
 * makes TypeScript infer lists as tuples, which tells one output from several).
 */
export type ModelOutputs = KerasTensor | readonly KerasTensor[] | readonly [];

/** What `call` returns for outputs `O`: one symbolic tensor, or one per output. */
export type SymOutputs<O> = O extends readonly KerasTensor[] ? { -readonly [K in keyof O]: Sym } : Sym;

export interface ModelArgs<O extends ModelOutputs = ModelOutputs> extends LayerArgs {
  inputs?: KerasTensor | readonly KerasTensor[];
  outputs?: O;
}

/** The Keras 2 version written into saved JSON. */
export const KERAS_VERSION = '2.15.0';

/**
 * A model: layers plus training (`compile`, `fit`, `evaluate`, `predict`, from its base class
 * `Trainer`).
 *
 * - Functional: `new Model({ inputs, outputs })` (or Keras' `new Model(inputs, outputs, name)`)
 *   over placeholders from `Input()`.
 * - Subclassed: extend `Model`, create layers in the constructor, override `call`.
 *
 * @example
 * const x = Input({ shape: [4] });
 * const y = new Dense({ units: 1 }).apply(new Dense({ units: 8, activation: 'relu' }).apply(x));
 * const model = new Model({ inputs: x, outputs: y }); // one output: predict gives a Tensor
 * model.compile({ optimizer: 'adam', loss: 'mse' });
 * await model.fit(xs, ys, { epochs: 5 });
 */
export class Model<O extends ModelOutputs = KerasTensor | readonly KerasTensor[]> extends Trainer {
  static override readonly className: string = 'Model';
  static override readonly argsSchema: ArgsDeclaration = argKeys('inputs', 'outputs');
  inputs: KerasTensor[] = [];
  outputs: KerasTensor[] = [];
  protected inputIsList = false;
  protected outputIsList = false;
  private mapped: MappedNode[] | null = null;
  private graphLayers: Layer[] = [];

  /**
   * A functional model from its inputs and outputs (Keras' `Model(inputs, outputs, name)`), or,
   * with `{ name }` or nothing, the base of a subclassed model.
   */
  constructor(args?: ModelArgs<O>);
  constructor(inputs: KerasTensor | readonly KerasTensor[], outputs: O, name?: string);
  constructor(a0: ModelArgs | KerasTensor | readonly KerasTensor[] = {}, a1?: KerasTensor | readonly KerasTensor[], a2?: string) {
    // Keras 1 spellings (`input`, `output`) are converted first: the arguments are read before Layer's constructor.
    const args = enterLayerArgs(new.target.className, readModelArgs(a0, a1, a2) as ModelArgs);
    // Sequential checks its own arguments; a user's subclass reads arguments of its own.
    if (new.target === Model) checkModelKeys(args as Record<string, unknown>);
    const { inputs, outputs, ...rest } = args;
    const own = Object.prototype.hasOwnProperty.call(new.target, 'className') ? new.target.className : new.target.name;
    super({ ...rest, name: rest.name ?? uniqueName(inputs ? 'model' : toSnakeCase(own)) });
    if (inputs || outputs) {
      if (!inputs || !outputs) throw new KerasValueError(`Model '${this.name}': a functional model needs both inputs and outputs`);
      this.initGraph(inputs, outputs);
    }
  }

  /** The dtypes of the inputs (none for a subclassed model), to which fit, evaluate and predict cast data. */
  protected override get inputDtypes(): (DType | undefined)[] {
    return this.inputs.map((t) => t.dtype);
  }

  /** Whether this is a functional model (built from inputs and outputs). */
  get isFunctional(): boolean {
    return this.mapped !== null;
  }

  /**
   * Makes this a functional model from its input and output KerasTensors: maps the layer graph
   * between them and marks the model built.
   */
  protected initGraph(inputs: KerasTensor | readonly KerasTensor[], outputs: KerasTensor | readonly KerasTensor[]): void {
    this.inputIsList = Array.isArray(inputs);
    this.outputIsList = Array.isArray(outputs);
    this.inputs = toList(inputs, this.name, 'inputs');
    this.outputs = toList(outputs, this.name, 'outputs');
    for (const t of [...this.inputs, ...this.outputs]) {
      if (!(t instanceof KerasTensor)) throw new KerasTypeError(`Model '${this.name}': inputs and outputs must be KerasTensors (from Input() and layers called on them)`);
    }
    // The layers computing losses and metrics added as placeholders (addLoss, addMetric) belong to the model too, as in Keras 2.
    const { nodes, layers } = mapGraph(this.inputs, this.mappedOutputs());
    this.mapped = nodes;
    this.graphLayers = layers;
    this.built = true;
    this.returnsList = this.outputs.length > 1 || this.outputIsList;
  }

  /**
   * Keras' `add_loss`; on a functional model also a KerasTensor computed from the model's inputs
   * (Keras 2's symbolic losses), which the model computes at every training step.
   * @example vae.addLoss(K.mean(K.add(reconstructionLoss, klLoss)));
   */
  override addLoss(loss: AddedLoss | readonly AddedLoss[]): void {
    const list = Array.isArray(loss) ? loss : [loss];
    if (list.some((l) => l instanceof KerasTensor) && !this.mapped) throw new KerasValueError(`${this.label}: a KerasTensor can be added as a loss to a functional model only`);
    if (addLayerLoss(this, loss)) this.remapGraph();
  }

  /**
   * Keras' `add_metric`; on a functional model also a KerasTensor computed from the model's inputs,
   * which the model computes at every train and test step and fit / evaluate log under its name.
   * @example model.addMetric(K.mean(hidden), { name: 'mean_activation', aggregation: 'mean' });
   */
  override addMetric(value: Sym | KerasTensor, options: AddMetricOptions): void {
    if (value instanceof KerasTensor && !this.mapped) throw new KerasValueError(`${this.label}: a KerasTensor can be added as a metric to a functional model only`);
    if (addLayerMetric(this, value, options)) this.remapGraph();
  }

  /** The tensors the functional graph computes: the outputs, then the added losses and metrics. */
  private mappedOutputs(): KerasTensor[] {
    return [...this.outputs, ...symbolicLosses(this), ...symbolicMetrics(this).map((m) => m.tensor)];
  }

  private remapGraph(): void {
    const { nodes, layers } = mapGraph(this.inputs, this.mappedOutputs());
    this.mapped = nodes;
    this.graphLayers = layers;
  }

  /** The model's layers, in Keras' order (functional models include their InputLayers). */
  get layers(): Layer[] {
    return this.mapped ? [...this.graphLayers] : super.subLayers();
  }

  override subLayers(): Layer[] {
    return this.mapped ? this.graphLayers : super.subLayers();
  }

  /** A layer by name or by index in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const l = layers[nameOrIndex];
      if (!l) throw new KerasValueError(`Model '${this.name}' has ${layers.length} layers; there is no layer at index ${nameOrIndex}`);
      return l;
    }
    const l = layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new KerasValueError(`Model '${this.name}' has no layer named '${nameOrIndex}'; its layers are ${layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** Output names, as Keras uses them for per-output losses and metrics. */
  get outputNames(): string[] {
    if (!this.mapped) return ['output_1'];
    return this.outputs.map((o) => o.source.layer.name);
  }

  get inputNames(): string[] {
    return this.inputs.map((i) => i.source.layer.name);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): SymOutputs<O> {
    if (!this.mapped) throw new KerasNotImplementedError(`${this.className} '${this.name}' is a subclassed model and must override call()`);
    const { outputs, masks } = this.runGraph(Array.isArray(inputs) ? inputs : [inputs], ctx.training, ctx.mask, true);
    // As Keras 2's `_keras_mask` on the outputs: the losses and metrics of training read it.
    outputs.forEach((o, i) => setKerasMask(o, masks[i]));
    // One output unless the model was made with a list of outputs, which is what `O` says.
    const result: Sym | Sym[] = outputs.length === 1 && !this.outputIsList ? outputs[0] : outputs;
    return result as SymOutputs<O>;
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    if (!this.mapped) return super.computeMask(inputs, mask);
    const { masks } = this.runGraph(Array.isArray(inputs) ? inputs : [inputs], false, mask);
    return masks.length === 1 ? masks[0] : masks;
  }

  /** Runs the functional graph over symbolic inputs (with optional input masks). */
  protected runGraph(inputs: readonly Sym[], training: boolean, inputMask: Mask, addLosses = false): { outputs: Sym[]; masks: (Sym | null)[] } {
    if (inputs.length !== this.inputs.length) {
      throw new KerasValueError(`Model '${this.name}' expects ${this.inputs.length} input(s), got ${inputs.length}`);
    }
    const values = new Map<number, Sym>();
    const masks = new Map<number, Sym | null>();
    const inMasks = Array.isArray(inputMask) ? inputMask : [inputMask];
    this.inputs.forEach((t, i) => {
      const s = inputs[i];
      const want = t.shape;
      if (s.rank !== want.length || want.some((d, k) => d !== null && d !== s.shape[k])) {
        throw new KerasShapeError(`Model '${this.name}': input ${i} ('${t.name}') must have shape [${want.map((d) => d ?? 'None').join(', ')}], got [${s.shape.join(', ')}]`);
      }
      values.set(t.id, s);
      masks.set(t.id, (inMasks[i] as Sym | null | undefined) ?? null);
    });
    const resolve = (v: unknown): unknown => (v instanceof KerasTensor ? values.get(v.id) : Array.isArray(v) ? v.map(resolve) : v);
    for (const n of this.mapped!) {
      if (n.layer instanceof InputLayer) continue;
      if (n.node.outputs.every((o) => values.has(o.id))) continue;
      for (const x of nodeInputs(n.node)) {
        if (!values.has(x.id)) throw new KerasValueError(`Model '${this.name}': layer '${n.layer.name}' needs '${x.name}', which is not computed yet`);
      }
      const ins = n.node.inputs.map((t) => values.get(t.id)!);
      const ms = n.node.inputs.map((t) => masks.get(t.id) ?? null);
      const arg = n.node.inputIsList ? ins : ins[0];
      const mask: Mask = n.node.inputIsList ? (ms.some((m) => m) ? ms : null) : ms[0];
      const kwargs = Object.fromEntries(Object.entries(n.node.kwargs).map(([k, v]) => [k, resolve(v)]));
      const out = n.layer.apply(arg, { ...kwargs, training, mask });
      const outs = Array.isArray(out) ? out : [out];
      const outMask = n.layer.computeMask(arg, mask);
      const outMasks = Array.isArray(outMask) ? (outMask as (Sym | null)[]) : [outMask as Sym | null];
      n.node.outputs.forEach((o, k) => {
        if (!outs[k]) throw new KerasValueError(`layer '${n.layer.name}' returned ${outs.length} output(s); the model expects more`);
        values.set(o.id, outs[k]);
        masks.set(o.id, outMasks[k] ?? null);
      });
    }
    // Losses added as placeholders (addLoss) join the loss of the step being traced.
    const scope = currentScope();
    if (scope && addLosses) for (const t of symbolicLosses(this)) scope.addLoss(values.get(t.id)!);
    if (scope && addLosses) for (const m of symbolicMetrics(this)) updateAddedMetric(this, m.name, values.get(m.tensor.id)!);
    return { outputs: this.outputs.map((o) => values.get(o.id)!), masks: this.outputs.map((o) => masks.get(o.id) ?? null) };
  }

  /**
   * Prints Keras 2's summary table (or passes each line to `printFn`).
   * @example model.summary();
   */
  summary(lineLength?: number, printFn: (line: string) => void = (l) => console.log(l)): void {
    if (!this.built) throw new KerasStateError(`model '${this.name}' has not been built yet: call it on data, or give the first layer an input shape, before summary()`);
    for (const line of summaryLines(this, lineLength)) printFn(line);
  }

  /**
   * Keras 2's `model.save`: the architecture, weights and training config in one file (`.keras`
   * by default, `.h5` as Keras 2, or TF.js), as `saveModel` does.
   * @example await model.save('mnist.h5');
   */
  save(path: string, options?: SaveOptions): Promise<void> {
    return saveModelFile(this, path, options);
  }

  /**
   * Keras 2's `model.save_weights`: the weights only (`.h5` as Keras 2, `.weights.h5` as Keras 3).
   * @example await model.saveWeights('weights.h5');
   */
  saveWeights(path: string): Promise<void> {
    return saveWeightsFile(this, path);
  }

  /** Keras' name for {@link saveWeights}. */
  save_weights(path: string): Promise<void> {
    return this.saveWeights(path);
  }

  /**
   * Keras 2's `model.load_weights`: weights from a file, URL or bytes into this model.
   * @example await model.loadWeights('weights.h5');
   */
  loadWeights(source: ModelSource, options?: LoadWeightsOptions): Promise<void> {
    return loadWeightsFile(this, source, options);
  }

  /** Keras' name for {@link loadWeights}. */
  load_weights(source: ModelSource, options?: LoadWeightsOptions): Promise<void> {
    return this.loadWeights(source, options);
  }

  // ---- serialization ------------------------------------------------------------------

  /** Keras 2 functional config: layers with inbound_nodes, input_layers and output_layers. */
  override getConfig(): Record<string, unknown> {
    if (!this.mapped) return { name: this.name, trainable: this.trainable };
    const nodeKey = new Map<object, number>();
    const local = new Map<Layer, number>();
    const inModel = new Set(this.mapped.map((n) => n.node));
    // Node indices are renumbered among the nodes that belong to this model, as Keras does.
    for (const layer of this.graphLayers) {
      layer.inboundNodes.forEach((node) => {
        if (!inModel.has(node)) return;
        const k = local.get(layer) ?? 0;
        nodeKey.set(node, k);
        local.set(layer, k + 1);
      });
    }
    const ref = (t: KerasTensor) => [t.source.layer.name, nodeKey.get(t.source.layer.inboundNodes[t.source.nodeIndex]) ?? 0, t.source.tensorIndex];
    const serializeKwargs = (kw: Readonly<Record<string, unknown>>) => {
      const walk = (v: unknown): unknown => (v instanceof KerasTensor ? ref(v) : Array.isArray(v) ? v.map(walk) : v);
      return Object.fromEntries(Object.entries(kw).map(([k, v]) => [k, walk(v)]));
    };
    const layers = this.graphLayers.map((layer) => {
      // A layer whose Keras call takes its tensors as separate arguments (MultiHeadAttention's
      // query, value, key) is written as Keras 2 writes it: the first tensor, the others as
      // keyword arguments by name (Keras 3 reads nothing else for such a layer).
      const argNames = (layer.constructor as { callArgNames?: readonly string[] }).callArgNames;
      const inbound = layer.inboundNodes
        .filter((node) => inModel.has(node) && node.inputs.length > 0)
        .map((node) =>
          argNames && node.inputs.length > 1
            ? [[...ref(node.inputs[0]), { ...serializeKwargs(node.kwargs), ...Object.fromEntries(node.inputs.slice(1).map((t, i) => [argNames[i + 1], ref(t)])) }]]
            : node.inputs.map((t, i) => [...ref(t), i === 0 ? serializeKwargs(node.kwargs) : {}]),
        );
      return { class_name: layer instanceof Model ? layer.wireClassName : classNameOf(layer), config: layer.getConfig(), name: layer.name, inbound_nodes: inbound };
    });
    return { name: this.name, trainable: this.trainable, layers, input_layers: this.inputs.map(ref), output_layers: this.outputs.map(ref) };
  }

  /** The class name written for this model: 'Functional' for functional models. */
  get wireClassName(): string {
    return this.mapped && (this.constructor as typeof Model).className === 'Model' ? 'Functional' : classNameOf(this);
  }

  /**
   * The model as Keras JSON (what `model.to_json()` writes), in the dialect that Keras 2's and
   * Keras 3's `model_from_json` both read (serialization/interchange.ts).
   * @example writeFileSync('model.json', model.toJSON());
   */
  toJSON(): string {
    const cls = this.wireClassName;
    const config = interchangeConfig(cls, this.getConfig(), { inputDtype: this.inputs[0]?.dtype, inputKey: 'batch_input_shape' });
    return JSON.stringify({ module: MODEL_MODULES[cls] ?? null, class_name: cls, config, registered_name: cls === 'Sequential' ? null : cls, keras_version: KERAS_VERSION, backend: 'tensorflow' });
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    return functionalFromConfig(config, custom) as unknown as T;
  }
}

type Keras2Ref = [string, number, number, Record<string, unknown>?];

/** A tensor reference whose layer has not produced it yet. */
const MISSING = Symbol('missing');
interface Keras3Tensor {
  class_name: '__keras_tensor__';
  config: { shape: (number | null)[]; dtype: string; keras_history: [string, number, number] };
}

/**
 * Rebuilds a functional model from its config, Keras 2 (`inbound_nodes: [[[name, node, tensor, kwargs]]]`)
 * or Keras 3 (`inbound_nodes: [{args: [...__keras_tensor__...], kwargs}]`).
 */
export function functionalFromConfig(config: Record<string, unknown>, custom?: CustomObjects): Model {
  return readConfigAtTopLevel('layer', 'Functional', config, () => readFunctional(config, custom));
}

function readFunctional(config: Record<string, unknown>, custom?: CustomObjects): Model {
  if (!config || typeof config !== 'object' || Array.isArray(config)) throw new KerasConfigError('BAD_CONFIG', `cannot rebuild a functional model from ${describeValue(config)}: its config must be an object with "layers", "input_layers" and "output_layers"`);
  const modelName = typeof config.name === 'string' ? config.name.slice(0, 200) : '';
  const bad = (what: string) => new KerasConfigError('BAD_CONFIG', `cannot rebuild model '${modelName}': ${what}`);
  const layerSpecs = (config.layers ?? []) as (SerializedObject & { name?: string; inbound_nodes?: unknown[] })[];
  if (!Array.isArray(layerSpecs)) throw bad(`"layers" must be a list of layer configs, got ${describeValue(layerSpecs)}`);
  const layers = new Map<string, Layer>();
  const created = new Map<string, KerasTensor[][]>();
  const names: string[] = [];
  for (const spec of layerSpecs) {
    const layer = deserialize<Layer>('layer', spec, custom);
    if (!(layer instanceof Layer)) throw bad(`${describeValue(spec)} is not a layer`);
    if (spec.name !== undefined && typeof spec.name !== 'string') throw bad(`a layer's "name" must be a string, got ${describeValue(spec.name)}`);
    if (spec.inbound_nodes !== undefined && !Array.isArray(spec.inbound_nodes)) throw bad(`layer '${layer.name}': "inbound_nodes" must be a list, got ${describeValue(spec.inbound_nodes)}`);
    const name = spec.name ?? layer.name;
    if (layers.has(name)) throw bad(`two layers are named '${name}'; layer names must be unique`);
    layers.set(name, layer);
    names.push(name);
    created.set(name, layer instanceof InputLayer ? [[layer.output]] : []);
  }
  /** The layer whose output the last failed lookup wanted (to wait for it). */
  let missingLayer: string | null = null;
  const tensorOf = (layerName: string, node: number, tensor: number): KerasTensor | undefined => {
    const t = created.get(layerName)?.[node]?.[tensor];
    if (!t) missingLayer = layerName;
    return t;
  };
  const pending = layerSpecs.map((s, i) => ({ name: names[i], nodes: [...(s.inbound_nodes ?? [])] })).filter((p) => !(layers.get(p.name) instanceof InputLayer));

  const parseNode = (raw: unknown): { args: unknown; isList: boolean; kwargs: Record<string, unknown> } | null => {
    const convert = (v: unknown): unknown => {
      if (v && typeof v === 'object' && (v as Keras3Tensor).class_name === '__keras_tensor__') {
        const history = (v as Keras3Tensor).config?.keras_history;
        if (!Array.isArray(history) || history.length < 3) throw bad(`a __keras_tensor__ needs "keras_history": [layer_name, node_index, tensor_index], got ${describeValue(v)}`);
        const [n, i, t] = history;
        return tensorOf(n, i, t) ?? MISSING;
      }
      if (Array.isArray(v)) return v.map(convert);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
      return v;
    };
    const ready = (v: unknown): boolean => (v === MISSING ? false : Array.isArray(v) ? v.every(ready) : v && typeof v === 'object' && !(v instanceof KerasTensor) ? Object.values(v).every(ready) : true);
    if (Array.isArray(raw)) {
      // Keras 2: a list of [layer, node, tensor, kwargs] entries.
      const refs = raw as Keras2Ref[];
      if (!refs.every((r) => Array.isArray(r) && r.length >= 3)) throw bad(`an inbound node must list [layer_name, node_index, tensor_index, kwargs] entries, got ${describeValue(raw)}`);
      const ts = refs.map(([n, i, t]) => tensorOf(n, i, t) ?? MISSING);
      if (ts.some((t) => t === MISSING)) return null;
      const kwargs = (refs[0]?.[3] ?? {}) as Record<string, unknown>;
      const kw = Object.fromEntries(
        Object.entries(kwargs).map(([k, v]) => [k, Array.isArray(v) && typeof v[0] === 'string' ? tensorOf(...(v as [string, number, number])) ?? MISSING : Array.isArray(v) && Array.isArray(v[0]) ? (v as [string, number, number][]).map((r) => tensorOf(...r) ?? MISSING) : v]),
      );
      if (!ready(kw)) return null;
      return { args: ts.length === 1 ? ts[0] : ts, isList: ts.length > 1, kwargs: kw };
    }
    const node = raw as { args: unknown[]; kwargs?: Record<string, unknown> };
    if (!node || typeof node !== 'object' || !Array.isArray(node.args) || (node.kwargs !== undefined && (typeof node.kwargs !== 'object' || Array.isArray(node.kwargs)))) {
      throw bad(`an inbound node must be {"args": [...], "kwargs": {...}} (Keras 3) or a list of [layer_name, node_index, tensor_index, kwargs] (Keras 2), got ${describeValue(raw)}`);
    }
    const args = convert(node.args) as unknown[];
    const kwargs = convert(node.kwargs ?? {}) as Record<string, unknown>;
    if (!ready(args) || !ready(kwargs)) return null;
    // Several positional tensors (MultiHeadAttention's query and value) are passed as a list.
    const first = args.length > 1 ? args : args[0];
    return { args: first, isList: Array.isArray(first), kwargs };
  };

  // A worklist: a layer whose next node lacks an input waits for the layer that makes it, and is
  // taken up again when that layer has run, so any order of the layers list costs linear work.
  const waiting = new Map<string, (typeof pending)[number][]>();
  const queue = [...pending];
  for (let q = 0; q < queue.length; q++) {
    const p = queue[q];
    while (p.nodes.length) {
      missingLayer = null;
      const parsed = parseNode(p.nodes[0]);
      if (!parsed) {
        if (missingLayer !== null) {
          const list = waiting.get(missingLayer) ?? [];
          list.push(p);
          waiting.set(missingLayer, list);
        }
        break;
      }
      p.nodes.shift();
      const layer = layers.get(p.name)!;
      const { mask: _mask, training: _training, ...kwargs } = parsed.kwargs;
      const out = layer.apply(symbolicArgs(parsed.args, layer.name), kwargs);
      created.get(p.name)!.push(Array.isArray(out) ? out : [out]);
      const woken = waiting.get(p.name);
      if (woken) {
        waiting.delete(p.name);
        queue.push(...woken.filter((w) => w !== p));
      }
    }
  }
  const stuck = pending.filter((p) => p.nodes.length);
  if (stuck.length) throw bad(`the inputs of layer(s) ${stuck.map((p) => `'${p.name}'`).join(', ')} are never produced`);

  const refs = (v: unknown, key: string): KerasTensor[] => {
    const list = (v ?? []) as unknown[];
    if (!Array.isArray(list) || !(typeof list[0] === 'string' || list.every((r) => Array.isArray(r) && r.length >= 3))) {
      throw bad(`"${key}" must be a list of [layer_name, node_index, tensor_index], got ${describeValue(v)}`);
    }
    // Keras 2 writes [[name, node, tensor], ...]; a single output may be written as [name, node, tensor].
    const items = typeof list[0] === 'string' ? [list as [string, number, number]] : (list as [string, number, number][]);
    return items.map(([n, i, t]) => {
      const x = tensorOf(n, i, t);
      if (!x) throw bad(`it refers to layer ${describeValue(n)} node ${describeValue(i)} tensor ${describeValue(t)}, which does not exist`);
      return x;
    });
  };
  const ins = refs(config.input_layers, 'input_layers');
  const outs = refs(config.output_layers, 'output_layers');
  if (!ins.length || !outs.length) throw bad(`it has no ${ins.length ? 'output' : 'input'}s ("${ins.length ? 'output' : 'input'}_layers" is empty)`);
  const inList = !(typeof (config.input_layers as unknown[])?.[0] === 'string') && ins.length > 1;
  const outList = !(typeof (config.output_layers as unknown[])?.[0] === 'string') && outs.length > 1;
  return new Model({ name: config.name as string, trainable: config.trainable as boolean | undefined, inputs: inList ? ins : ins[0], outputs: outList ? outs : outs[0] });
}

/** One KerasTensor or a list of them, as a new list. */
function toList(x: KerasTensor | readonly KerasTensor[], model: string, what: string): KerasTensor[] {
  if (x instanceof KerasTensor) return [x];
  if (Array.isArray(x)) return [...x];
  throw new KerasTypeError(`Model '${model}': ${what} must be a KerasTensor or a list of them (from Input() and layers called on them), got ${describeValue(x)}`);
}

/** A node's arguments read from a config: the KerasTensor, or the list of them, a layer is called on. */
function symbolicArgs(args: unknown, layer: string): KerasTensor | KerasTensor[] {
  if (args instanceof KerasTensor) return args;
  if (Array.isArray(args) && args.length > 0 && args.every((a) => a instanceof KerasTensor)) return args;
  throw new KerasConfigError('BAD_CONFIG', `layer '${layer}' is called on ${describeValue(args)}; a functional config's inbound node must refer to layer outputs`);
}
