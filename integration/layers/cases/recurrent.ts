/**
 * Harness cases: recurrent layers, their cells, and the wrappers. `keras` names the golden cases
 * (Keras' own numbers) each class's forward values are checked against.
 */
import {
  Bidirectional,
  ConvLSTM1D,
  ConvLSTM2D,
  ConvLSTM3D,
  ConvLSTMCell,
  Dense,
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  RNN,
  SimpleRNN,
  SimpleRNNCell,
  StackedRNNCells,
  TimeDistributed,
} from '@keras-ts/keras';
import type { HarnessCase } from '../harness.js';

export const RECURRENT_CASES: Record<string, HarnessCase> = {
  SimpleRNN: { make: () => new SimpleRNN({ units: 3 }), inputShape: [4, 2], outputShape: [3], weightShapes: [[2, 3], [3, 3], [3]], keras: ['layers/SimpleRNN/seq_True', 'layers/SimpleRNN/relu_seq'] },
  SimpleRNN_seq: { make: () => new SimpleRNN({ units: 3, returnSequences: true, goBackwards: true }), inputShape: [4, 2], outputShape: [4, 3], weightShapes: [[2, 3], [3, 3], [3]] },
  LSTM: { make: () => new LSTM({ units: 3 }), inputShape: [4, 2], outputShape: [3], weightShapes: [[2, 12], [3, 12], [12]], keras: ['layers/LSTM/seq_False', 'layers/LSTM/go_backwards'] },
  LSTM_state: {
    make: () => new LSTM({ units: 3, returnSequences: true, returnState: true }),
    inputShape: [4, 2],
    outputShape: [[4, 3], [3], [3]],
    weightShapes: [[2, 12], [3, 12], [12]],
    keras: ['layers/LSTM/return_state'],
  },
  LSTM_hard_sigmoid: { make: () => new LSTM({ units: 2, recurrentActivation: 'hard_sigmoid', useBias: false }), inputShape: [3, 2], outputShape: [2], weightShapes: [[2, 8], [2, 8]] },
  GRU: { make: () => new GRU({ units: 3 }), inputShape: [4, 2], outputShape: [3], weightShapes: [[2, 9], [3, 9], [2, 9]], keras: ['layers/GRU/seq_False'] },
  GRU_reset_before: { make: () => new GRU({ units: 3, resetAfter: false, returnSequences: true }), inputShape: [4, 2], outputShape: [4, 3], weightShapes: [[2, 9], [3, 9], [9]], keras: ['layers/GRU/reset_after_false'] },
  RNN_cells: {
    make: () => new RNN({ cell: [new SimpleRNNCell({ units: 4 }), new GRUCell({ units: 2 })], returnSequences: true }),
    inputShape: [3, 2],
    outputShape: [3, 2],
    weightShapes: [[2, 4], [4, 4], [4], [4, 6], [2, 6], [2, 6]],
    keras: ['harness/RNN/stacked_simple_gru'],
  },
  RNN_lstm_cell: { make: () => new RNN({ cell: new LSTMCell({ units: 2 }) }), inputShape: [3, 2], outputShape: [2], weightShapes: [[2, 8], [2, 8], [8]], keras: ['harness/RNN/lstm_cell'] },
  Bidirectional_concat: {
    make: () => new Bidirectional({ layer: new LSTM({ units: 2, returnSequences: true }) }),
    inputShape: [3, 2],
    outputShape: [3, 4],
    weightShapes: [[2, 8], [2, 8], [8], [2, 8], [2, 8], [8]],
    keras: ['layers/Bidirectional/lstm_concat'],
  },
  Bidirectional_none_state: {
    make: () => new Bidirectional({ layer: new GRU({ units: 2, returnState: true }), mergeMode: null }),
    inputShape: [3, 2],
    outputShape: [[2], [2], [2], [2]],
    weightShapes: [[2, 6], [2, 6], [2, 6], [2, 6], [2, 6], [2, 6]],
    keras: ['layers/Bidirectional/simple_none'],
  },
  Bidirectional_backward_layer: {
    make: () => new Bidirectional({ layer: new SimpleRNN({ units: 2 }), backwardLayer: new SimpleRNN({ units: 3, goBackwards: true }), mergeMode: 'concat' }),
    inputShape: [3, 2],
    outputShape: [5],
    weightShapes: [[2, 2], [2, 2], [2], [2, 3], [3, 3], [3]],
  },
  TimeDistributed: { make: () => new TimeDistributed({ layer: new Dense({ units: 3 }) }), inputShape: [4, 2], outputShape: [4, 3], weightShapes: [[2, 3], [3]], keras: ['layers/TimeDistributed/dense', 'layers/TimeDistributed/conv2d'] },
  TimeDistributed_lstm: { make: () => new TimeDistributed({ layer: new LSTM({ units: 2 }) }), inputShape: [2, 3, 2], outputShape: [2, 2], weightShapes: [[2, 8], [2, 8], [8]] },
  ConvLSTM1D: { make: () => new ConvLSTM1D({ filters: 2, kernelSize: 2 }), inputShape: [3, 5, 2], outputShape: [4, 2], weightShapes: [[2, 2, 8], [2, 2, 8], [8]], keras: ['harness/ConvLSTM1D/valid'] },
  ConvLSTM2D: {
    make: () => new ConvLSTM2D({ filters: 2, kernelSize: 3, padding: 'same', returnSequences: true, recurrentActivation: 'sigmoid' }),
    inputShape: [2, 4, 4, 1],
    outputShape: [2, 4, 4, 2],
    weightShapes: [[3, 3, 1, 8], [3, 3, 2, 8], [8]],
    keras: ['layers/ConvLSTM2D/same'],
  },
  ConvLSTM2D_strided_first: {
    make: () => new ConvLSTM2D({ filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channels_first' }),
    inputShape: [2, 3, 4, 4],
    outputShape: [2, 2, 2],
    weightShapes: [[2, 2, 3, 8], [2, 2, 2, 8], [8]],
  },
  ConvLSTM3D: { make: () => new ConvLSTM3D({ filters: 1, kernelSize: 2 }), inputShape: [2, 3, 3, 3, 1], outputShape: [2, 2, 2, 1], weightShapes: [[2, 2, 2, 1, 4], [2, 2, 2, 1, 4], [4]], keras: ['harness/ConvLSTM3D/valid'] },
  RNN_conv_lstm_cell: {
    make: () => new RNN({ cell: new ConvLSTMCell({ rank: 2, filters: 2, kernelSize: 2, padding: 'same', recurrentActivation: 'sigmoid' }) }),
    inputShape: [2, 3, 3, 1],
    outputShape: [3, 3, 2],
    weightShapes: [[2, 2, 1, 8], [2, 2, 2, 8], [8]],
    keras: ['harness/RNN/conv_lstm_cell'],
  },
  RNN_stacked_cells: {
    make: () => new RNN({ cell: new StackedRNNCells({ cells: [new LSTMCell({ units: 3 }), new SimpleRNNCell({ units: 2 })] }), returnSequences: true }),
    inputShape: [3, 2],
    outputShape: [3, 2],
    weightShapes: [[2, 12], [3, 12], [12], [3, 2], [2, 2], [2]],
  },
};
