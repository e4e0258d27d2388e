import { checkArgKeys } from '../arguments/strict-args.js';
import { describeValue, KerasTypeError } from '../errors.js';
import { KerasTensor } from './keras-tensor.js';
import { InputLayer } from './input-layer.js';
import { Layer } from './layer.js';

/**
 * The call forms of `new Model(...)` and `new Sequential(...)`: Keras' positional ones
 * (`Model(inputs, outputs, name)`, `Sequential(layers, name)`) and the options object, read into
 * one arguments object; any other form fails at the call with what to pass.
 */

/** The arguments `new Model({...})` takes (Keras 2's functional `Model(inputs, outputs, name, trainable)`). */
export const MODEL_KEYS: readonly string[] = ['inputs', 'outputs', 'name', 'trainable', 'dtype'];

/** The arguments `new Sequential({...})` takes (Keras 2's `Sequential(layers, name)`, and `trainable`). */
export const SEQUENTIAL_KEYS: readonly string[] = ['layers', 'name', 'trainable'];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** One KerasTensor, or a non-empty list of them. */
const isTensors = (v: unknown): boolean => v instanceof KerasTensor || (Array.isArray(v) && v.length > 0 && v.every((t) => t instanceof KerasTensor));

function describeArg(v: unknown): string {
  if (v instanceof Layer) return `the layer ${v.label}`;
  if (v instanceof KerasTensor) return `a KerasTensor of shape [${v.shape.map((d) => d ?? 'None').join(', ')}]`;
  return describeValue(v);
}

function checkName(what: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string') throw new KerasTypeError(`${what}: the argument after the ${what === 'Model' ? 'outputs' : 'layers'} is the model's name, a string; got ${describeArg(name)}`);
  return name;
}

/**
 * Reads `new Model(...)`'s arguments: `(inputs, outputs)`, `(inputs, outputs, name)` or
 * `({ inputs, outputs, name, trainable })`, inputs and outputs being KerasTensors (or lists of
 * them) from `Input()` and layers called on it.
 */
export function readModelArgs(a0: unknown, a1: unknown, a2: unknown): Record<string, unknown> {
  const usage = 'new Model(inputs, outputs), new Model(inputs, outputs, name) or new Model({ inputs, outputs, name })';
  if (a0 === undefined || a0 === null) {
    if (a1 !== undefined || a2 !== undefined) throw new KerasTypeError(`Model: the inputs are missing; call ${usage}`);
    return {};
  }
  if (isTensors(a0)) {
    if (a1 === undefined) throw new KerasTypeError(`Model: a functional model needs its outputs too: call ${usage}`);
    if (!isTensors(a1)) throw new KerasTypeError(`Model: the outputs must be KerasTensors (layers called on the inputs), got ${describeArg(a1)}; call ${usage}`);
    const name = checkName('Model', a2);
    return name === undefined ? { inputs: a0, outputs: a1 } : { inputs: a0, outputs: a1, name };
  }
  if (isPlainObject(a0)) {
    if (a1 !== undefined || a2 !== undefined) throw new KerasTypeError(`Model: give the arguments either positionally or as one object, not both; call ${usage}`);
    return a0;
  }
  throw new KerasTypeError(`Model: expected KerasTensors from Input() and layers called on them, got ${describeArg(a0)}; call ${usage}`);
}

/** Refuses `new Model({...})` arguments that Keras 2's functional Model does not take. */
export function checkModelKeys(args: Record<string, unknown>): void {
  checkArgKeys(args, MODEL_KEYS, typeof args.name === 'string' ? `Model '${args.name}'` : 'Model');
}

/**
 * A Sequential's layer: a Layer, or the output of `Input()`, which stands for its InputLayer (as
 * tf.keras 2's `Sequential.add` takes `keras.Input(shape)`); anything else is refused naming `where`.
 */
export function sequentialLayer(l: unknown, where: string): Layer {
  if (l instanceof Layer) return l;
  if (l instanceof KerasTensor) {
    const origin = l.source.layer;
    if (origin instanceof InputLayer) return origin;
    throw new KerasTypeError(`Sequential: ${where} is the output of layer '${origin.name}', not of Input(): a Sequential takes layers (and Input() first); for a graph of layers use the functional API, new Model(inputs, outputs)`);
  }
  throw new KerasTypeError(`Sequential: ${where} is not a layer: got ${describeArg(l)}`);
}

/**
 * Reads `new Sequential(...)`'s arguments: `()`, `(layers)`, `(layers, name)` (a list of layers,
 * or one layer, as Keras 2 takes), or `({ layers, name, trainable })`; refuses other keys unless
 * `checkKeys` is false (a user's subclass, whose arguments are its own).
 */
export function readSequentialArgs(a0: unknown, a1: unknown, checkKeys = true): Record<string, unknown> {
  const usage = 'new Sequential([layer1, layer2]), new Sequential([layer1, layer2], name) or new Sequential({ layers, name })';
  let args: Record<string, unknown>;
  if (a0 === undefined || a0 === null) args = {};
  else if (a0 instanceof Layer) args = { layers: [a0] };
  else if (Array.isArray(a0)) args = { layers: a0 };
  else if (isPlainObject(a0)) {
    if (a1 !== undefined) throw new KerasTypeError(`Sequential: give the name either as the second argument or in the object, not both; call ${usage}`);
    args = a0;
  } else throw new KerasTypeError(`Sequential: expected a list of layers, got ${describeArg(a0)}; call ${usage}`);
  const name = checkName('Sequential', a1);
  if (name !== undefined) args = { ...args, name };
  if (checkKeys) checkArgKeys(args, SEQUENTIAL_KEYS, typeof args.name === 'string' ? `Sequential '${args.name}'` : 'Sequential');
  const layers = args.layers;
  if (layers !== undefined && layers !== null) {
    if (!Array.isArray(layers)) throw new KerasTypeError(`Sequential: argument 'layers' must be a list of layers, got ${describeArg(layers)}; call ${usage}`);
    args = { ...args, layers: layers.map((l: unknown, i) => sequentialLayer(l, `layers[${i}]`)) };
  }
  return args;
}
