/**
 * Harness cases: models used as layers (Sequential, the functional Model, and the InputLayer its
 * config holds; the models' numbers are the conformance model goldens, whose configs hold
 * InputLayer too), and the Keras 1 layers Keras 2 removed, whose configs fail to load with what to
 * use instead (real Keras 2 has none of them, so they have no numbers to check).
 */
import { Dense, Input, Model, Sequential, type KerasTensor } from '@keras-ts/keras';
import type { HarnessCase } from '../harness.js';

export const MODELS_LEGACY_CASES: Record<string, HarnessCase> = {
  'Sequential as a layer': {
    make: () => new Sequential({ layers: [new Dense({ units: 4, activation: 'relu', inputShape: [3] }), new Dense({ units: 2 })] }),
    inputShape: [3],
    outputShape: [2],
    weightShapes: [[3, 4], [4], [4, 2], [2]],
    keras: ['models/masking_lstm', 'models/embedding_mask_gru'],
  },
  'functional Model as a layer': {
    make: () => {
      const x = Input({ shape: [3] });
      const h = new Dense({ units: 4, activation: 'tanh' }).apply(x);
      return new Model({ inputs: x, outputs: new Dense({ units: 2 }).apply(h) });
    },
    inputShape: [3],
    outputShape: [2],
    weightShapes: [[3, 4], [4], [4, 2], [2]],
    keras: ['models/shared_layer', 'models/two_outputs'],
  },
  'Highway (Keras 1)': {
    removed: { class_name: 'Highway', config: { name: 'highway_1', activation: 'relu', input_dim: 4 } },
    error: /Keras 1 layer `Highway \('highway_1'\)` was removed in Keras 2.*Dense/,
  },
  'MaxoutDense (Keras 1)': {
    removed: { class_name: 'MaxoutDense', config: { name: 'maxout', output_dim: 3, nb_feature: 4 } },
    error: /Keras 1 layer `MaxoutDense \('maxout'\)` was removed in Keras 2.*4 Dense layers.*Maximum/,
  },
  'Merge (Keras 1)': {
    removed: { class_name: 'Merge', config: { name: 'merge_1', mode: 'concat', concat_axis: -1 } },
    error: /Keras 1 layer `Merge \('merge_1'\)` was removed in Keras 2.*mode 'concat'.*Concatenate/,
  },
  'TimeDistributedDense (Keras 1)': {
    removed: { class_name: 'TimeDistributedDense', config: { name: 'tdd', output_dim: 5 } },
    error: /Keras 1 layer `TimeDistributedDense \('tdd'\)` was removed in Keras 2.*TimeDistributed\(Dense/,
  },
};
