/**
 * How the backend functions (`K.mean`, `K.square`, ...) run on the three kinds of tensor a Keras
 * program holds, as Keras 2's backend functions do:
 *
 * - symbolic tensors (`Sym`, inside a layer's `call`, a Lambda, a loss): the op is added to the
 *   graph being traced;
 * - placeholders (`KerasTensor`, functional code): the call becomes a layer node, as tf.keras 2
 *   wraps a TensorFlow op met by a KerasTensor in a `TFOpLambda` layer; the model runs it;
 * - concrete tensors (`Tensor`): the op runs now (compiled once per signature) and gives a Tensor.
 */
import { ops, Sym, type DType } from '@keras-ts/spec';
import { type CustomObjects } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { KerasTensor } from '../engine/keras-tensor.js';
import { Layer, configToArgs, type CallContext, type LayerArgs } from '../engine/layer.js';
import { argKeys, type ArgsDeclaration } from '../engine/layer-arg-keys.js';
import { currentScope } from '../engine/scope.js';
import { Tensor } from '../tensor.js';
import { KerasConfigError, KerasStateError, KerasValueError } from '../errors.js';

/** A tensor a backend function takes: symbolic, a functional-API placeholder, or concrete. */
export type AnyTensor = Sym | KerasTensor | Tensor;

/** The function behind a backend function: the same arguments with every tensor symbolic. */
type SymFunction = (...args: never[]) => Sym | Sym[];

const registry = new Map<string, SymFunction>();
const eager = new EagerFunctions();

/** A marker for a tensor's place in an argument template (what serializes an op node). */
interface Slot {
  readonly __tensor__: number;
}

function isSlot(v: unknown): v is Slot {
  return !!v && typeof v === 'object' && typeof (v as Slot).__tensor__ === 'number' && Object.keys(v as object).length === 1;
}

const isTensorLike = (v: unknown): v is AnyTensor => v instanceof Sym || v instanceof KerasTensor || v instanceof Tensor;

/** Replaces each tensor among `args` (at any depth of arrays and plain objects) by a slot; returns the template and the tensors. */
function templateOf(args: readonly unknown[]): { template: unknown[]; tensors: AnyTensor[] } {
  const tensors: AnyTensor[] = [];
  const walk = (v: unknown): unknown => {
    if (isTensorLike(v)) {
      tensors.push(v);
      return { __tensor__: tensors.length - 1 };
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return { template: args.map(walk), tensors };
}

/** The template with each slot replaced by its symbolic tensor. */
function fill(template: unknown, syms: readonly Sym[]): unknown {
  if (isSlot(template)) return syms[template.__tensor__];
  if (Array.isArray(template)) return template.map((x) => fill(x, syms));
  if (template && typeof template === 'object' && Object.getPrototypeOf(template) === Object.prototype) {
    return Object.fromEntries(Object.entries(template).map(([k, x]) => [k, fill(x, syms)]));
  }
  return template;
}

/** A concrete tensor as a constant of the graph being traced. */
function constantOf(t: Tensor, like: Sym | null): Sym {
  const graph = like?.graph ?? currentScope()?.graph;
  if (!graph) throw new KerasStateError('a concrete tensor can only become a constant inside a traced function');
  return ops.constant(graph, t.data, t.shape, t.dtype);
}

/**
 * Runs the backend function `name` on `args` by the kinds of tensor among them (see the module's
 * description). Numbers and other values pass through as they are.
 */
function dispatch(name: string, fn: SymFunction, args: readonly unknown[]): unknown {
  const { template, tensors } = templateOf(args);
  const placeholders = tensors.filter((t): t is KerasTensor => t instanceof KerasTensor);
  if (placeholders.length) {
    if (tensors.some((t) => t instanceof Sym)) {
      throw new KerasValueError(`K.${name}: cannot mix functional-API placeholders (KerasTensor) with symbolic tensors of a traced function; call it inside a Lambda or a layer's call instead`);
    }
    // Concrete tensors among placeholders become constants of the op node.
    const layer = new OpLambda({ function: name, arguments: template, constants: tensors.map((t) => (t instanceof Tensor ? t : null)) });
    return layer.apply(placeholders.length === 1 && tensors.length === 1 ? placeholders[0] : placeholders);
  }
  const syms = tensors.filter((t): t is Sym => t instanceof Sym);
  if (syms.length || currentScope()) {
    const like = syms[0] ?? null;
    return (fn as (...a: unknown[]) => Sym | Sym[])(...(fill(template, tensors.map((t) => (t instanceof Tensor ? constantOf(t, like) : (t as Sym)))) as unknown[]));
  }
  // Concrete tensors only (or none): run now.
  const concrete = tensors as Tensor[];
  const key = `${name}|${JSON.stringify(template)}`;
  const outs = eager.runSync(key, concrete, (xs) => {
    const out = (fn as (...a: unknown[]) => Sym | Sym[])(...(fill(template, xs) as unknown[]));
    return Array.isArray(out) ? out : [out];
  });
  return outs.length === 1 ? outs[0] : outs;
}

/**
 * Makes a backend function from a function over symbolic tensors: the result takes symbolic
 * tensors, placeholders of the functional API or concrete tensors (see the module's description),
 * and is registered under `name` so that models using it in functional code serialize.
 *
 * @example
 * const cube = backendFunction('cube', (x: Sym) => ops.mul(ops.square(x), x));
 * const y = cube(Input({ shape: [3] })); // a KerasTensor, computed by an OpLambda node
 */
export function backendFunction<F extends SymFunction>(name: string, fn: F): F & ((...args: never[]) => never) {
  const prev = registry.get(name);
  if (prev && prev !== fn) throw new KerasValueError(`backendFunction: a different function is already registered as '${name}'`);
  registry.set(name, fn);
  const wrapped = (...args: unknown[]) => dispatch(name, fn, args);
  Object.defineProperty(wrapped, 'name', { value: fn.name || name });
  return wrapped as unknown as F & ((...args: never[]) => never);
}

interface OpLambdaArgs extends LayerArgs {
  /** The registered backend function's name. */
  function: string;
  /** Its arguments, tensors replaced by `{ __tensor__: i }` slots. */
  arguments: unknown[];
  /** The concrete tensors among the arguments (null where the slot is a placeholder). */
  constants?: (Tensor | null)[] | null;
}

/**
 * A backend function called on placeholders in functional code, as a layer (tf.keras 2's
 * `TFOpLambda`): it has no weights, and its config names the function and holds its arguments.
 * Made by the backend functions; not constructed directly.
 */
export class OpLambda extends Layer {
  static override readonly className = 'OpLambda';
  static override readonly argsSchema: ArgsDeclaration = argKeys('function', 'arguments', 'constants');
  readonly functionName: string;
  private readonly fn: SymFunction;
  private readonly template: unknown[];
  private readonly constants: (Tensor | null)[];

  constructor(args: OpLambdaArgs) {
    super(args);
    const fn = registry.get(args.function);
    if (!fn) throw new KerasConfigError('UNKNOWN_NAME', `OpLambda '${this.name}': no backend function is registered as '${args.function}'`);
    this.functionName = args.function;
    this.fn = fn;
    this.template = args.arguments;
    this.constants = args.constants ?? [];
  }

  override call(inputs: Sym | Sym[], _ctx: CallContext): Sym | Sym[] {
    const given = Array.isArray(inputs) ? inputs : [inputs];
    let k = 0;
    const count = Math.max(this.constants.length, countSlots(this.template));
    const syms: Sym[] = [];
    for (let i = 0; i < count; i++) {
      const c = this.constants[i];
      syms.push(c ? constantOf(c, given[0] ?? null) : given[k++]);
    }
    return (this.fn as (...a: unknown[]) => Sym | Sym[])(...(fill(this.template, syms) as unknown[]));
  }

  override getConfig(): Record<string, unknown> {
    if (this.constants.some((c) => c !== null)) {
      throw new KerasValueError(`${this.label}: K.${this.functionName} was called with a concrete tensor among placeholders, which cannot be serialized; pass a number, or wrap the computation in a registered Lambda`);
    }
    return { ...super.getConfig(), function: this.functionName, arguments: this.template };
  }

  static override fromConfig<T extends Layer>(this: new (args: LayerArgs) => T, config: Record<string, unknown>, _custom?: CustomObjects): T {
    const { function: fn, arguments: a, ...rest } = config;
    return new this({ ...configToArgs(rest), function: fn, arguments: a } as LayerArgs);
  }
}

function countSlots(template: unknown): number {
  if (isSlot(template)) return template.__tensor__ + 1;
  if (Array.isArray(template)) return template.reduce((m: number, x) => Math.max(m, countSlots(x)), 0);
  if (template && typeof template === 'object') return Object.values(template).reduce((m: number, x) => Math.max(m, countSlots(x)), 0);
  return 0;
}

/** The dtype of any kind of tensor. */
export function dtypeOf(x: AnyTensor): DType {
  return x.dtype;
}
