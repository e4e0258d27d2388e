import { describe, it } from 'vitest';
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
} from '../../src/index.js';
import { runLayerTest, type LayerTestSpec } from '../harness.js';

const cases: Record<string, LayerTestSpec> = {
  BatchNormalization: { make: () => new BatchNormalization({ momentum: 0.9 }), inputShape: [4], outputShape: [4], weightShapes: [[4], [4], [4], [4]] },
  'BatchNormalization 4D axis 1': { make: () => new BatchNormalization({ axis: 1, center: false }), inputShape: [3, 2, 2], outputShape: [3, 2, 2], weightShapes: [[3], [3], [3]] },
  'BatchNormalization two axes': { make: () => new BatchNormalization({ axis: [1, 2] }), inputShape: [2, 3], outputShape: [2, 3], weightShapes: [[1, 2, 3], [1, 2, 3], [1, 2, 3], [1, 2, 3]] },
  LayerNormalization: { make: () => new LayerNormalization(), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[4], [4]] },
  'LayerNormalization two axes': { make: () => new LayerNormalization({ axis: [1, 2], scale: false }), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[3, 4]] },
  GroupNormalization: { make: () => new GroupNormalization({ groups: 2 }), inputShape: [3, 4], outputShape: [3, 4], weightShapes: [[4], [4]] },
  UnitNormalization: { make: () => new UnitNormalization({ axis: [1, 2] }), inputShape: [2, 3], outputShape: [2, 3], weightShapes: [] },
  Add: { make: () => new Add(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [] },
  Subtract: { make: () => new Subtract(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [] },
  Multiply: { make: () => new Multiply(), inputShape: [[2, 3], [1, 3]], outputShape: [2, 3], weightShapes: [] },
  Average: { make: () => new Average(), inputShape: [[3], [3], [3]], outputShape: [3], weightShapes: [] },
  Maximum: { make: () => new Maximum(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [] },
  Minimum: { make: () => new Minimum(), inputShape: [[3], [3]], outputShape: [3], weightShapes: [] },
  Concatenate: { make: () => new Concatenate({ axis: 1 }), inputShape: [[2, 3], [4, 3]], outputShape: [6, 3], weightShapes: [] },
  Dot: { make: () => new Dot({ axes: [2, 1], normalize: true }), inputShape: [[2, 3], [3, 4]], outputShape: [2, 4], weightShapes: [] },
  Attention: { make: () => new Attention({ useScale: true, scoreMode: 'concat' }), inputShape: [[2, 3], [4, 3]], outputShape: [2, 3], weightShapes: [[], []] },
  AdditiveAttention: { make: () => new AdditiveAttention(), inputShape: [[2, 3], [4, 3], [4, 3]], outputShape: [2, 3], weightShapes: [[3]] },
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
  },
};

describe('layer harness (normalization, merge, attention)', () => {
  for (const [name, spec] of Object.entries(cases)) it(name, () => runLayerTest(spec));
});
