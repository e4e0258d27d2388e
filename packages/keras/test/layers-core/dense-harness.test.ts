import { describe, it } from 'vitest';
import { Dense } from '../../src/index.js';
import { runLayerTest } from '../harness.js';

describe('Dense through the shared layer harness', () => {
  it('rank 2 with bias and an activation', () =>
    runLayerTest({ make: () => new Dense({ units: 3, activation: 'tanh', name: 'dense_h1' }), inputShape: [4], outputShape: [3], weightShapes: [[4, 3], [3]] }));
  it('rank 3 without bias', () =>
    runLayerTest({ make: () => new Dense({ units: 2, useBias: false, name: 'dense_h2' }), inputShape: [5, 4], outputShape: [5, 2], weightShapes: [[4, 2]] }));
  it('with regularizers and a constraint', () =>
    runLayerTest({
      make: () => new Dense({ units: 2, kernelRegularizer: 'l2', activityRegularizer: 'l1', kernelConstraint: 'max_norm', name: 'dense_h3' }),
      inputShape: [3],
      outputShape: [2],
      weightShapes: [[3, 2], [2]],
    }));
});
