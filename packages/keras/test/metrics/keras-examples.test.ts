import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, it } from 'vitest';
import {
  AUC,
  Accuracy,
  BinaryAccuracy,
  BinaryCrossentropy,
  BinaryIoU,
  CategoricalAccuracy,
  CategoricalCrossentropy,
  CategoricalHinge,
  CosineSimilarity,
  F1Score,
  FBetaScore,
  FalseNegatives,
  FalsePositives,
  Hinge,
  IoU,
  KLDivergence,
  LogCoshError,
  Mean,
  MeanAbsoluteError,
  MeanAbsolutePercentageError,
  MeanIoU,
  MeanRelativeError,
  MeanSquaredError,
  MeanSquaredLogarithmicError,
  OneHotIoU,
  OneHotMeanIoU,
  Poisson,
  Precision,
  PrecisionAtRecall,
  R2Score,
  Recall,
  RecallAtPrecision,
  RootMeanSquaredError,
  SensitivityAtSpecificity,
  SparseCategoricalAccuracy,
  SparseCategoricalCrossentropy,
  SparseTopKCategoricalAccuracy,
  SpecificityAtSensitivity,
  SquaredHinge,
  Sum,
  TopKCategoricalAccuracy,
  TrueNegatives,
  TruePositives,
} from '../../src/metrics/index.js';
import { setBackend, type Metric } from '../../src/index.js';
import { after, close, t } from './helpers.js';

beforeAll(() => setBackend(createTsBackend()));

/**
 * The examples of Keras 2's own documentation (tf.keras 2.15 docstrings): a batch, the result,
 * then `reset_state()` and the same batch with sample weights.
 */
interface Example {
  make: () => Metric;
  yTrue: Parameters<typeof t>[0];
  yPred: Parameters<typeof t>[0];
  intLabels?: boolean;
  want: number | number[];
  sw?: number[];
  wantWeighted?: number;
}

const R = [[0, 1], [0, 0]];
const P = [[1, 1], [0, 0]];
const PP = [[0.6, 0.4], [0.4, 0.6]];

const examples: Record<string, Example> = {
  Accuracy: { make: () => new Accuracy(), yTrue: [[1], [2], [3], [4]], yPred: [[0], [2], [3], [4]], want: 0.75, sw: [1, 1, 0, 0], wantWeighted: 0.5 },
  BinaryAccuracy: { make: () => new BinaryAccuracy(), yTrue: [[1], [1], [0], [0]], yPred: [[0.98], [1], [0], [0.6]], want: 0.75, sw: [1, 0, 0, 1], wantWeighted: 0.5 },
  CategoricalAccuracy: { make: () => new CategoricalAccuracy(), yTrue: [[0, 0, 1], [0, 1, 0]], yPred: [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], want: 0.5, sw: [0.7, 0.3], wantWeighted: 0.3 },
  SparseCategoricalAccuracy: { make: () => new SparseCategoricalAccuracy(), yTrue: [[2], [1]], yPred: [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], want: 0.5, sw: [0.7, 0.3], wantWeighted: 0.3 },
  'SparseCategoricalAccuracy (int32 labels of rank 1)': { make: () => new SparseCategoricalAccuracy(), yTrue: [2, 1], intLabels: true, yPred: [[0.1, 0.6, 0.3], [0.05, 0.95, 0]], want: 0.5, sw: [0.7, 0.3], wantWeighted: 0.3 },
  TopKCategoricalAccuracy: { make: () => new TopKCategoricalAccuracy({ k: 1 }), yTrue: [[0, 0, 1], [0, 1, 0]], yPred: [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], want: 0.5, sw: [0.7, 0.3], wantWeighted: 0.3 },
  SparseTopKCategoricalAccuracy: { make: () => new SparseTopKCategoricalAccuracy({ k: 1 }), yTrue: [2, 1], yPred: [[0.1, 0.9, 0.8], [0.05, 0.95, 0]], want: 0.5, sw: [0.7, 0.3], wantWeighted: 0.3 },
  FalsePositives: { make: () => new FalsePositives(), yTrue: [0, 1, 0, 0], yPred: [0, 0, 1, 1], want: 2, sw: [0, 0, 1, 0], wantWeighted: 1 },
  FalseNegatives: { make: () => new FalseNegatives(), yTrue: [0, 1, 1, 1], yPred: [0, 1, 0, 0], want: 2, sw: [0, 0, 1, 0], wantWeighted: 1 },
  TrueNegatives: { make: () => new TrueNegatives(), yTrue: [0, 1, 0, 0], yPred: [1, 1, 0, 0], want: 2, sw: [0, 0, 1, 0], wantWeighted: 1 },
  TruePositives: { make: () => new TruePositives(), yTrue: [0, 1, 1, 1], yPred: [1, 0, 1, 1], want: 2, sw: [0, 0, 1, 0], wantWeighted: 1 },
  Precision: { make: () => new Precision(), yTrue: [0, 1, 1, 1], yPred: [1, 0, 1, 1], want: 0.6666667, sw: [0, 0, 1, 0], wantWeighted: 1 },
  'Precision (top_k 2: ties go to the lower index)': { make: () => new Precision({ topK: 2 }), yTrue: [0, 0, 1, 1], yPred: [1, 1, 1, 1], want: 0 },
  'Precision (top_k 4)': { make: () => new Precision({ topK: 4 }), yTrue: [0, 0, 1, 1], yPred: [1, 1, 1, 1], want: 0.5 },
  Recall: { make: () => new Recall(), yTrue: [0, 1, 1, 1], yPred: [1, 0, 1, 1], want: 0.6666667, sw: [0, 0, 1, 0], wantWeighted: 1 },
  SensitivityAtSpecificity: { make: () => new SensitivityAtSpecificity({ specificity: 0.5 }), yTrue: [0, 0, 0, 1, 1], yPred: [0, 0.3, 0.8, 0.3, 0.8], want: 0.5, sw: [1, 1, 2, 2, 1], wantWeighted: 0.333333 },
  SpecificityAtSensitivity: { make: () => new SpecificityAtSensitivity({ sensitivity: 0.5 }), yTrue: [0, 0, 0, 1, 1], yPred: [0, 0.3, 0.8, 0.3, 0.8], want: 0.66666667, sw: [1, 1, 2, 2, 2], wantWeighted: 0.5 },
  PrecisionAtRecall: { make: () => new PrecisionAtRecall({ recall: 0.5 }), yTrue: [0, 0, 0, 1, 1], yPred: [0, 0.3, 0.8, 0.3, 0.8], want: 0.5, sw: [2, 2, 2, 1, 1], wantWeighted: 0.33333333 },
  RecallAtPrecision: { make: () => new RecallAtPrecision({ precision: 0.8 }), yTrue: [0, 0, 1, 1], yPred: [0, 0.5, 0.3, 0.9], want: 0.5, sw: [1, 0, 0, 1], wantWeighted: 1 },
  AUC: { make: () => new AUC({ numThresholds: 3 }), yTrue: [0, 0, 1, 1], yPred: [0, 0.5, 0.3, 0.9], want: 0.75, sw: [1, 0, 0, 1], wantWeighted: 1 },
  CosineSimilarity: { make: () => new CosineSimilarity({ axis: 1 }), yTrue: [[0, 1], [1, 1]], yPred: [[1, 0], [1, 1]], want: 0.49999997, sw: [0.3, 0.7], wantWeighted: 0.6999999 },
  MeanAbsoluteError: { make: () => new MeanAbsoluteError(), yTrue: R, yPred: P, want: 0.25, sw: [1, 0], wantWeighted: 0.5 },
  MeanAbsolutePercentageError: { make: () => new MeanAbsolutePercentageError(), yTrue: R, yPred: P, want: 250000000, sw: [1, 0], wantWeighted: 500000000 },
  MeanSquaredError: { make: () => new MeanSquaredError(), yTrue: R, yPred: P, want: 0.25, sw: [1, 0], wantWeighted: 0.5 },
  MeanSquaredLogarithmicError: { make: () => new MeanSquaredLogarithmicError(), yTrue: R, yPred: P, want: 0.12011322, sw: [1, 0], wantWeighted: 0.24022643 },
  RootMeanSquaredError: { make: () => new RootMeanSquaredError(), yTrue: R, yPred: P, want: 0.5, sw: [1, 0], wantWeighted: 0.70710677 },
  LogCoshError: { make: () => new LogCoshError(), yTrue: R, yPred: P, want: 0.10844523, sw: [1, 0], wantWeighted: 0.21689045 },
  Poisson: { make: () => new Poisson(), yTrue: R, yPred: P, want: 0.49999997, sw: [1, 0], wantWeighted: 0.99999994 },
  KLDivergence: { make: () => new KLDivergence(), yTrue: R, yPred: PP, want: 0.45814306, sw: [1, 0], wantWeighted: 0.9162892 },
  BinaryCrossentropy: { make: () => new BinaryCrossentropy(), yTrue: R, yPred: PP, want: 0.81492424, sw: [1, 0], wantWeighted: 0.9162905 },
  CategoricalCrossentropy: { make: () => new CategoricalCrossentropy(), yTrue: [[0, 1, 0], [0, 0, 1]], yPred: [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], want: 1.1769392, sw: [0.3, 0.7], wantWeighted: 1.6271976 },
  SparseCategoricalCrossentropy: { make: () => new SparseCategoricalCrossentropy(), yTrue: [1, 2], yPred: [[0.05, 0.95, 0], [0.1, 0.8, 0.1]], want: 1.1769392, sw: [0.3, 0.7], wantWeighted: 1.6271976 },
  Hinge: { make: () => new Hinge(), yTrue: R, yPred: PP, want: 1.3, sw: [1, 0], wantWeighted: 1.1 },
  SquaredHinge: { make: () => new SquaredHinge(), yTrue: R, yPred: PP, want: 1.86, sw: [1, 0], wantWeighted: 1.46 },
  CategoricalHinge: { make: () => new CategoricalHinge(), yTrue: R, yPred: PP, want: 1.4000001, sw: [1, 0], wantWeighted: 1.2 },
  IoU: { make: () => new IoU({ numClasses: 2, targetClassIds: [0] }), yTrue: [0, 0, 1, 1], yPred: [0, 1, 0, 1], want: 0.33333334, sw: [0.3, 0.3, 0.3, 0.1], wantWeighted: 0.33333334 },
  BinaryIoU: { make: () => new BinaryIoU({ targetClassIds: [0, 1], threshold: 0.3 }), yTrue: [0, 1, 0, 1], yPred: [0.1, 0.2, 0.4, 0.7], want: 0.33333334, sw: [0.2, 0.3, 0.4, 0.1], wantWeighted: 0.17361112 },
  MeanIoU: { make: () => new MeanIoU({ numClasses: 2 }), yTrue: [0, 0, 1, 1], yPred: [0, 1, 0, 1], want: 0.33333334, sw: [0.3, 0.3, 0.3, 0.1], wantWeighted: 0.23809525 },
  MeanRelativeError: { make: () => new MeanRelativeError({ normalizer: [1, 3, 2, 3] }), yTrue: [1, 3, 2, 3], yPred: [2, 4, 6, 8], want: 1.25 },
  R2Score: { make: () => new R2Score(), yTrue: [[1], [4], [3]], yPred: [[2], [4], [4]], want: 0.57142854 },
  F1Score: {
    make: () => new F1Score({ threshold: 0.5 }),
    yTrue: [[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    yPred: [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]],
    want: [0.5, 0.8, 0.6666667],
  },
  FBetaScore: {
    make: () => new FBetaScore({ beta: 2, threshold: 0.5 }),
    yTrue: [[1, 1, 1], [1, 0, 0], [1, 1, 0]],
    yPred: [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]],
    want: [0.3846154, 0.90909094, 0.8333334],
  },
};

describe('metrics: the examples of the Keras 2 documentation', () => {
  for (const [name, ex] of Object.entries(examples)) {
    it(name, async () => {
      const m = ex.make();
      close(await after(m, t(ex.yTrue, ex.intLabels), t(ex.yPred)), ex.want);
      if (ex.sw) {
        m.resetState();
        close(await after(m, t(ex.yTrue, ex.intLabels), t(ex.yPred), t(ex.sw)), ex.wantWeighted!);
      }
    });
  }

  it('OneHotIoU and OneHotMeanIoU with sample weights', async () => {
    const yTrue = t([[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]]);
    const yPred = t([[0.2, 0.3, 0.5], [0.1, 0.2, 0.7], [0.5, 0.3, 0.1], [0.1, 0.4, 0.5]]);
    const sw = t([0.1, 0.2, 0.3, 0.4]);
    // cm = [[0, 0, 0.6], [0.3, 0, 0], [0, 0, 0.1]]: class 2 has IoU 0.1 / 0.7.
    close(await after(new OneHotIoU({ numClasses: 3, targetClassIds: [0, 2] }), yTrue, yPred, sw), 0.1 / 0.7 / 2);
    close(await after(new OneHotMeanIoU({ numClasses: 3 }), yTrue, yPred, sw), 0.1 / 0.7 / 3);
  });

  it('Mean and Sum of values with sample weights', async () => {
    const mean = new Mean();
    await mean.updateValues(t([1, 3, 5, 7]));
    close(await mean.resultValue().then((r) => r.toArray()), 4);
    mean.resetState();
    await mean.updateValues(t([1, 3, 5, 7]), t([1, 1, 0, 0]));
    close(await mean.resultValue().then((r) => r.toArray()), 2);
    const sum = new Sum();
    await sum.updateValues(t([1, 3, 5, 7]), t([1, 1, 0, 0]));
    close(await sum.resultValue().then((r) => r.toArray()), 4);
    await sum.updateValues(t([1, 3, 5, 7]));
    close(await sum.resultValue().then((r) => r.toArray()), 20);
  });
});
