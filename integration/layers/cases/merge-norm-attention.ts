/**
 * Harness cases: normalization, merging and attention layers. `keras` names the golden cases
 * (Keras' own numbers) each class's forward values are checked against.
 */
import {
  Add,
  AdditiveAttention,
  Attention,
  Average,
  BatchNormalization,
  Concatenate,
  Dot,
  GroupNormalization,
  LayerNormalization,
  Maximum,
  Minimum,
  MultiHeadAttention,
  Multiply,
  Subtract,
  UnitNormalization,
} from '@keras-ts/keras';
import type { HarnessCase } from '../harness.js';

export const MERGE_NORM_ATTENTION_CASES: Record<string, HarnessCase> = {
  BatchNormalization: {
    make: () => new BatchNormalization({ momentum: 0.9 }),
    inputShape: [4],
    outputShape: [4],
    weightShapes: [[4], [4], [4], [4]],
    keras: ['layers/BatchNormalization/inference', 'layers/BatchNormalization/training'],
  },
  'BatchNormalization 4D axis 1': { make: () => new BatchNormalization({ axis: 1, center: false }), inputShape: [3, 2, 2], outputShape: [3, 2, 2], weightShapes: [[3], [3], [3]], keras: ['layers/BatchNormalization/conv_axis'] },
  'BatchNormalization two axes': { make: () => new BatchNormalization({ axis: [1, 2] }), inputShape: [2, 3], outputShape: [2, 3], weightShapes: [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]] },
  LayerNormalization: { make: () => new LayerNormalization(), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[4], [4]], keras: ['layers/LayerNormalization/basic'] },
  'LayerNormalization two axes': { make: () => new LayerNormalization({ axis: [1, 2], scale: false }), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[3, 4]], keras: ['layers/LayerNormalization/axes12'] },
  GroupNormalization: { make: () => new GroupNormalization({ groups: 2 }), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[4], [4]], keras: ['layers/GroupNormalization/g2'] },
  UnitNormalization: { make: () => new UnitNormalization({ axis: [1, 2] }), inputShape: [2, 3], outputShape: [2, 3], weightShapes: [], keras: ['layers/UnitNormalization/last'] },
  Add: { make: () => new Add(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [], keras: ['layers/Add/basic'] },
  Subtract: { make: () => new Subtract(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [], keras: ['layers/Subtract/basic'] },
  Multiply: { make: () => new Multiply(), inputShape: [[2, 3], [1, 3]], outputShape: [2, 3], weightShapes: [], keras: ['layers/Multiply/basic'] },
  Average: { make: () => new Average(), inputShape: [[3], [3], [3]], outputShape: [3], weightShapes: [], keras: ['layers/Average/basic'] },
  Maximum: { make: () => new Maximum(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [], keras: ['layers/Maximum/basic'] },
  Minimum: { make: () => new Minimum(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [], keras: ['layers/Minimum/basic'] },
  Concatenate: { make: () => new Concatenate({ axis: 1 }), inputShape: [[2, 3], [4, 3]], outputShape: [6, 3], weightShapes: [], keras: ['layers/Concatenate/axis1'] },
  Dot: { make: () => new Dot({ axes: [2, 1], normalize: true }), inputShape: [[2, 3], [3, 4]], outputShape: [2, 4], weightShapes: [], keras: ['layers/Dot/normalize', 'layers/Dot/axes_1_2'] },
  Attention: { make: () => new Attention({ useScale: true, scoreMode: 'concat' }), inputShape: [[2, 3], [4, 3]], outputShape: [2, 3], weightShapes: [[], []], keras: ['layers/Attention/scaled'] },
  AdditiveAttention: { make: () => new AdditiveAttention(), inputShape: [[2, 3], [4, 3], [4, 3]], outputShape: [2, 3], weightShapes: [[3]], keras: ['layers/AdditiveAttention/basic'] },
  MultiHeadAttention: {
    make: () => new MultiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 2, outputShape: 5 }),
    inputShape: [
      [2, 4],
      [3, 6],
    ],
    outputShape: [2, 5],
    weightShapes: [
      [4, 2, 3],
      [2, 3],
      [6, 2, 3],
      [2, 3],
      [6, 2, 2],
      [2, 2],
      [2, 2, 5],
      [5],
    ],
    keras: ['layers/MultiHeadAttention/basic'],
  },
};
