import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, type Sym } from '@keras-ts/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '../../src/index.js';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  BinaryCrossentropy,
  CategoricalAccuracy,
  CategoricalCrossentropy,
  MeanMetricWrapper,
  MeanSquaredError,
  SparseCategoricalAccuracy,
  SparseCategoricalCrossentropy,
  getMetric,
  resolveAccuracy,
  resolveCrossentropy,
} from '../../src/metrics/index.js';
import { after, close, t } from './helpers.js';

beforeAll(() => setBackend(createTsBackend()));

describe('metrics: resolveAccuracy (Keras 2 compile-time choice of accuracy)', () => {
  it('decides from the output shape, and the loss when the targets are not known', () => {
    expect(resolveAccuracy('binary_crossentropy', [null, 1])).toBe('binary_accuracy');
    expect(resolveAccuracy('sparse_categorical_crossentropy', [null, 1])).toBe('binary_accuracy');
    expect(resolveAccuracy('categorical_crossentropy', [null, 10])).toBe('categorical_accuracy');
    expect(resolveAccuracy('sparse_categorical_crossentropy', [null, 10])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy('SparseCategoricalCrossentropy', [null, 7, 10])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy('mse', [null, 4])).toBe('categorical_accuracy');
    // tf.keras 2.x: a multi-label sigmoid output with binary crossentropy gets categorical accuracy.
    expect(resolveAccuracy('binary_crossentropy', [null, 3])).toBe('categorical_accuracy');
  });

  it('uses the target shape when known, as tf.keras 2.x', () => {
    expect(resolveAccuracy(null, [null, 10], [null])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy(null, [null, 10], [null, 1])).toBe('sparse_categorical_accuracy');
    expect(resolveAccuracy('sparse_categorical_crossentropy', [null, 10], [null, 10])).toBe('categorical_accuracy');
    expect(resolveAccuracy(null, [null, 1], [null])).toBe('binary_accuracy');
    expect(resolveCrossentropy(null, [null, 10], [null])).toBe('sparse_categorical_crossentropy');
    expect(resolveCrossentropy('binary_crossentropy', [null, 1])).toBe('binary_crossentropy');
    expect(resolveCrossentropy('categorical_crossentropy', [null, 3])).toBe('categorical_crossentropy');
  });
});

describe('metrics: getMetric', () => {
  it("resolves 'accuracy' / 'acc' with the hint, named as written", () => {
    const a = getMetric('acc', { loss: 'sparse_categorical_crossentropy', outputShape: [null, 10] });
    expect(a).toBeInstanceOf(SparseCategoricalAccuracy);
    expect(a.name).toBe('acc');
    const b = getMetric('accuracy', { loss: 'binary_crossentropy', outputShape: [null, 1] });
    expect(b).toBeInstanceOf(BinaryAccuracy);
    expect(b.name).toBe('accuracy');
    expect(getMetric('Accuracy', { outputShape: [null, 3], targetShape: [null, 3] })).toBeInstanceOf(CategoricalAccuracy);
    // Without a hint: keras.metrics.get('accuracy'), the exact-match accuracy.
    expect(getMetric('accuracy')).toBeInstanceOf(Accuracy);
  });

  it("resolves 'crossentropy' / 'ce'", () => {
    const c = getMetric('ce', { outputShape: [null, 5], targetShape: [null, 1] });
    expect(c).toBeInstanceOf(SparseCategoricalCrossentropy);
    expect(c.name).toBe('ce');
    expect(getMetric('crossentropy', { outputShape: [null, 5] })).toBeInstanceOf(CategoricalCrossentropy);
    expect(getMetric('crossentropy')).toBeInstanceOf(BinaryCrossentropy);
  });

  it('takes function names (named as written), class names, configs, instances and functions', () => {
    const mse = getMetric('mse');
    expect(mse).toBeInstanceOf(MeanSquaredError);
    expect(mse.name).toBe('mse');
    expect(getMetric('mean_squared_error').name).toBe('mean_squared_error');
    expect(getMetric('MeanSquaredError').name).toBe('mean_squared_error');
    expect(getMetric('binary_accuracy')).toBeInstanceOf(BinaryAccuracy);
    expect(getMetric('AUC')).toBeInstanceOf(AUC);
    expect(getMetric({ class_name: 'BinaryAccuracy', config: { name: 'ba', threshold: 0.7 } }).getConfig()).toEqual({ name: 'ba', dtype: 'float32', threshold: 0.7 });
    const inst = new AUC();
    expect(getMetric(inst)).toBe(inst);
    function absError(yTrue: Sym, yPred: Sym): Sym {
      return ops.abs(ops.sub(yTrue, yPred));
    }
    const w = getMetric(absError);
    expect(w).toBeInstanceOf(MeanMetricWrapper);
    expect(w.name).toBe('absError');
    expect(() => getMetric('no_such_metric')).toThrow(/unknown metric 'no_such_metric'/);
  });

  it('the resolved metric computes the right accuracy', async () => {
    const m = getMetric('acc', { loss: 'sparse_categorical_crossentropy', outputShape: [null, 3] });
    close(await after(m, t([2, 1, 0], true), t([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.2, 0.5, 0.3]])), 2 / 3);
  });

  it('a custom function wrapped in MeanMetricWrapper averages its values, with weights', async () => {
    const m = new MeanMetricWrapper({ fn: (yTrue, yPred) => ops.abs(ops.sub(yTrue, yPred)), name: 'abs' });
    // values [[1, 0], [0, 3]], weights [1, 0] broadcast over the last axis.
    close(await after(m, t([[0, 1], [0, 0]]), t([[1, 1], [0, 3]]), t([1, 0])), 0.5);
  });

  it("passes MeanMetricWrapper's other keyword arguments to a custom function, and writes them in the config (Keras 2's **kwargs)", async () => {
    const scaled = (yTrue: Sym, yPred: Sym, kwargs: Readonly<Record<string, unknown>>) => ops.mul(ops.abs(ops.sub(yTrue, yPred)), kwargs.scale as number);
    const m = new MeanMetricWrapper({ fn: scaled, name: 'scaled', scale: 3 });
    // |[[0, 1], [0, 0]] - [[1, 1], [0, 3]]| = [[1, 0], [0, 3]], mean 1, times 3.
    close(await after(m, t([[0, 1], [0, 0]]), t([[1, 1], [0, 3]])), 3);
    expect(m.getConfig()).toEqual({ name: 'scaled', dtype: 'float32', scale: 3, fn: 'scaled' });
  });
});
