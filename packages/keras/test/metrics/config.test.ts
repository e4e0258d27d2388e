import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { deserialize, registeredNames, serialize } from '../../src/serialization/registry.js';
import { setBackend, type Metric } from '../../src/index.js';
import { camelToSnake } from '../../src/naming.js';
import { AUC, BinaryAccuracy, F1Score, MeanIoU, MeanMetricWrapper, Precision, SensitivityAtSpecificity, SparseCategoricalCrossentropy } from '../../src/metrics/index.js';
import { after, close, t } from './helpers.js';

beforeAll(() => setBackend(createTsBackend()));

/** Arguments for the metrics that need some. */
const REQUIRED: Record<string, Record<string, unknown>> = {
  MeanMetricWrapper: { fn: 'mean_squared_error' },
  MeanRelativeError: { normalizer: [[1, 2]] },
  SensitivityAtSpecificity: { specificity: 0.5 },
  SpecificityAtSensitivity: { sensitivity: 0.5 },
  PrecisionAtRecall: { recall: 0.5 },
  RecallAtPrecision: { precision: 0.5 },
  IoU: { numClasses: 3, targetClassIds: [0, 2] },
  MeanIoU: { numClasses: 3 },
  OneHotIoU: { numClasses: 3, targetClassIds: [1] },
  OneHotMeanIoU: { numClasses: 3 },
};

/** Non-default arguments, so the round trip carries something. */
const EXTRA: Record<string, Record<string, unknown>> = {
  BinaryAccuracy: { threshold: 0.3 },
  TopKCategoricalAccuracy: { k: 2 },
  SparseTopKCategoricalAccuracy: { k: 3 },
  CosineSimilarity: { axis: 1 },
  BinaryCrossentropy: { fromLogits: true, labelSmoothing: 0.1 },
  CategoricalCrossentropy: { fromLogits: true, labelSmoothing: 0.2, axis: 1 },
  SparseCategoricalCrossentropy: { fromLogits: true, ignoreClass: 255 },
  TruePositives: { thresholds: [0.2, 0.7] },
  Precision: { thresholds: 0.7, classId: 1 },
  Recall: { topK: 2 },
  AUC: { thresholds: [0.7, 0.2], curve: 'PR', summationMethod: 'majoring', multiLabel: true, numLabels: 2, labelWeights: [1, 2] },
  FBetaScore: { average: 'weighted', beta: 2, threshold: 0.4 },
  F1Score: { average: 'micro' },
  R2Score: { classAggregation: 'variance_weighted_average', numRegressors: 2 },
  BinaryIoU: { targetClassIds: [1], threshold: 0.7 },
  MeanMetricWrapper: { fn: 'binary_accuracy', threshold: 0.3, name: 'acc' },
};

function build(name: string): Metric {
  const cls = (deserialize as (c: string, s: unknown) => Metric)('metric', { class_name: name, config: configOf({ ...REQUIRED[name], ...EXTRA[name] }) });
  return cls;
}

function configOf(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[camelToSnake(k)] = v;
  return out;
}

describe('metrics: config round trip', () => {
  it('covers every registered metric class', () => {
    const names = registeredNames('metric');
    expect(names.length).toBeGreaterThanOrEqual(40);
    for (const name of names) {
      const m = build(name);
      const c1 = serialize(m);
      expect(c1.class_name).toBe(name);
      const m2 = deserialize<Metric>('metric', JSON.parse(JSON.stringify(c1)));
      expect(JSON.stringify(serialize(m2)), name).toBe(JSON.stringify(c1));
      expect(m2.constructor).toBe(m.constructor);
    }
  });

  it('writes Keras 2 configs, in Keras key order', () => {
    expect(new BinaryAccuracy().getConfig()).toEqual({ name: 'binary_accuracy', dtype: 'float32', threshold: 0.5 });
    expect(Object.keys(new Precision({ name: 'p' }).getConfig())).toEqual(['name', 'dtype', 'thresholds', 'top_k', 'class_id']);
    expect(Object.keys(new AUC({ name: 'a' }).getConfig())).toEqual([
      'name',
      'dtype',
      'num_thresholds',
      'curve',
      'summation_method',
      'multi_label',
      'num_labels',
      'label_weights',
      'from_logits',
    ]);
    expect(new AUC({ name: 'a', thresholds: [0.8, 0.1] }).getConfig().thresholds).toEqual([0.1, 0.8]);
    expect(new F1Score({ name: 'f' }).getConfig()).toEqual({ name: 'f', dtype: 'float32', average: null, threshold: null });
    expect(Object.keys(new MeanIoU({ numClasses: 2, name: 'm' }).getConfig())).toEqual(['num_classes', 'name', 'dtype', 'ignore_class', 'sparse_y_true', 'sparse_y_pred', 'axis']);
    expect(Object.keys(new SensitivityAtSpecificity({ specificity: 0.3, name: 's' }).getConfig())).toEqual(['name', 'dtype', 'class_id', 'num_thresholds', 'specificity']);
    expect(new SparseCategoricalCrossentropy().getConfig()).toEqual({ name: 'sparse_categorical_crossentropy', dtype: 'float32', from_logits: false, ignore_class: null, axis: -1 });
    expect(new MeanMetricWrapper({ fn: 'mse', name: 'mse' }).getConfig()).toEqual({ name: 'mse', dtype: 'float32', fn: 'mean_squared_error' });
  });

  it('names metrics whose Keras default name is None uniquely, as Keras', () => {
    const a = new AUC();
    const b = new AUC();
    expect(a.name).toMatch(/^auc(_\d+)?$/);
    expect(b.name).not.toBe(a.name);
    expect(new BinaryAccuracy().name).toBe('binary_accuracy');
  });

  it('reads the Keras 3 configs of the goldens', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../conformance/goldens/keras-3.16.0-torch/metrics');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (f.endsWith('.json')) files.push(p);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const spec = JSON.parse(readFileSync(f, 'utf8')).metric;
      const m = deserialize<Metric>('metric', spec);
      const c = m.getConfig();
      // Keras 2 JSON: float32 dtype; the same keys otherwise.
      expect(c.dtype).toBe('float32');
      expect(Object.keys(c).sort()).toEqual(Object.keys(spec.config).sort());
    }
  });

  it('accepts Keras 3 keys at their neutral value and refuses others', () => {
    const ok = deserialize<Metric>('metric', { class_name: 'SparseTopKCategoricalAccuracy', config: { name: 'x', dtype: 'float32', k: 2, from_sorted_ids: false } });
    expect(ok.getConfig()).toEqual({ name: 'x', dtype: 'float32', k: 2 });
    expect(() => deserialize('metric', { class_name: 'SparseTopKCategoricalAccuracy', config: { k: 2, from_sorted_ids: true } })).toThrow(
      /SparseTopKCategoricalAccuracy: argument 'fromSortedIds' = true is a Keras 3 option/,
    );
    const policy = deserialize<Metric>('metric', { class_name: 'Mean', config: { name: 'loss', dtype: { class_name: 'DTypePolicy', config: { name: 'float32' } } } });
    expect(policy.getConfig()).toEqual({ name: 'loss', dtype: 'float32' });
  });
});

describe('metrics: argument errors', () => {
  it('name the class, the argument, the value and what was expected', () => {
    // @ts-expect-error -- 'bogus' is deliberately not an argument here, to check the runtime error
    expect(() => new BinaryAccuracy({ name: 'b', bogus: 1 })).toThrow(/BinaryAccuracy 'b': unknown argument 'bogus' \(got 1\); BinaryAccuracy takes name, dtype, threshold/);
    // @ts-expect-error -- threshold must be a number; 'high' is wrong on purpose
    expect(() => new BinaryAccuracy({ threshold: 'high' })).toThrow(/BinaryAccuracy: argument 'threshold' got "high"/);
    expect(() => new BinaryAccuracy({ dtype: 'float16' })).toThrow(/BinaryAccuracy: argument 'dtype' got "float16": metrics compute in float32/);
    expect(() => new Precision({ name: 'p', thresholds: [0.5, 1.5] })).toThrow(/Precision 'p': argument 'thresholds' got \[0.5,1.5\]: threshold values must be in \[0, 1\]/);
    // @ts-expect-error -- curve = 'XY' is not an allowed value, to check the runtime error
    expect(() => new AUC({ name: 'a', curve: 'XY' })).toThrow(/AUC 'a': argument 'curve' got "XY": expected 'ROC' or 'PR'/);
    expect(() => new AUC({ name: 'a', numThresholds: 1 })).toThrow(/AUC 'a': argument 'num_thresholds' got 1: it must be an integer > 1/);
    expect(() => new AUC({ name: 'a', numLabels: 3 })).toThrow(/num_labels' is needed only when multi_label is true/);
    expect(() => new F1Score({ threshold: 0 })).toThrow(/F1Score: argument 'threshold' got 0: it should verify 0 < threshold <= 1/);
    expect(() => new MeanIoU({ numClasses: 0 })).toThrow(/MeanIoU: argument 'numClasses' got 0/);
    expect(() => deserialize('metric', { class_name: 'IoU', config: { num_classes: 2, target_class_ids: [3] } })).toThrow(/IoU 'io_u(_\d+)?': target class id 3 is out of range, which is \[0, 2\)/);
    expect(() => new MeanMetricWrapper({ fn: 'nope' })).toThrow(/MeanMetricWrapper: unknown metric function 'nope'/);
  });

  it('update errors name the metric and the shapes', async () => {
    await expect(new Precision({ name: 'p' }).update(t([[1, 0]]), t([[0.3, 0.2, 0.1]]))).rejects.toThrow(/Precision 'p': y_true of shape \[1,2\] and y_pred of shape \[1,3\] are not compatible/);
    await expect(new F1Score({ name: 'f' }).update(t([1, 0]), t([0.3, 0.2]))).rejects.toThrow(/F1Score 'f' expects 2D inputs with shape \(batch_size, output_dim\), got y_true of shape \[2\]/);
    await expect(new AUC({ name: 'a', multiLabel: true }).update(t([1, 0]), t([0.3, 0.2]))).rejects.toThrow(/AUC 'a': y_pred must have rank 2 when multi_label is true, got shape \[2\]/);
    await expect(new BinaryAccuracy({ name: 'b' }).update(t([[1, 0]]), t([[1, 0]]), t([[[1, 1, 1]]]))).rejects.toThrow(/BinaryAccuracy 'b'/);
  });
});

describe('metrics: resetState', () => {
  it('restores every state variable, including the ones created by the first batch', async () => {
    const f1 = new F1Score({ threshold: 0.5, average: 'macro' });
    const a = await after(f1, t([[1, 0], [0, 1]]), t([[0.9, 0.1], [0.2, 0.8]]));
    close(a, 1);
    f1.resetState();
    for (const v of f1.variables) expect(Array.from(v.value.data).every((x) => x === 0)).toBe(true);
    close(await after(f1, t([[1, 0], [0, 1]]), t([[0.1, 0.9], [0.8, 0.2]])), 0);
    const auc = new AUC({ multiLabel: true });
    await auc.update(t([[1, 0], [0, 1]]), t([[0.9, 0.1], [0.2, 0.8]]));
    expect(auc.variables.map((v) => v.shape)).toEqual([
      [200, 2],
      [200, 2],
      [200, 2],
      [200, 2],
    ]);
    auc.resetState();
    for (const v of auc.variables) expect(Array.from(v.value.data).every((x) => x === 0)).toBe(true);
  });

  it('a result before the first batch is refused when the state depends on it', async () => {
    await expect(new F1Score({ name: 'f' }).resultValue()).rejects.toThrow(/F1Score 'f': no result before the first update/);
    close((await new Precision().resultValue()).toArray(), 0);
    close((await new BinaryAccuracy().resultValue()).toArray(), 0);
  });
});
