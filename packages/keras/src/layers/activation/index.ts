export { ReLU, type ReLUArgs } from './relu';
export { LeakyReLU, type LeakyReLUArgs } from './leaky-relu';
export { PReLU, type PReLUArgs } from './prelu';
export { ELU, type ELUArgs } from './elu';
export { ThresholdedReLU, type ThresholdedReLUArgs } from './thresholded-relu';
export { Softmax, type SoftmaxArgs } from './softmax';
