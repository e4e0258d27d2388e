import { Graph, fmtShape, ops, Sym, withGraph, type DType, type TensorInfo } from '@keras-ts/spec';
import { z } from 'zod';
import { uniqueName, toSnakeCase, snakeToCamel } from '../naming.js';
import { classNameOf, noteLayerClass, type CustomObjects, type Serializable, type SerializableClass } from '../serialization/registry.js';
import { Tensor } from '../tensor.js';
import { FunctionCache, signatureOf, traceKeras, type CompiledFunction } from './execute.js';
import { KerasTensor, type LayerNode, type SymbolicShape } from './keras-tensor.js';
import { TraceScope, currentScope, withScope } from './scope.js';
import { Variable, type VariableConstraint, type VariableRegularizer } from './variable.js';
import { chargeWeight } from '../limits/weight-budget.js';
import { checkOutputElements } from '../limits/file-limits.js';
import { enterLayerArgs, keras2Args } from './keras1-entry.js';
import { checkArgKeys, isLayerArgs, markLayerArgs, markWireArgs } from '../arguments/strict-args.js';
import { checkLayerArgs, type ArgsDeclaration } from './layer-arg-keys.js';
import { addLayerLoss, type AddedLoss } from './added-losses.js';
import { addLayerMetric, type AddMetricOptions } from './added-metrics.js';
import { KerasNotImplementedError, KerasShapeError, KerasTypeError, KerasValueError } from '../errors.js';

/** Arguments every layer takes (camelCase; the config uses the snake_case spelling). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  dtype?: string | null;
  /** Keras 2: the input shape without the batch axis (first layer of a Sequential). */
  inputShape?: readonly (number | null)[] | null;
  /** Keras 2: the input shape with the batch axis. */
  batchInputShape?: readonly (number | null)[] | null;
  batchSize?: number | null;
  /** Keras 2: shorthand for inputShape [inputDim] (Dense, Embedding). */
  inputDim?: number | null;
  [key: string]: unknown;
}

/** The mask(s) that travel with a layer's inputs: null where there is none. */
export type Mask = Sym | null | readonly (Sym | null)[];

/** What a layer's `call` gets besides its inputs. */
export interface CallContext {
  readonly training: boolean;
  readonly mask: Mask;
  /** Extra call arguments (such as `initial_state`, `return_attention_scores`). */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** Shapes as `build` receives them: one shape, or one per input for layers called on a list. */
export type InputShape = SymbolicShape | readonly SymbolicShape[];

/** Something that produces an initial value for a weight. */
export interface WeightInitializer {
  /** The initial value of a weight of `shape` and `dtype`. */
  init(shape: readonly number[], dtype: DType): Tensor;
}

export interface AddWeightOptions {
  name: string;
  shape: readonly number[];
  initializer: WeightInitializer;
  dtype?: DType;
  trainable?: boolean;
  regularizer?: VariableRegularizer | null;
  constraint?: VariableConstraint | null;
}

/** What `apply` is called on: placeholders, symbolic tensors or concrete tensors (one or a list). */
export type ApplyInputs = KerasTensor | readonly KerasTensor[] | Sym | readonly Sym[] | Tensor | readonly Tensor[];

/** What `apply` takes besides its inputs: the training flag, a mask (a concrete one on concrete tensors) and extra call arguments. */
export type ApplyKwargs = {
  training?: boolean;
  mask?: Mask | Tensor | readonly (Tensor | null)[];
  /** Attention layers: also return the attention scores (`[output, scores]`). */
  return_attention_scores?: boolean;
  [k: string]: unknown;
};

/**
 * What `apply` returns for a layer whose `call` returns `R`, applied on tensors of kind `T`
 * (`KerasTensor`, `Sym` or `Tensor`): a list when `call` returns a list, else one; a `call` that
 * may return either (an RNN's `return_state`) gives either.
 */
export type Outputs<R, T> = R extends readonly unknown[] ? T[] : T;

/**
 * A layer whose `call` returns `[output, scores]` when its call arguments set
 * `return_attention_scores` (the attention layers), else the output.
 */
export interface ScoresOnRequest {
  readonly returnsScoresOnRequest: true;
}

/** What `apply` returns for a {@link ScoresOnRequest} layer called with arguments `K`. */
export type ScoresOutputs<K, T> = K extends { return_attention_scores: infer A } ? (A extends true ? T[] : A extends false | null | undefined ? T : T | T[]) : T;

/** What `layer.apply` returns when applied on tensors of kind `T` with call arguments `K`. */
export type LayerOutput<L extends Layer, T, K = {}> = L extends ScoresOnRequest ? ScoresOutputs<K, T> : Outputs<ReturnType<L['call']>, T>;

const baseArgs = z.looseObject({
  name: z.string().min(1).optional(),
  trainable: z.boolean().optional(),
  dtype: z.string().nullable().optional(),
  inputShape: z.array(z.number().int().nonnegative().nullable()).nullable().optional(),
  batchInputShape: z.array(z.number().int().nonnegative().nullable()).nullable().optional(),
  batchSize: z.number().int().positive().nullable().optional(),
  inputDim: z.number().int().positive().nullable().optional(),
});

/**
 * Validates arguments against a zod schema; a failure names the layer class, the layer, the
 * argument, the value received and what was expected. A plain `z.object` schema holds every
 * argument: a key it does not know is refused, naming the nearest one it does (configs read from
 * files excepted). A layer's constructor arguments are the exception: they are spread over the
 * layer's classes, and `Layer`'s constructor checks their keys against all of them (see
 * `Layer.argsSchema`), so a schema of some of them may be a plain `z.object` or a `z.looseObject`.
 */
export function parseArgs<T>(schema: z.ZodType<T>, given: unknown, what: string): T {
  // A layer's constructor arguments are read as the layer entered them (Keras 1 spellings converted).
  const args = keras2Args(given);
  if (schema instanceof z.ZodObject && !schema.def.catchall && !isLayerArgs(args)) checkArgKeys(args, Object.keys(schema.shape), what);
  const r = schema.safeParse(args);
  if (r.success) return r.data;
  const msgs = r.error.issues.map((i) => {
    const key = i.path.map(String).join('.');
    let v: unknown = args;
    for (const k of i.path) v = (v as Record<PropertyKey, unknown> | undefined)?.[k];
    const shown = v === undefined ? 'nothing' : JSON.stringify(v);
    return `argument '${key || '(arguments)'}' got ${shown}: ${i.message}`;
  });
  throw new KerasValueError(`${what}: ${msgs.join('; ')}`);
}

function shapes0(inputs: readonly KerasTensor[]): SymbolicShape[] {
  return inputs.map((t) => t.shape);
}

function isShapeList(s: InputShape): s is readonly SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/**
 * The base class of every layer. Subclasses create weights in `build` with `addWeight`, compute
 * in `call` with `ops.*` over symbolic tensors, and list their arguments in `getConfig`.
 *
 * @example
 * class Scale extends Layer {
 *   static readonly className = 'Scale';
 *   private w!: Variable;
 *   override build(shape: InputShape) {
 *     this.w = this.addWeight({ name: 'w', shape: [(shape as SymbolicShape).at(-1)!], initializer: new Ones() });
 *   }
 *   override call(x: Sym) { return ops.mul(x, this.w.read()); }
 * }
 */
export abstract class Layer implements Serializable {
  static readonly className: string = 'Layer';
  /**
   * The constructor arguments the class reads besides its parent class's (a zod object; its keys
   * are what count). A class that declares its own, even an empty `z.object({})`, has unknown
   * arguments refused when constructed, naming the nearest accepted one; a subclass that does not
   * (a user's layer, which reads arguments of its own) is not checked.
   */
  static readonly argsSchema: ArgsDeclaration | null = baseArgs;

  name: string;
  private _trainable: boolean;
  readonly dtype: DType = 'float32';
  built = false;
  /** A penalty on the layer's outputs added to the training loss (Keras' activity_regularizer). */
  activityRegularizer: (VariableRegularizer & Serializable) | null = null;
  /** Whether the layer passes an incoming mask through unchanged (when it does not compute one). */
  supportsMasking = false;
  /** The batch input shape given at construction (Keras 2 `input_shape` / `batch_input_shape`). */
  readonly batchInputShape: SymbolicShape | null;
  /** The input shape the layer was built for (for `build_config`). */
  buildInputShape: InputShape | null = null;
  readonly inboundNodes: LayerNode[] = [];
  private readonly ownWeights: Variable[] = [];
  private readonly eagerCache = new FunctionCache();

  constructor(args: LayerArgs = {}) {
    // Keras 1 spellings are converted here, into a new object; the subclass constructors, which
    // hold the caller's object, read that one through parseArgs (see keras1-entry.ts).
    args = enterLayerArgs(new.target.className, args);
    checkLayerArgs(new.target, args);
    markLayerArgs(args);
    const a = parseArgs(baseArgs, args, `${new.target.className ?? new.target.name}`);
    const cls = new.target as unknown as { className: string; name: string };
    noteLayerClass(new.target as unknown as SerializableClass);
    // A subclass without its own static className is named after its JavaScript class, as Keras does.
    const own = Object.prototype.hasOwnProperty.call(cls, 'className') ? cls.className : cls.name;
    this.name = a.name ?? uniqueName(toSnakeCase(own));
    this._trainable = a.trainable ?? true;
    if (a.dtype && a.dtype !== 'float32') throw new KerasNotImplementedError(`${cls.className} '${this.name}': dtype '${a.dtype}' is not supported; layers compute in float32`);
    if (a.batchInputShape) this.batchInputShape = a.batchInputShape;
    else if (a.inputShape) this.batchInputShape = [a.batchSize ?? null, ...a.inputShape];
    else if (a.inputDim) this.batchInputShape = [a.batchSize ?? null, a.inputDim];
    else this.batchInputShape = null;
  }

  get className(): string {
    return classNameOf(this);
  }

  /** A description for messages: `Dense 'dense_1'`. */
  get label(): string {
    return `${this.className} '${this.name}'`;
  }

  get trainable(): boolean {
    return this._trainable;
  }

  set trainable(value: boolean) {
    this._trainable = value;
    for (const l of this.subLayers()) l.trainable = value;
  }

  /** Creates the layer's weights for an input shape. The default creates none. */
  build(_inputShape: InputShape): void {}

  /** The computation, over symbolic tensors. */
  abstract call(inputs: Sym | Sym[], ctx: CallContext): Sym | Sym[];

  /**
   * The mask of the output. By default a layer that supports masking passes its input's mask
   * through, and others drop it.
   */
  computeMask(_inputs: Sym | Sym[], mask: Mask): Mask {
    if (!this.supportsMasking) return null;
    return Array.isArray(mask) ? (mask as (Sym | null)[])[0] ?? null : mask;
  }

  /** Sublayers held by this layer (found among its own properties, in declaration order). */
  subLayers(): Layer[] {
    const out: Layer[] = [];
    for (const v of Object.values(this)) {
      if (v instanceof Layer && v !== this) out.push(v);
      else if (Array.isArray(v)) for (const x of v) if (x instanceof Layer) out.push(x);
    }
    return out;
  }

  /**
   * Keras' `add_loss`: a symbolic tensor inside `call` (added to this step's loss), a KerasTensor
   * on a functional model (computed from its inputs at every step), or a function returning a
   * symbolic tensor (called at every step). See `added-losses.ts`.
   * @example this.addLoss(ops.mul(ops.mean(ops.square(x)), 0.01)); // inside call
   */
  addLoss(loss: AddedLoss | readonly AddedLoss[]): void {
    addLayerLoss(this, loss);
  }

  /**
   * Keras' `add_metric`: a value fit and evaluate log under `options.name` (its running mean over
   * the batches): a symbolic tensor inside `call`, or a KerasTensor on a functional model. See
   * `added-metrics.ts`.
   * @example this.addMetric(ops.mean(x), { name: 'mean_activation', aggregation: 'mean' }); // inside call
   */
  addMetric(value: Sym | KerasTensor, options: AddMetricOptions): void {
    addLayerMetric(this, value, options);
  }

  /** Adds a weight; its initial value comes from the initializer, on the host. */
  addWeight(o: AddWeightOptions): Variable {
    const dtype = o.dtype ?? 'float32';
    // Refuse a weight over the memory budget before allocating it (configs from files).
    chargeWeight(this.name, o.name, o.shape, dtype);
    const v = new Variable(o.name, o.initializer.init(o.shape, dtype), o.trainable ?? true, `${this.name}/${o.name}`);
    v.regularizer = o.regularizer ?? null;
    v.constraint = o.constraint ?? null;
    this.ownWeights.push(v);
    return v;
  }

  /** All weights: own trainable, own non-trainable, then each sublayer's (Keras' order). */
  get weights(): Variable[] {
    const own = [...this.ownWeights.filter((w) => w.trainable), ...this.ownWeights.filter((w) => !w.trainable)];
    const seen = new Set(own);
    for (const l of this.subLayers()) for (const w of l.weights) if (!seen.has(w)) (seen.add(w), own.push(w));
    return own;
  }

  get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    const own = this.ownWeights.filter((w) => w.trainable);
    const seen = new Set(own);
    for (const l of this.subLayers()) for (const w of l.trainableWeights) if (!seen.has(w)) (seen.add(w), own.push(w));
    return own;
  }

  get nonTrainableWeights(): Variable[] {
    const t = new Set(this.trainableWeights);
    return this.weights.filter((w) => !t.has(w));
  }

  /** The weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.value.clone());
  }

  /** Sets every weight, in `weights` order; counts and shapes must match exactly. */
  setWeights(values: readonly { shape: readonly number[]; dtype: DType; data: Tensor['data'] }[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new KerasValueError(`${this.label} has ${ws.length} weight(s) (${ws.map((w) => `${w.path} ${fmtShape(w.shape)}`).join(', ')}); got ${values.length} value(s)`);
    }
    // Check every shape before assigning any, so a bad list changes nothing.
    ws.forEach((w, i) => {
      if (fmtShape(w.shape) !== fmtShape(values[i].shape)) {
        throw new KerasShapeError(`${this.label}: weight ${i} ('${w.path}') has shape ${fmtShape(w.shape)}, the value given has shape ${fmtShape(values[i].shape)}`);
      }
    });
    ws.forEach((w, i) => w.assign(Tensor.from(values[i] as Tensor)));
  }

  /**
   * The number of scalars in the layer's weights (trainable and non-trainable), as Keras'
   * `count_params`.
   */
  countParams(): number {
    return this.weights.reduce((n, w) => n + w.value.size, 0);
  }

  /** The layer's config, in Keras 2's snake_case wire format. */
  getConfig(): Record<string, unknown> {
    // Keras 2's order: name, trainable, batch_input_shape (when given), dtype.
    const c: Record<string, unknown> = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) c.batch_input_shape = [...this.batchInputShape];
    c.dtype = this.dtype;
    return c;
  }

  /** Rebuilds a layer from its config: snake_case keys become the camelCase arguments. */
  static fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, _custom?: CustomObjects): T {
    return new this(configToArgs(config));
  }

  /** Builds the layer once, for the given input shape(s). */
  maybeBuild(shape: InputShape): void {
    if (this.built) return;
    this.build(shape);
    this.buildInputShape = shape;
    this.built = true;
  }

  /**
   * Output shape for an input shape, by tracing `call` on placeholders (unknown dimensions are
   * traced as 1, and the batch axis comes back unknown). Layers may override it.
   */
  computeOutputShape(inputShape: InputShape): SymbolicShape | SymbolicShape[] {
    this.maybeBuild(inputShape);
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const trace = (standIn: number) =>
      this.traceOutputs(
        shapes.map((s) => ({ shape: s.map((d, k) => d ?? (k === 0 ? 1 : standIn)), dtype: 'float32' as DType })),
        isShapeList(inputShape),
        [],
        {},
        standIn,
      ).outputs.map((o) => o.shape);
    const outs = followUnknown(shapes, trace(STAND_IN), () => trace(OTHER_STAND_IN));
    const batchUnknown = shapes[0]?.[0] === null;
    const shaped = outs.map((o) => o.map((d, i) => (i === 0 && batchUnknown ? null : d)));
    return shaped.length === 1 && !this.returnsList ? shaped[0] : shaped;
  }

  /** Whether `call` returns a list (set by layers such as RNNs with return_state). */
  protected returnsList = false;

  private traceOutputs(specs: TensorInfo[], isList: boolean, maskFlags: boolean[], kwargs: Record<string, unknown> = {}, standIn = STAND_IN): { outputs: Sym[]; mask: boolean[]; list: boolean } {
    const g = new Graph();
    const scope = new TraceScope(g, false);
    return withGraph(g, () =>
      withScope(scope, () => {
        const ins = specs.map((s) => g.placeholder(s.shape, s.dtype));
        // Placeholders passed as call arguments (initial_state, value, ...) are traced as inputs too.
        const symbolic = (v: unknown): unknown =>
          v instanceof KerasTensor ? g.placeholder(v.shape.map((d, k) => d ?? (k === 0 ? specs[0]?.shape[0] ?? 1 : standIn)), v.dtype) : Array.isArray(v) ? v.map(symbolic) : v;
        const kw = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k, symbolic(v)]));
        const masks = ins.map((x, i) => (maskFlags[i] ? g.placeholder(x.shape.slice(0, Math.max(1, x.rank - 1)), 'bool') : null));
        const arg = isList ? ins : ins[0];
        const mask: Mask = isList ? masks : masks[0] ?? null;
        const out = this.call(arg, { training: false, mask, kwargs: kw });
        const outs = Array.isArray(out) ? out : [out];
        const m = this.computeMask(arg, mask);
        const mm = Array.isArray(m) ? (m as (Sym | null)[]) : [m as Sym | null];
        return { outputs: outs, mask: outs.map((_, i) => !!mm[i] || (!!mm[0] && i === 0)), list: Array.isArray(out) };
      }),
    );
  }

  /**
   * Calls the layer.
   * - On placeholders (`KerasTensor`, functional API): builds it, records the call and returns
   *   placeholders for its outputs.
   * - On symbolic tensors, inside another layer's `call`: runs `call`.
   * - On concrete tensors: runs the layer now (inference unless `training` is true) and returns
   *   concrete tensors; needs a backend that runs synchronously (else use `applyAsync`).
   *
   * The result's type follows the inputs' kind and what the layer's `call` returns: a layer whose
   * `call` returns one tensor gives one, a list gives a list (so no casts are needed).
   *
   * @example
   * const y: Tensor = new Dense({ units: 3 }).apply(tensor([[1, 2]]));
   */
  apply<K extends ApplyKwargs = {}>(inputs: KerasTensor | readonly KerasTensor[], kwargs?: K): LayerOutput<this, KerasTensor, K>;
  apply<K extends ApplyKwargs = {}>(inputs: Sym | readonly Sym[], kwargs?: K): LayerOutput<this, Sym, K>;
  apply<K extends ApplyKwargs = {}>(inputs: Tensor | readonly Tensor[], kwargs?: K): LayerOutput<this, Tensor, K>;
  apply<K extends ApplyKwargs = {}>(inputs: ApplyInputs, kwargs?: K): LayerOutput<this, KerasTensor | Sym | Tensor, K>;
  apply(given: ApplyInputs, givenKwargs: ApplyKwargs = {}): unknown {
    const { inputs, kwargs } = this.prepareApply(given, givenKwargs);
    const list: unknown[] = Array.isArray(inputs) ? [...inputs] : [inputs];
    const isList = Array.isArray(inputs);
    if (list.length === 0) throw new KerasValueError(`${this.label} was called on an empty list`);
    if (list.every((x): x is KerasTensor => x instanceof KerasTensor)) return this.applySymbolic(list, isList, kwargs);
    if (list.every((x): x is Sym => x instanceof Sym)) {
      const syms = list;
      this.maybeBuild(isList ? syms.map((s) => [...s.shape]) : [...syms[0].shape]);
      const { training, mask, ...rest } = kwargs;
      const isTraining = training ?? currentScope()?.training ?? false;
      const out = this.call(isList ? syms : syms[0], { training: isTraining, mask: symbolicMask(mask, this.label), kwargs: rest });
      checkOutputElements(this.label, (Array.isArray(out) ? out : [out]).map((o) => o.shape));
      const scope = currentScope();
      if (this.activityRegularizer && scope) {
        // Keras: the penalty of the outputs divided by the batch size.
        for (const o of Array.isArray(out) ? out : [out]) scope.addLoss(ops.div(this.activityRegularizer.penalty(o), o.shape[0] || 1));
      }
      return out;
    }
    if (list.every((x): x is Tensor => x instanceof Tensor)) {
      const { f, feeds, listOut } = this.eagerFunction(list, isList, kwargs);
      const outs = f.runSync(feeds);
      return outs.length === 1 && !listOut ? outs[0] : outs;
    }
    throw new KerasTypeError(`${this.label} must be called on KerasTensors, symbolic tensors or Tensors, not a mix`);
  }

  /** Like `apply` on concrete tensors, on any backend (synchronous or not). */
  applyAsync<K extends ApplyKwargs = {}>(inputs: Tensor | readonly Tensor[], kwargs?: K): Promise<LayerOutput<this, Tensor, K>>;
  async applyAsync(given: Tensor | readonly Tensor[], givenKwargs: ApplyKwargs = {}): Promise<Tensor | Tensor[]> {
    const { inputs, kwargs } = this.prepareApply(given, givenKwargs);
    const list: unknown[] = Array.isArray(inputs) ? [...inputs] : [inputs];
    const tensors = list.filter((x): x is Tensor => x instanceof Tensor);
    if (tensors.length !== list.length || list.length === 0) throw new KerasTypeError(`${this.label}.applyAsync must be called on Tensors (one or a non-empty list)`);
    const { f, feeds, listOut } = this.eagerFunction(tensors, Array.isArray(inputs), kwargs);
    const outs = await f.run(feeds);
    return outs.length === 1 && !listOut ? outs[0] : outs;
  }

  /**
   * What `apply` and `applyAsync` run with, from what they were given. The default keeps both;
   * RNNs check the time length and fold `initial_state` into the inputs here.
   */
  protected prepareApply(inputs: ApplyInputs, kwargs: ApplyKwargs): { inputs: ApplyInputs | readonly unknown[]; kwargs: ApplyKwargs } {
    return { inputs, kwargs };
  }

  /**
   * The compiled function for a call on concrete tensors, and what to feed it: the inputs, then
   * any tensors among the call arguments (mask, initial_state, ...), which are traced as inputs.
   */
  private eagerFunction(xs: Tensor[], isList: boolean, kwargs: Record<string, unknown>): { f: CompiledFunction; feeds: Tensor[]; listOut: boolean } {
    const { training = false, mask = null, ...rest } = kwargs;
    this.maybeBuild(isList ? xs.map((x) => [...x.shape]) : [...xs[0].shape]);
    const extra: Tensor[] = [];
    const describe = (v: unknown): unknown => {
      if (v instanceof Tensor) {
        extra.push(v);
        return { tensor: `${v.dtype}[${v.shape}]` };
      }
      return Array.isArray(v) ? v.map(describe) : v;
    };
    const shape = JSON.stringify({ mask: describe(mask), rest: describe(rest) });
    const key = `${signatureOf(xs)}|${training}|${isList}|${shape}`;
    const f = this.eagerCache.get(key, () =>
      traceKeras(
        (ins) => {
          let k = xs.length;
          const bind = (v: unknown): unknown => (v instanceof Tensor ? ins[k++] : Array.isArray(v) ? v.map(bind) : v);
          const m = bind(mask) as Mask;
          const kw = bind(rest) as Record<string, unknown>;
          const args = ins.slice(0, xs.length);
          const out = this.call(isList ? args : args[0], { training: training as boolean, mask: m ?? null, kwargs: kw });
          checkOutputElements(this.label, (Array.isArray(out) ? out : [out]).map((o) => o.shape));
          this.eagerListOut.set(key, Array.isArray(out) || this.returnsList);
          return Array.isArray(out) ? out : [out];
        },
        [...xs, ...extra],
        training as boolean,
      ),
    );
    return { f, feeds: [...xs, ...extra], listOut: this.eagerListOut.get(key) ?? this.returnsList };
  }

  /** Whether `call` returned a list, per cached eager function (the key of `eagerCache`). */
  private readonly eagerListOut = new Map<string, boolean>();

  private applySymbolic(inputs: KerasTensor[], isList: boolean, kwargs: Record<string, unknown>): KerasTensor | KerasTensor[] {
    const shapes = inputs.map((t) => t.shape);
    this.maybeBuild(isList ? shapes : shapes[0]);
    const { training: _t, mask: _m, ...rest } = kwargs;
    const overridden = this.computeOutputShape !== Layer.prototype.computeOutputShape;
    let traced: { outputs: { shape: readonly (number | null)[]; dtype: DType }[]; mask: boolean[]; list: boolean };
    const trace = (standIn: number) =>
      this.traceOutputs(
        inputs.map((t) => ({ shape: t.shape.map((d, k) => d ?? (k === 0 ? 1 : standIn)), dtype: t.dtype })),
        isList,
        inputs.map((t) => t.hasMask),
        rest,
        standIn,
      );
    try {
      // Unknown dimensions are traced at a stand-in size: 1 for the batch, STAND_IN elsewhere.
      const first = trace(STAND_IN);
      const outShapes = overridden ? first.outputs.map((o) => o.shape) : followUnknown(shapes, first.outputs.map((o) => o.shape), () => trace(OTHER_STAND_IN).outputs.map((o) => o.shape));
      traced = { ...first, outputs: first.outputs.map((o, i) => ({ shape: outShapes[i], dtype: o.dtype })) };
    } catch (e) {
      if (!overridden) throw e;
      const shapes = this.computeOutputShape(isList ? shapes0(inputs) : inputs[0].shape);
      const list = isShapeList(shapes as InputShape) ? (shapes as SymbolicShape[]) : [shapes as SymbolicShape];
      traced = { outputs: list.map((sh) => ({ shape: sh.map((d) => d ?? 1), dtype: 'float32' as DType })), mask: list.map(() => false), list: isShapeList(shapes as InputShape) };
    }
    const declared = overridden ? this.computeOutputShape(isList ? shapes0(inputs) : inputs[0].shape) : null;
    const declaredList = declared ? (isShapeList(declared as InputShape) ? (declared as SymbolicShape[]) : [declared as SymbolicShape]) : null;
    // An output no tensor could hold is refused here, naming the layer, before anything runs.
    checkOutputElements(this.label, declaredList ?? traced.outputs.map((o) => o.shape.map((d, k) => (k === 0 && inputs[0].shape[0] === null ? null : d))));
    const nodeIndex = this.inboundNodes.length;
    const batchUnknown = inputs[0].shape[0] === null;
    const outputs = traced.outputs.map(
      (o, i) =>
        new KerasTensor(
          declaredList?.[i] ?? o.shape.map((d, k) => (k === 0 && batchUnknown ? null : d)),
          o.dtype,
          { layer: this, nodeIndex, tensorIndex: i },
          `${this.name}/output_${nodeIndex}_${i}`,
          traced.mask[i],
        ),
    );
    this.inboundNodes.push({ inputs, outputs, inputIsList: isList, kwargs: rest });
    return outputs.length === 1 && !traced.list && !this.returnsList ? outputs[0] : outputs;
  }
}

/** A mask given to a call on symbolic tensors: symbolic too (or none). */
function symbolicMask(mask: ApplyKwargs['mask'], label: string): Mask {
  if (mask === undefined || mask === null) return null;
  if (mask instanceof Sym) return mask;
  if (!Array.isArray(mask)) throw new KerasTypeError(`${label}: on symbolic tensors the mask must be symbolic too, got ${describeMask(mask)}`);
  return mask.map((m: unknown) => {
    if (m === null || m instanceof Sym) return m;
    throw new KerasTypeError(`${label}: on symbolic tensors each mask must be symbolic or null, got ${describeMask(m)}`);
  });
}

function describeMask(m: unknown): string {
  return m instanceof Tensor ? `a concrete Tensor of shape ${fmtShape(m.shape)}` : typeof m;
}

/** The size unknown non-batch dimensions are traced at in the functional API. */
const STAND_IN = 16;
/** The second size, for telling which output dimensions follow an unknown input dimension (coprime with STAND_IN, so strided and pooled sizes differ too). */
const OTHER_STAND_IN = 29;

/**
 * The output shapes of a trace at {@link STAND_IN}, with the dimensions that follow an unknown
 * (non-batch) input dimension made unknown: those that differ in a second trace at
 * {@link OTHER_STAND_IN} (`again`). A layer that refuses the second size keeps the first shapes.
 */
function followUnknown(inputShapes: readonly SymbolicShape[], first: readonly (readonly number[])[], again: () => readonly (readonly number[])[]): (number | null)[][] {
  if (!inputShapes.some((s) => s.some((d, k) => k > 0 && d === null))) return first.map((o) => [...o]);
  let second: readonly (readonly number[])[];
  try {
    second = again();
  } catch {
    return first.map((o) => [...o]);
  }
  return first.map((o, i) => o.map((d, k) => (second[i]?.[k] === d ? d : null)));
}

/** Converts a snake_case config to constructor arguments (keys to camelCase; values as they are). */
export function configToArgs(config: Record<string, unknown>): LayerArgs {
  const out: LayerArgs = {};
  for (const [k, v] of Object.entries(config)) out[snakeToCamel(k)] = v;
  return markWireArgs(out);
}
