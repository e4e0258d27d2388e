/**
 * Keras' `add_loss`: losses a layer or model adds to the training loss besides the compiled ones.
 *
 * - A symbolic tensor, inside a layer's `call` (`this.addLoss(ops.mean(...))`): added to the
 *   loss of the step being traced (it depends on that call's inputs).
 * - A placeholder of the functional API, on a functional model (`vae.addLoss(vaeLoss)`): the
 *   model computes it from its inputs at every step, as Keras 2 does for a symbolic loss.
 * - A function of no arguments giving a symbolic tensor (`() => ops.mean(layer.kernel.read())`):
 *   called at every step (Keras' callable losses, for losses of weights).
 *
 * A model with added losses trains without a compiled loss (`compile({ optimizer })`) and
 * without targets (`fit(x, null)`), as Keras 2.
 */
import { Sym } from '@keras-ts/spec';
import { KerasTensor } from './keras-tensor.js';
import type { Layer } from './layer.js';
import { currentScope } from './scope.js';
import { KerasStateError, KerasTypeError } from '../errors.js';

/** What `addLoss` takes: one loss or a list of them. */
export type AddedLoss = Sym | KerasTensor | (() => Sym);

const symbolic = new WeakMap<object, KerasTensor[]>();
const callables = new WeakMap<object, (() => Sym)[]>();

/**
 * Records or adds `loss` for `layer` (see the module's description). Returns true when a
 * placeholder was recorded (a functional model then maps the layers that compute it).
 */
export function addLayerLoss(layer: Layer, loss: AddedLoss | readonly AddedLoss[]): boolean {
  const list = Array.isArray(loss) ? (loss as readonly AddedLoss[]) : [loss as AddedLoss];
  let placeholders = false;
  for (const l of list) {
    if (l instanceof KerasTensor) {
      const own = symbolic.get(layer) ?? [];
      own.push(l);
      symbolic.set(layer, own);
      placeholders = true;
    } else if (l instanceof Sym) {
      const scope = currentScope();
      if (!scope) throw new KerasStateError(`${layer.label}: addLoss with a symbolic tensor must be called inside call() (in a traced step)`);
      scope.addLoss(l);
    } else if (typeof l === 'function') {
      const own = callables.get(layer) ?? [];
      own.push(l);
      callables.set(layer, own);
    } else {
      throw new KerasTypeError(`${layer.label}: addLoss takes a symbolic tensor (inside call), a KerasTensor (on a functional model) or a function returning a symbolic tensor; got ${l === null ? 'null' : typeof l}`);
    }
  }
  return placeholders;
}

/** The placeholders added as losses to a functional model. */
export function symbolicLosses(layer: Layer): readonly KerasTensor[] {
  return symbolic.get(layer) ?? [];
}

/** Every layer below `model` (itself included), each once. */
export function deepLayers(model: Layer): Layer[] {
  const out: Layer[] = [];
  const seen = new Set<Layer>();
  const walk = (l: Layer) => {
    if (seen.has(l)) return;
    seen.add(l);
    out.push(l);
    for (const s of l.subLayers()) walk(s);
  };
  walk(model);
  return out;
}

/** Whether `model` or a layer in it has losses added with `addLoss` (placeholders or functions). */
export function hasAddedLosses(model: Layer): boolean {
  return deepLayers(model).some((l) => (symbolic.get(l)?.length ?? 0) > 0 || (callables.get(l)?.length ?? 0) > 0);
}

/** Adds the function losses of `model` and its layers to the step being traced. */
export function traceCallableLosses(model: Layer): void {
  const scope = currentScope();
  if (!scope) return;
  for (const l of deepLayers(model)) for (const f of callables.get(l) ?? []) {
    const v = f();
    if (!(v instanceof Sym)) throw new KerasTypeError(`${l.label}: a loss function given to addLoss must return a symbolic tensor, got ${v === null ? 'null' : typeof v}`);
    scope.addLoss(v);
  }
}
