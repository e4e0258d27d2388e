import type { Tensor } from '../tensor.js';
import { KerasValueError } from '../errors.js';

/**
 * What `predict` (and `predictOnBatch`, `predictGenerator`) returns for a model whose `call`
 * returns `R`, in tensors of type `T`: one tensor for one output, a list for several. A model made with a list of one
 * output predicts one Tensor (as Keras 2); a `call` typed as a list of unknown length gives either.
 *
 * @example
 * const m = new Model({ inputs: x, outputs: [a, b] });
 * const [pa, pb] = await m.predict(data); // Tensor[]
 */
export type Predictions<R, T = Tensor> = R extends readonly [unknown]
  ? T
  : R extends readonly [unknown, unknown, ...unknown[]]
    ? T[]
    : R extends readonly unknown[]
      ? T | T[]
      : T;

/**
 * The one output of a model or layer whose type does not say how many it has (a model read by
 * `loadModel`, a `Layer` held as the base class): the tensor, or an error naming how many
 * outputs there were. Typed models (`Sequential`, `new Model({ inputs, outputs: y })`) need none.
 *
 * @example
 * const model = await loadModel('model.keras');
 * const y = onlyOutput(await model.predict(x)); // Tensor
 */
export function onlyOutput<T>(outputs: T | readonly T[]): T {
  if (!isList(outputs)) return outputs;
  if (outputs.length !== 1) throw new KerasValueError(`expected one output, got a list of ${outputs.length}; read them as a list (outputList)`);
  return outputs[0];
}

/**
 * The outputs of a model or layer as a list, whether it returned one or several.
 *
 * @example
 * const [probs, aux] = outputList(await model.predict(x));
 */
export function outputList<T>(outputs: T | readonly T[]): T[] {
  return isList(outputs) ? [...outputs] : [outputs];
}

function isList<T>(x: T | readonly T[]): x is readonly T[] {
  return Array.isArray(x);
}
