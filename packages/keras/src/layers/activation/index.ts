export { ReLU, type ReLUArgs } from './relu.js';
export { LeakyReLU, type LeakyReLUArgs } from './leaky-relu.js';
export { PReLU, type PReLUArgs } from './prelu.js';
export { ELU, type ELUArgs } from './elu.js';
export { ThresholdedReLU, type ThresholdedReLUArgs } from './thresholded-relu.js';
export { Softmax, type SoftmaxArgs } from './softmax.js';
