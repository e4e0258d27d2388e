import { allocData, DTYPES, type DType } from '@keras-ts/spec';
import { Tensor } from '../tensor.js';
import { readArray, type ArrayInput } from './array-input.js';
import { argError } from './checks.js';
import { KerasValueError } from '../errors.js';

/**
 * Keras 2's `to_categorical`: class labels as one-hot rows. The labels are read as integers
 * (fractions truncated, as NumPy's `int` cast); a trailing axis of size 1 is dropped (labels of
 * shape `[n, 1]` give `[n, numClasses]`); `numClasses` defaults to the largest label + 1 (as in
 * Keras, 0 also means "infer"). As NumPy indexing in Keras, a negative label counts from the end
 * (`-1` is the last class); a label outside `[-numClasses, numClasses)` is an error.
 *
 * @param y Class labels: a Tensor or (nested) arrays of integers.
 * @param numClasses The number of classes (default: the largest label + 1).
 * @param dtype The dtype of the result (default `'float32'`).
 * @example
 * toCategorical([0, 2, 1]).toArray(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * toCategorical(tensor([[1], [0]]), 3).shape; // [2, 3]
 */
export function toCategorical(y: ArrayInput, numClasses?: number | null, dtype: DType = 'float32'): Tensor {
  const fn = 'toCategorical';
  if (!DTYPES.includes(dtype)) throw argError(fn, 'dtype', dtype, DTYPES.map((d) => `'${d}'`).join(', '));
  if (numClasses !== undefined && numClasses !== null && (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 0)) {
    throw argError(fn, 'numClasses', numClasses, 'a positive integer, or null to use the largest label + 1');
  }
  const { shape, data } = readArray(fn, 'y', y);
  const labels = Int32Array.from({ length: data.length }, (_, i) => {
    const v = data[i];
    if (!Number.isFinite(v)) throw argError(fn, 'y', y, `integer class labels (the label at flat index ${i} is ${v})`);
    return Math.trunc(v);
  });
  const outShape = shape.length > 1 && shape[shape.length - 1] === 1 ? shape.slice(0, -1) : shape;
  let classes = numClasses || 0;
  if (!classes) {
    if (labels.length === 0) throw argError(fn, 'numClasses', numClasses, 'a positive integer when y holds no labels (it cannot be inferred)');
    classes = labels.reduce((m, v) => Math.max(m, v), -Infinity) + 1;
  }
  const out = allocData(dtype, labels.length * classes);
  labels.forEach((label, i) => {
    if (label < -classes || label >= classes) {
      throw new KerasValueError(`${fn}: the label ${label} at flat index ${i} is out of range for ${classes} classes: expected an integer in [0, ${classes - 1}] (or in [${-classes}, -1], counting from the end as NumPy indexing does)`);
    }
    out[i * classes + (label < 0 ? label + classes : label)] = 1;
  });
  return new Tensor([...outShape, classes], dtype, out);
}
