/**
 * Putting weights read from a file into a model: every value is checked (count and shape) before
 * any is assigned, so a file that does not fit leaves the model unchanged; errors name the file,
 * the layer, the weight and both shapes.
 */
import { fmtShape, shapesEqual } from '@keras-ts/spec';
import { classNameOf } from '../serialization/registry.js';
import { KerasShapeError } from '../errors.js';
import type { Layer } from '../engine/layer.js';
import { Model } from '../engine/model.js';
import type { Variable } from '../engine/variable.js';
import type { Tensor } from '../tensor.js';

/** One weight of the model and the value found for it in the file. */
export interface WeightAssignment {
  variable: Variable;
  value: Tensor;
  /** The layer it belongs to, for messages. */
  layer: string;
  /** Where the value is in the file, for messages. */
  source: string;
}

/**
 * Checks that a value found in the file has the weight's shape (called with the declared shape
 * before the data is read, and again by {@link assignAll}).
 */
export function checkFits(file: string, a: Omit<WeightAssignment, 'value'>, shape: readonly number[]): void {
  if (!shapesEqual(a.variable.shape, shape)) {
    throw new KerasShapeError(
      `${file}: layer '${a.layer}', weight '${a.variable.path}': the model's weight has shape ${fmtShape(a.variable.shape)}, ` +
        `the file's '${a.source}' has shape ${fmtShape(shape)}`,
    );
  }
}

/** Checks every shape, then assigns every value. */
export function assignAll(file: string, assignments: readonly WeightAssignment[]): void {
  for (const a of assignments) checkFits(file, a, a.value.shape);
  for (const a of assignments) a.variable.assign(a.value);
}

/** The class name Keras gives an object (`Functional` for functional models). */
export function kerasClassName(layer: Layer): string {
  return layer instanceof Model ? layer.wireClassName : classNameOf(layer);
}

/** The weights a layer owns itself (not through sublayers), in Keras' order. */
export function ownWeights(layer: Layer): Variable[] {
  const sub = new Set<Variable>();
  for (const l of layer.subLayers()) for (const w of l.weights) sub.add(w);
  return layer.weights.filter((w) => !sub.has(w));
}

/** `a [2, 3], b [3]` for messages. */
export function describeWeights(ws: readonly { path: string; shape: readonly number[] }[]): string {
  return ws.length ? ws.map((w) => `${w.path} ${fmtShape(w.shape)}`).join(', ') : '(none)';
}
