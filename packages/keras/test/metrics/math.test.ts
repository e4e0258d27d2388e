import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, it } from 'vitest';
import { setBackend } from '../../src/index.js';
import {
  AUC,
  BinaryAccuracy,
  BinaryCrossentropy,
  CategoricalCrossentropy,
  F1Score,
  Mean,
  MeanIoU,
  MeanSquaredError,
  Precision,
  R2Score,
  Recall,
  SparseCategoricalAccuracy,
  SparseCategoricalCrossentropy,
  SparseTopKCategoricalAccuracy,
  TopKCategoricalAccuracy,
  TruePositives,
} from '../../src/metrics/index.js';
import { after, close, t } from './helpers.js';

beforeAll(() => setBackend(createTsBackend()));

// ---- a small independent reference of Keras' confusion-matrix metrics (float64) ----

interface Counts {
  tp: number[];
  fp: number[];
  tn: number[];
  fn: number[];
}

function counts(labels: number[], preds: number[], weights: number[], thresholds: number[]): Counts {
  const c: Counts = { tp: [], fp: [], tn: [], fn: [] };
  for (const thr of thresholds) {
    let tp = 0;
    let fp = 0;
    let tn = 0;
    let fn = 0;
    labels.forEach((l, i) => {
      const pos = preds[i] > thr;
      const w = weights[i];
      if (l && pos) tp += w;
      else if (!l && pos) fp += w;
      else if (!l && !pos) tn += w;
      else fn += w;
    });
    c.tp.push(tp);
    c.fp.push(fp);
    c.tn.push(tn);
    c.fn.push(fn);
  }
  return c;
}

const div = (a: number, b: number): number => (b === 0 ? 0 : a / b);

function aucRef(c: Counts, curve: 'ROC' | 'PR', method: 'interpolation' | 'minoring' | 'majoring'): number {
  const n = c.tp.length;
  let sum = 0;
  if (curve === 'PR' && method === 'interpolation') {
    for (let i = 0; i < n - 1; i++) {
      const dtp = c.tp[i] - c.tp[i + 1];
      const p0 = c.tp[i] + c.fp[i];
      const p1 = c.tp[i + 1] + c.fp[i + 1];
      const slope = div(dtp, Math.max(p0 - p1, 0));
      const intercept = c.tp[i + 1] - slope * p1;
      const ratio = p0 > 0 && p1 > 0 ? div(p0, Math.max(p1, 0)) : 1;
      sum += div(slope * (dtp + intercept * Math.log(ratio)), Math.max(c.tp[i + 1] + c.fn[i + 1], 0));
    }
    return sum;
  }
  const recall = c.tp.map((tp, i) => div(tp, tp + c.fn[i]));
  const x = curve === 'ROC' ? c.fp.map((fp, i) => div(fp, fp + c.tn[i])) : recall;
  const y = curve === 'ROC' ? recall : c.tp.map((tp, i) => div(tp, tp + c.fp[i]));
  for (let i = 0; i < n - 1; i++) {
    const h = method === 'interpolation' ? (y[i] + y[i + 1]) / 2 : method === 'minoring' ? Math.min(y[i], y[i + 1]) : Math.max(y[i], y[i + 1]);
    sum += (x[i] - x[i + 1]) * h;
  }
  return sum;
}

function aucThresholds(n: number): number[] {
  return [-1e-7, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + 1e-7];
}

const labels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
const preds = [0.91, 0.12, 0.47, 0.66, 0.52, 0.33, 0.08, 0.74, 0.58, 0.05];
const weights = [1, 0.5, 2, 1, 1, 0.25, 1, 3, 0.5, 1];
const ones = labels.map(() => 1);

describe('metrics: AUC against an independent reference', () => {
  for (const curve of ['ROC', 'PR'] as const) {
    for (const method of ['interpolation', 'minoring', 'majoring'] as const) {
      it(`${curve} ${method}, with and without sample weights`, async () => {
        const thr = aucThresholds(13);
        const m = new AUC({ numThresholds: 13, curve, summationMethod: method });
        close(await after(m, t(labels), t(preds)), aucRef(counts(labels, preds, ones, thr), curve, method), 1e-5);
        m.resetState();
        close(await after(m, t(labels), t(preds), t(weights)), aucRef(counts(labels, preds, weights, thr), curve, method), 1e-5);
      });
    }
  }

  it('explicit (uneven) thresholds', async () => {
    const inner = [0.1, 0.45, 0.5, 0.9];
    const m = new AUC({ thresholds: [0.9, 0.1, 0.5, 0.45], curve: 'PR', summationMethod: 'minoring' });
    close(await after(m, t(labels), t(preds)), aucRef(counts(labels, preds, ones, [-1e-7, ...inner, 1 + 1e-7]), 'PR', 'minoring'), 1e-6);
  });

  it('from_logits applies a sigmoid first', async () => {
    const logits = preds.map((p) => Math.log(p / (1 - p)));
    const m = new AUC({ numThresholds: 21, fromLogits: true });
    close(await after(m, t(labels), t(logits)), aucRef(counts(labels, preds, ones, aucThresholds(21)), 'ROC', 'interpolation'), 1e-5);
  });

  it('accumulates over batches', async () => {
    const m = new AUC({ numThresholds: 11 });
    await m.update(t(labels.slice(0, 5)), t(preds.slice(0, 5)));
    close(await after(m, t(labels.slice(5)), t(preds.slice(5))), aucRef(counts(labels, preds, ones, aucThresholds(11)), 'ROC', 'interpolation'), 1e-6);
  });

  it('multi_label: one curve per label, averaged (weighted by label_weights)', async () => {
    const l2 = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1];
    const p2 = [0.2, 0.8, 0.4, 0.1, 0.9, 0.6, 0.3, 0.7, 0.35, 0.95];
    const yTrue = t(labels.map((l, i) => [l, l2[i]]));
    const yPred = t(preds.map((p, i) => [p, p2[i]]));
    const thr = aucThresholds(50);
    const a1 = aucRef(counts(labels, preds, ones, thr), 'ROC', 'interpolation');
    const a2 = aucRef(counts(l2, p2, ones, thr), 'ROC', 'interpolation');
    close(await after(new AUC({ numThresholds: 50, multiLabel: true }), yTrue, yPred), (a1 + a2) / 2, 1e-5);
    close(await after(new AUC({ numThresholds: 50, multiLabel: true, numLabels: 2, labelWeights: [1, 3] }), yTrue, yPred), (a1 + 3 * a2) / 4, 1e-5);
    // Without multi_label, label weights weight the flattened data.
    const flatL = labels.flatMap((l, i) => [l, l2[i]]);
    const flatP = preds.flatMap((p, i) => [p, p2[i]]);
    const flatW = labels.flatMap(() => [1, 3]);
    close(await after(new AUC({ numThresholds: 50, labelWeights: [1, 3] }), yTrue, yPred), aucRef(counts(flatL, flatP, flatW, thr), 'ROC', 'interpolation'), 1e-5);
  });
});

describe('metrics: Precision / Recall / confusion counts', () => {
  it('several thresholds give one value each', async () => {
    const thr = [0.1, 0.5, 0.8];
    const c = counts(labels, preds, weights, thr);
    close(await after(new Precision({ thresholds: thr }), t(labels), t(preds), t(weights)), c.tp.map((tp, i) => div(tp, tp + c.fp[i])));
    close(await after(new Recall({ thresholds: thr }), t(labels), t(preds), t(weights)), c.tp.map((tp, i) => div(tp, tp + c.fn[i])));
    close(await after(new TruePositives({ thresholds: thr }), t(labels), t(preds), t(weights)), c.tp);
  });

  it('class_id looks at one column; top_k keeps the k largest of each row', async () => {
    const yTrue = t([
      [0, 1, 0],
      [1, 0, 1],
      [0, 1, 1],
    ]);
    const yPred = t([
      [0.6, 0.7, 0.1],
      [0.2, 0.9, 0.3],
      [0.4, 0.55, 0.8],
    ]);
    // Column 1: labels [1, 0, 1], predictions [0.7, 0.9, 0.55] -> tp 2, fp 1.
    close(await after(new Precision({ classId: 1 }), yTrue, yPred), 2 / 3);
    // Top 1 of each row: (0,1) label 1, (1,1) label 0, (2,2) label 1 -> precision 2/3; recall 2/5.
    close(await after(new Precision({ topK: 1 }), yTrue, yPred), 2 / 3);
    close(await after(new Recall({ topK: 1 }), yTrue, yPred), 2 / 5);
    // top_k with class_id: column 2 after keeping the top 2 of each row: rows 1 and 2 keep column 2.
    close(await after(new Recall({ topK: 2, classId: 2 }), yTrue, yPred), 1);
  });

  it('labels shaped [N] against predictions [N, 1], with [N] weights', async () => {
    const p = new Precision();
    close(await after(p, t([1, 0, 1]), t([[0.9], [0.8], [0.2]]), t([1, 2, 1])), 1 / 3);
  });
});

describe('metrics: F1Score', () => {
  const yTrue = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 1, 1],
    [1, 0, 1],
  ];
  const yPred = [
    [0.7, 0.2, 0.4],
    [0.6, 0.3, 0.1],
    [0.2, 0.8, 0.6],
    [0.1, 0.4, 0.3],
  ];
  // Threshold 0.5: predictions [[1,0,0],[1,0,0],[0,1,1],[0,0,0]].
  // Per class: tp [1, 1, 1], fp [1, 0, 0], fn [1, 1, 1]; F1 = 2tp / (2tp + fp + fn).
  const f1 = [2 / 4, 2 / 3, 2 / 3];
  it('average None / macro / micro / weighted', async () => {
    close(await after(new F1Score({ threshold: 0.5 }), t(yTrue), t(yPred)), f1);
    close(await after(new F1Score({ threshold: 0.5, average: 'macro' }), t(yTrue), t(yPred)), (f1[0] + f1[1] + f1[2]) / 3);
    close(await after(new F1Score({ threshold: 0.5, average: 'micro' }), t(yTrue), t(yPred)), (2 * 3) / (2 * 3 + 1 + 3));
    // Weighted by the label counts [2, 2, 2] (here equal).
    close(await after(new F1Score({ threshold: 0.5, average: 'weighted' }), t(yTrue), t(yPred)), (f1[0] + f1[1] + f1[2]) / 3);
  });

  it('threshold None takes the largest prediction of each row', async () => {
    // argmax rows: [0], [0], [1], [1] -> tp [1, 1, 0], fp [1, 1, 0], fn [1, 1, 2].
    close(await after(new F1Score(), t(yTrue), t(yPred)), [0.5, 0.5, 0]);
  });

  it('sample weights scale each row', async () => {
    // Weights [1, 0, 1, 1]: row 2 drops out: tp [1, 1, 1], fp [0, 0, 0], fn [1, 0, 1].
    close(await after(new F1Score({ threshold: 0.5 }), t(yTrue), t(yPred), t([1, 0, 1, 1])), [2 / 3, 1, 2 / 3]);
  });
});

describe('metrics: mean metrics', () => {
  it('Mean of 2-D values with 1-D weights (Keras 2: weights broadcast over the values)', async () => {
    const m = new Mean();
    await m.updateValues(t([[1, 2], [3, 4], [5, 6]]), t([1, 0, 2]));
    close((await m.resultValue()).toArray(), (1 + 2 + 2 * (5 + 6)) / (2 * 3));
  });

  it('weights of shape [N, 1] and a scalar weight', async () => {
    close(await after(new MeanSquaredError(), t([[0, 1], [0, 0]]), t([[1, 1], [0, 2]]), t([[1], [3]])), (1 * 0.5 + 3 * 2) / 4);
    close(await after(new BinaryAccuracy(), t([[1], [0]]), t([[0.7], [0.9]]), t(2)), 0.5);
  });

  it('SparseCategoricalAccuracy with [N, 1] labels and [N, 1] weights', async () => {
    close(await after(new SparseCategoricalAccuracy(), t([[2], [1], [0]]), t([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.2, 0.5, 0.3]]), t([[1], [1], [2]])), 2 / 4);
  });

  it('SparseCategoricalCrossentropy ignore_class leaves those labels out of the mean', async () => {
    const p = [
      [0.2, 0.7, 0.1],
      [0.5, 0.25, 0.25],
      [0.1, 0.1, 0.8],
    ];
    const m = new SparseCategoricalCrossentropy({ ignoreClass: 2 });
    close(await after(m, t([1, 0, 2]), t(p)), (-Math.log(0.7) - Math.log(0.5)) / 2);
  });

  it('crossentropy with label smoothing and logits', async () => {
    const logits = [
      [1.5, -0.5, 0.2],
      [0.1, 2.0, -1.0],
    ];
    const labels3 = [
      [0, 0, 1],
      [0, 1, 0],
    ];
    let cce = 0;
    for (let r = 0; r < 2; r++) {
      const lse = Math.log(logits[r].reduce((s, x) => s + Math.exp(x), 0));
      const smoothed = labels3[r].map((l) => l * 0.7 + 0.3 / 3);
      cce += -smoothed.reduce((s, l, i) => s + l * (logits[r][i] - lse), 0);
    }
    close(await after(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }), t(labels3), t(logits)), cce / 2, 1e-5);
    const x = [0.3, -1.2, 2.5, 0];
    const y = [1, 0, 1, 0];
    let bce = 0;
    x.forEach((xi, i) => {
      const z = y[i] * 0.8 + 0.5 * 0.2;
      bce += Math.max(xi, 0) - xi * z + Math.log1p(Math.exp(-Math.abs(xi)));
    });
    close(await after(new BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), t([y]), t([x])), bce / 4, 1e-5);
  });

  it('top-k accuracy counts ties with the k-th largest as inside (TensorFlow in_top_k)', async () => {
    const p = [
      [0.5, 0.5, 0.1],
      [0.2, 0.3, 0.5],
    ];
    close(await after(new SparseTopKCategoricalAccuracy({ k: 1 }), t([1, 0], true), t(p)), 0.5);
    close(await after(new TopKCategoricalAccuracy({ k: 2 }), t([[1, 0, 0], [1, 0, 0]]), t(p)), 0.5);
    close(await after(new SparseTopKCategoricalAccuracy({ k: 1 }), t([[0], [2]]), t(p)), 1);
  });
});

describe('metrics: R2Score', () => {
  const yTrue = [
    [1, 2],
    [4, 1],
    [3, 5],
    [2, 2],
  ];
  const yPred = [
    [2, 2.5],
    [4, 1],
    [4, 4],
    [1.5, 2],
  ];
  function perOutput(): { raw: number[]; total: number[] } {
    const raw: number[] = [];
    const total: number[] = [];
    for (let j = 0; j < 2; j++) {
      const col = yTrue.map((r) => r[j]);
      const m = col.reduce((a, b) => a + b, 0) / col.length;
      const tot = col.reduce((a, b) => a + (b - m) ** 2, 0);
      const res = yTrue.reduce((a, r, i) => a + (r[j] - yPred[i][j]) ** 2, 0);
      raw.push(1 - res / tot);
      total.push(tot);
    }
    return { raw, total };
  }
  it('aggregations and the adjusted score', async () => {
    const { raw, total } = perOutput();
    close(await after(new R2Score({ classAggregation: null }), t(yTrue), t(yPred)), raw);
    close(await after(new R2Score(), t(yTrue), t(yPred)), (raw[0] + raw[1]) / 2);
    close(await after(new R2Score({ classAggregation: 'variance_weighted_average' }), t(yTrue), t(yPred)), (raw[0] * total[0] + raw[1] * total[1]) / (total[0] + total[1]));
    // Keras 2 counts every value as a sample: n = 8.
    const r2 = (raw[0] + raw[1]) / 2;
    close(await after(new R2Score({ numRegressors: 3 }), t(yTrue), t(yPred)), 1 - ((1 - r2) * 7) / (8 - 3 - 1));
    close(await after(new R2Score({ numRegressors: 7 }), t(yTrue), t(yPred)), r2);
  });
});

describe('metrics: MeanIoU', () => {
  it('ignore_class and out-of-range indices add nothing', async () => {
    const m = new MeanIoU({ numClasses: 3, ignoreClass: 0 });
    // Kept pairs (label, pred): (1,1), (2,1), (2,2); label 0 ignored, label 5 out of range.
    // cm rows=labels: [[0,0,0],[0,1,0],[0,1,1]]: class1 IoU 1/(2+1-1)=0.5, class2 1/(1+2-1)=0.5; class 0 unseen.
    close(await after(m, t([1, 2, 2, 0, 5], true), t([1, 1, 2, 2, 1])), 0.5);
  });

  it('float predictions are truncated toward zero', async () => {
    close(await after(new MeanIoU({ numClasses: 2 }), t([0, 1, 1], true), t([0.9, 1.7, 1.2])), (1 / 1 + 2 / 2) / 2);
  });
});
