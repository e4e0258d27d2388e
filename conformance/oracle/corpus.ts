/**
 * The corpus of models that the live oracle checks files of, both ways: every golden layer case
 * as a small functional model (Input -> layer), every golden model and training case with its
 * weights, and models built from scratch the ways the README and Keras users build them
 * (Sequential with `inputShape`, Sequential with an explicit Input, functional).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ActivityRegularization,
  Concatenate,
  Conv2D,
  ConvLSTM1D,
  ConvLSTM3D,
  Dense,
  deserializeLayer,
  Dropout,
  Flatten,
  GRUCell,
  Input,
  InputLayer,
  LSTM,
  LSTMCell,
  Masking,
  MaxPooling2D,
  Model,
  RNN,
  Sequential,
  SimpleRNNCell,
  SpatialDropout2D,
  SpatialDropout3D,
  StackedRNNCells,
  Tensor,
  type KerasTensor,
} from '@keras-ts/keras';
import { buildModel as mnistModel } from '../../examples/mnist-cnn/model.js';
import { fromGolden, type GoldenTensor } from '../src/compare.js';
import { GOLDENS_DIR } from '../src/cli.js';
import { KerasValueError } from '@keras-ts/spec';

/** One model of the corpus: how to build it in keras-ts, and inputs to predict with. */
export interface CorpusModel {
  id: string;
  /** The golden's Keras 3 model config when there is one (the oracle builds the same model from it). */
  kerasConfig?: unknown;
  build(): Model;
  inputs: Tensor[];
}

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith('.json')) yield p;
  }
}

const tensors = (ts: GoldenTensor[]) => ts.map((t) => Tensor.from(fromGolden(t)));

/** A golden layer case as Input(s) -> layer, with the golden's weights; null when it cannot be one. */
function layerModel(c: Record<string, unknown>): CorpusModel | null {
  const inputs = tensors(c.inputs as GoldenTensor[]);
  const asList = (c.input_is_list as boolean) || (c.positional_inputs as boolean);
  // Layers called with keyword tensors or in training mode are not a predict-time model.
  if (c.training || c.kwargs || inputs.some((t) => t.dtype !== 'float32' && t.dtype !== 'int32')) return null;
  const weights = (c.weights as GoldenTensor[]).map(fromGolden);
  return {
    id: c.id as string,
    inputs,
    build: () => {
      const ins: KerasTensor[] = inputs.map((t, i) => Input({ shape: t.shape.slice(1), dtype: t.dtype, name: `input_${i}` }));
      const layer = deserializeLayer(c.layer);
      const out = layer.apply(asList ? ins : ins[0]);
      const model = new Model({ inputs: ins.length === 1 ? ins[0] : ins, outputs: out });
      if (layer.weights.length !== weights.length) throw new KerasValueError(`${c.id}: ${layer.weights.length} weights, the golden has ${weights.length}`);
      layer.setWeights(weights);
      return model;
    },
  };
}

/** A golden model case (its JSON and weights). */
function modelCase(c: Record<string, unknown>, weightsKey: string): CorpusModel {
  const weights = (c[weightsKey] as GoldenTensor[]).map(fromGolden);
  const raw = c.inputs ?? c.x;
  const inputs = tensors((Array.isArray(raw) ? raw : [raw]) as GoldenTensor[]);
  return {
    id: c.id as string,
    kerasConfig: typeof c.model === 'string' ? JSON.parse(c.model) : c.model,
    inputs,
    build: () => {
      const model = deserializeLayer(typeof c.model === 'string' ? JSON.parse(c.model) : c.model) as Model;
      model.setWeights(weights);
      return model;
    },
  };
}

const rand = (shape: number[], seed: number): Tensor => {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[i] = (s / 2147483648) * 2 - 1;
  }
  return new Tensor(shape, 'float32', data);
};

/** Models built from scratch in keras-ts, as users build them. */
function scratchModels(): CorpusModel[] {
  const mlp = (withInput: boolean) =>
    new Sequential({
      layers: [
        ...(withInput ? [new InputLayer({ inputShape: [4] })] : []),
        new Dense({ units: 8, activation: 'relu', ...(withInput ? {} : { inputShape: [4] }) }),
        new Dropout({ rate: 0.2 }),
        new Dense({ units: 3, activation: 'softmax' }),
      ],
    });
  return [
    { id: 'scratch/sequential_input_shape', inputs: [rand([3, 4], 1)], build: () => mlp(false) },
    { id: 'scratch/sequential_explicit_input', inputs: [rand([3, 4], 2)], build: () => mlp(true) },
    {
      id: 'scratch/sequential_cnn',
      inputs: [rand([2, 8, 8, 1], 3)],
      build: () => new Sequential({ layers: [new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }), new MaxPooling2D({ poolSize: 2 }), new Flatten(), new Dense({ units: 2 })] }),
    },
    {
      id: 'scratch/sequential_lstm',
      inputs: [rand([2, 5, 3], 4)],
      build: () => new Sequential({ layers: [new LSTM({ units: 4, inputShape: [5, 3] }), new Dense({ units: 1 })] }),
    },
    {
      id: 'scratch/functional_two_inputs',
      inputs: [rand([2, 4], 5), rand([2, 3], 6)],
      build: () => {
        const a = Input({ shape: [4], name: 'a' });
        const b = Input({ shape: [3], name: 'b' });
        const h = new Dense({ units: 5, activation: 'tanh' }).apply(a);
        const k = new Dense({ units: 5 }).apply(b);
        const out = new Dense({ units: 2 }).apply(new Concatenate().apply([h, k]));
        return new Model({ inputs: [a, b], outputs: out });
      },
    },
    // The example program's model.
    { id: 'examples/mnist-cnn', inputs: [rand([2, 28, 28, 1], 7)], build: () => mnistModel() },
    // Registered layer classes the golden layer cases do not cover. The ConvLSTMs use a sigmoid
    // recurrent activation: their Keras 2 default, hard_sigmoid, is another function in Keras 3
    // (Keras 2: clip(0.2 x + 0.5, 0, 1), tf-keras backend.hard_sigmoid; Keras 3: relu6(x + 3) / 6,
    // keras/src/activations/activations.py), so a file naming it cannot mean the same to both.
    { id: 'scratch/SpatialDropout2D', inputs: [rand([2, 4, 4, 3], 8)], build: () => new Sequential({ layers: [new SpatialDropout2D({ rate: 0.3, inputShape: [4, 4, 3] }), new Flatten(), new Dense({ units: 2 })] }) },
    { id: 'scratch/SpatialDropout3D', inputs: [rand([2, 3, 3, 3, 2], 9)], build: () => new Sequential({ layers: [new SpatialDropout3D({ rate: 0.3, inputShape: [3, 3, 3, 2] }), new Flatten(), new Dense({ units: 2 })] }) },
    { id: 'scratch/Masking', inputs: [maskedSteps()], build: () => new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [5, 3] }), new LSTM({ units: 4 }), new Dense({ units: 1 })] }) },
    { id: 'scratch/ActivityRegularization', inputs: [rand([3, 4], 10)], build: () => new Sequential({ layers: [new Dense({ units: 3, inputShape: [4] }), new ActivityRegularization({ l1: 0.01, l2: 0.02 })] }) },
    { id: 'scratch/RNN_LSTMCell', inputs: [rand([2, 4, 3], 11)], build: () => new Sequential({ layers: [new RNN({ cell: new LSTMCell({ units: 3 }), inputShape: [4, 3] }), new Dense({ units: 1 })] }) },
    {
      id: 'scratch/StackedRNNCells',
      inputs: [rand([2, 4, 3], 12)],
      build: () => new Sequential({ layers: [new RNN({ cell: new StackedRNNCells({ cells: [new GRUCell({ units: 3 }), new SimpleRNNCell({ units: 2 })] }), inputShape: [4, 3] })] }),
    },
    { id: 'scratch/ConvLSTM1D', inputs: [rand([2, 3, 6, 2], 13)], build: () => new Sequential({ layers: [new ConvLSTM1D({ filters: 2, kernelSize: 3, recurrentActivation: 'sigmoid', inputShape: [3, 6, 2] }), new Flatten(), new Dense({ units: 1 })] }) },
    { id: 'scratch/ConvLSTM3D', inputs: [rand([1, 2, 4, 4, 4, 1], 14)], build: () => new Sequential({ layers: [new ConvLSTM3D({ filters: 2, kernelSize: 3, recurrentActivation: 'sigmoid', inputShape: [2, 4, 4, 4, 1] }), new Flatten(), new Dense({ units: 1 })] }) },
  ];
}

/** A batch of sequences whose last steps are all zeros (masked by Masking(0)). */
function maskedSteps(): Tensor {
  const t = rand([2, 5, 3], 15);
  for (const [b, from] of [[0, 3], [1, 4]]) for (let s = from; s < 5; s++) for (let f = 0; f < 3; f++) t.data[(b * 5 + s) * 3 + f] = 0;
  return t;
}

/**
 * Registered layer classes outside the corpus, each with the reason: nothing of them can be
 * written for real Keras to load. (The corpus test fails when a registered class is in neither.)
 */
export const NOT_IN_CORPUS: Readonly<Record<string, string>> = {
  Lambda: "its function is code: a file names it (registerLambda), and Keras' safe loading refuses lambdas from files",
  ThresholdedReLU: 'Keras 3 removed the layer (Keras 2 has it); keras-ts reads and writes it for Keras 2',
  Merge: 'a Keras 1 layer: keras-ts reads it from Keras 1 files and converts it; Keras 2 and 3 have no such class',
  AtrousConvolution1D: 'a Keras 1 layer (Conv1D with dilation_rate in Keras 2), read from Keras 1 files only',
  AtrousConvolution2D: 'a Keras 1 layer (Conv2D with dilation_rate in Keras 2), read from Keras 1 files only',
  Deconvolution2D: 'a Keras 1 layer (Conv2DTranspose in Keras 2), read from Keras 1 files only',
  Deconvolution3D: 'a Keras 1 layer (Conv3DTranspose in Keras 2), read from Keras 1 files only',
  MaxoutDense: 'a Keras 1 layer removed in Keras 2, read from Keras 1 files only',
  TimeDistributedDense: 'a Keras 1 layer (TimeDistributed(Dense) in Keras 2), read from Keras 1 files only',
  Highway: 'a Keras 1 layer removed in Keras 2, read from Keras 1 files only',
  InputLayer: 'in every model of the corpus (explicit in scratch/sequential_explicit_input)',
  Sequential: 'the class of most corpus models',
  Model: 'the class of the functional corpus models (written as Functional)',
  SimpleRNNCell: 'inside scratch/StackedRNNCells',
  GRUCell: 'inside scratch/StackedRNNCells',
  LSTMCell: 'inside scratch/RNN_LSTMCell',
  ConvLSTMCell: 'inside the ConvLSTM layers of the corpus (not a Keras class of its own)',
  OpLambda: "the node a backend function (K.*) makes when called on a functional placeholder, as tf.keras 2's TFOpLambda: its config names a keras-ts backend function, which Keras 3 (no TFOpLambda) cannot load",
};

/** The whole corpus (`filter` on ids, for quick runs). */
export function corpus(filter: (id: string) => boolean = () => true): CorpusModel[] {
  const out: CorpusModel[] = [];
  for (const file of jsonFiles(join(GOLDENS_DIR, 'layers'))) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const m = layerModel(c);
    if (m && filter(m.id)) out.push(m);
  }
  for (const file of jsonFiles(join(GOLDENS_DIR, 'models'))) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (c.model && filter(c.id as string)) out.push(modelCase(c, 'weights'));
  }
  for (const file of jsonFiles(join(GOLDENS_DIR, 'training'))) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (c.model && c.final_weights && filter(c.id as string)) out.push(modelCase(c, 'final_weights'));
  }
  for (const m of scratchModels()) if (filter(m.id)) out.push(m);
  return out;
}
