import type { Sym } from '@keras-ts/spec';
import { deserialize, readConfigAtTopLevel, serialize, type CustomObjects } from '../serialization/registry.js';
import { describeValue, KerasConfigError, KerasShapeError, KerasStateError, KerasValueError } from '../errors.js';
import { uniqueName } from '../naming.js';
import { Input, InputLayer } from './input-layer.js';
import { setKerasMask } from './keras-mask.js';
import { KerasTensor, type SymbolicShape } from './keras-tensor.js';
import { Layer, type CallContext, type InputShape, type LayerArgs, type Mask } from './layer.js';
import { KERAS_VERSION, Model } from './model.js';
import { argKeys, type ArgsDeclaration } from './layer-arg-keys.js';
import { readSequentialArgs, sequentialLayer } from './model-args.js';
import { predictClasses, predictProba } from './predict-classes.js';
import type { PredictArgs } from './training/options.js';
import type { TensorOrList } from './data.js';
import type { Tensor } from '../tensor.js';

export interface SequentialArgs extends LayerArgs {
  /** The layers, in order; the first may be `Input()`'s output (it stands for its InputLayer). */
  layers?: readonly (Layer | KerasTensor)[];
}

/**
 * A linear stack of layers.
 *
 * @example
 * const model = new Sequential([new Dense({ units: 16, activation: 'relu', inputShape: [8] }), new Dense({ units: 1 })]);
 * // or: new Sequential({ layers: [...], name: 'mlp' })
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 */
export class Sequential extends Model<KerasTensor> {
  static override readonly className: string = 'Sequential';
  static override readonly argsSchema: ArgsDeclaration = argKeys('layers');
  private stack: Layer[] = [];
  private inputLayer: InputLayer | null = null;

  /**
   * A Sequential model from a list of layers (Keras' `Sequential(layers, name)`), or from
   * `{ layers, name }`; layers can also be added later with {@link add}.
   */
  constructor(args?: SequentialArgs | readonly (Layer | KerasTensor)[] | Layer, name?: string) {
    const { layers, ...rest } = readSequentialArgs(args, name, new.target === Sequential) as SequentialArgs;
    super({ ...rest, name: rest.name ?? uniqueName('sequential') });
    for (const l of layers ?? []) this.add(l);
  }

  /** The layers, without the InputLayer (as Keras). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  override subLayers(): Layer[] {
    return this.stack;
  }

  /**
   * Adds a layer on top. The first layer may carry the input shape (`inputShape`, or an
   * `InputLayer`), in which case the model is built at once.
   */
  add(layerOrInput: Layer | KerasTensor): void {
    const layer = sequentialLayer(layerOrInput, `add()'s argument (model '${this.name}')`);
    if (layer instanceof InputLayer) {
      if (this.stack.length || this.inputLayer) throw new KerasValueError(`Sequential '${this.name}': an InputLayer can only come first`);
      this.inputLayer = layer;
      return;
    }
    if (this.stack.some((l) => l.name === layer.name)) throw new KerasValueError(`Sequential '${this.name}': all layers must have unique names; '${layer.name}' is already in the model`);
    this.stack.push(layer);
    // A built stack grows by one call of the new layer on the current output (linear in the
    // number of layers); re-tracing the whole stack on every add would be quadratic.
    if (this.stack.length > 1 && this.inputs.length === 1 && this.outputs.length === 1) this.extendGraph(layer);
    else this.rebuildGraph();
  }

  private extendGraph(layer: Layer): void {
    const out = layer.apply(this.outputs[0]);
    if (Array.isArray(out)) {
      this.stack.pop();
      throw new KerasValueError(`Sequential '${this.name}': layer '${layer.name}' has several outputs; use the functional API`);
    }
    this.outputs = [out];
  }

  /**
   * Keras 2.0's `predict_classes` (deprecated; warns once): the argmax of the predictions over the
   * last axis, or `prediction > 0.5` for one unit, as int32.
   * @example const classes = await model.predictClasses(x);
   */
  predictClasses(x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
    return predictClasses(this, x, args);
  }

  /** Keras 2.0's `predict_proba` (deprecated; warns once): the predictions, checked to be probabilities. */
  predictProba(x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
    return predictProba(this, x, args);
  }

  /** Keras' name for {@link predictClasses}. */
  predict_classes(x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
    return this.predictClasses(x, args);
  }

  /** Keras' name for {@link predictProba}. */
  predict_proba(x: TensorOrList, args?: PredictArgs): Promise<Tensor> {
    return this.predictProba(x, args);
  }

  /** Removes the last layer. */
  pop(): Layer {
    const l = this.stack.pop();
    if (!l) throw new KerasStateError(`Sequential '${this.name}' has no layers to pop`);
    this.rebuildGraph();
    return l;
  }

  private get declaredInputShape(): SymbolicShape | null {
    return this.inputLayer?.shape ?? this.stack[0]?.batchInputShape ?? null;
  }

  /** With a known input shape, the stack is traced on placeholders so shapes are known (summary). */
  private rebuildGraph(): void {
    const shape = this.declaredInputShape ?? (this.built && this.buildInputShape ? (this.buildInputShape as SymbolicShape) : null);
    if (!shape || this.stack.length === 0) return;
    const input = this.inputLayer ? this.inputLayer.output : Input({ batchShape: shape });
    if (!this.inputLayer) this.inputLayer = input.source.layer as InputLayer;
    let x: KerasTensor = input;
    for (const l of this.stack) {
      const out = l.apply(x);
      if (Array.isArray(out)) throw new KerasValueError(`Sequential '${this.name}': layer '${l.name}' has several outputs; use the functional API`);
      x = out;
    }
    this.inputs = [input];
    this.outputs = [x];
    this.built = true;
  }

  override build(inputShape: InputShape): void {
    if (this.outputs.length) return;
    const shape = inputShape as SymbolicShape;
    this.inputLayer = new InputLayer({ batchInputShape: [null, ...shape.slice(1)] });
    this.inferredInput = true;
    this.rebuildGraph();
  }

  /**
   * Whether the input shape was inferred from the first data (no input shape declared). Keras 2
   * then relaxes it when later data has other sizes (sequences of another length, say): inputs of
   * the same rank are accepted.
   */
  private inferredInput = false;

  override get outputNames(): string[] {
    return [this.stack.at(-1)?.name ?? 'output_1'];
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const want = this.declaredInputShape;
    const got = Array.isArray(inputs) ? null : (inputs as Sym).shape;
    const relaxed = this.inferredInput && got !== null && want !== null && got.length === want.length;
    if (want && got && !relaxed && (got.length !== want.length || want.some((d, k) => d !== null && d !== got[k]))) {
      const fmt = (s: readonly (number | null)[]) => `(${s.map((d) => d ?? 'None').join(', ')}${s.length === 1 ? ',' : ''})`;
      throw new KerasShapeError(`Input 0 of layer "${this.name}" is incompatible with the layer: expected shape=${fmt(want)}, found shape=${fmt(got)}`);
    }
    let x: Sym | Sym[] = inputs;
    let mask: Mask = ctx.mask;
    for (const l of this.stack) {
      const out = l.apply(x, { training: ctx.training, mask });
      mask = l.computeMask(x, mask);
      x = out;
    }
    if (Array.isArray(x)) throw new KerasValueError(`Sequential '${this.name}': its last layer '${this.stack.at(-1)?.name}' has several outputs; use the functional API`);
    // As Keras 2's `_keras_mask` on the output: the losses and metrics of training read it.
    setKerasMask(x, Array.isArray(mask) ? ((mask as (Sym | null)[])[0] ?? null) : (mask as Sym | null));
    return x;
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    let x: Sym | Sym[] = inputs;
    let m = mask;
    for (const l of this.stack) {
      const out = l.apply(x, { training: false, mask: m });
      m = l.computeMask(x, m);
      x = out;
    }
    return m;
  }

  /** Keras 2 Sequential config: the layers, the first carrying batch_input_shape (files get the interchange dialect, serialization/interchange.ts). */
  override getConfig(): Record<string, unknown> {
    const layers = this.stack.map((l) => serialize(l));
    const shape = this.declaredInputShape;
    // After name and trainable, as tf.keras 2's Layer.get_config orders it (and as the layer itself
    // writes it once rebuilt from this config, so the config round-trips as it is).
    if (shape && layers[0] && !('batch_input_shape' in layers[0].config)) {
      const c = layers[0].config;
      layers[0].config = { name: c.name, trainable: c.trainable, batch_input_shape: [...shape], ...c };
    }
    return { name: this.name, layers };
  }

  override get wireClassName(): string {
    return 'Sequential';
  }

  /** Reads Keras 2 (`layers` list, or a bare list in Keras 1) and Keras 3 (InputLayer first, build_input_shape) configs. */
  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, custom?: CustomObjects): T {
    return readConfigAtTopLevel('layer', 'Sequential', config, () => sequentialFromConfig(config, custom)) as unknown as T;
  }
}

function sequentialFromConfig(config: Record<string, unknown>, custom?: CustomObjects): Sequential {
  if (!config || typeof config !== 'object') throw new KerasConfigError('BAD_CONFIG', `cannot rebuild a Sequential model from ${describeValue(config)}: its config must be an object with "layers" (or, in Keras 1, a list of layers)`);
  const layerSpecs = (Array.isArray(config) ? config : (config.layers as unknown[])) ?? [];
  const name = Array.isArray(config) ? undefined : config.name;
  if (name !== undefined && name !== null && typeof name !== 'string') throw new KerasConfigError('BAD_CONFIG', `Sequential: "name" must be a string, got ${describeValue(name)}`);
  if (!Array.isArray(layerSpecs)) throw new KerasConfigError('BAD_CONFIG', `Sequential '${name ?? ''}': "layers" must be a list of layer configs, got ${describeValue(layerSpecs)}`);
  const model = new Sequential({ name: name ?? undefined });
  for (const spec of layerSpecs) {
    const layer = deserialize<Layer>('layer', spec, custom);
    if (!(layer instanceof Layer)) throw new KerasConfigError('BAD_CONFIG', `Sequential '${model.name}': ${describeValue(spec)} is not a layer`);
    model.add(layer);
  }
  const bis = !Array.isArray(config) ? (config.build_input_shape as SymbolicShape | undefined | null) : undefined;
  if (bis !== undefined && bis !== null && !(Array.isArray(bis) && bis.every((d) => d === null || (Number.isSafeInteger(d) && (d as number) >= 0)))) {
    throw new KerasConfigError('BAD_CONFIG', `Sequential '${model.name}': "build_input_shape" must be a list of sizes (non-negative integers or null), got ${describeValue(bis)}`);
  }
  if (!model.built && bis) model.maybeBuild(bis);
  return model;
}
