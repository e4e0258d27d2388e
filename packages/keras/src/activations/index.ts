import { ops, type Sym } from '@keras-ts/spec';
import { aliasActivation, defineActivation } from './activation.js';

export { getActivation, serializeActivation, activationNames, defineActivation, type ActivationFn } from './activation.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function elu(x: Sym, alpha = 1): Sym {
  // alpha * (exp(x) - 1) below 0; expm1 keeps precision near 0.
  return ops.where(ops.greater(x, 0), x, ops.mul(ops.expm1(ops.minimum(x, 0)), alpha));
}

function relu6(x: Sym): Sym {
  return ops.clip(x, 0, 6);
}

/** Keras 2 activations (and the Keras 3 names the goldens use). */
export const linear = defineActivation('linear', (x) => x);
/** relu: max(x, 0) (`'relu'`). */
export const relu = defineActivation('relu', (x) => ops.relu(x));
/** sigmoid: 1 / (1 + e^-x) (`'sigmoid'`). */
export const sigmoid = defineActivation('sigmoid', (x) => ops.sigmoid(x));
/** tanh: the hyperbolic tangent (`'tanh'`). */
export const tanh = defineActivation('tanh', (x) => ops.tanh(x));
/**
 * softmax over the last axis (`'softmax'`).
 * @example new Dense({ units: 10, activation: 'softmax' })
 */
export const softmax = defineActivation('softmax', (x) => ops.softmax(x, -1));
/** log_softmax: the log of the softmax over the last axis, computed stably (`'log_softmax'`). */
export const logSoftmax = defineActivation('log_softmax', (x) => ops.logSoftmax(x, -1));
/** softplus: log(1 + e^x) (`'softplus'`). */
export const softplus = defineActivation('softplus', (x) => ops.softplus(x));
/** softsign: x / (|x| + 1) (`'softsign'`). */
export const softsign = defineActivation('softsign', (x) => ops.div(x, ops.add(ops.abs(x), 1)));
/** elu with alpha 1: x above 0, e^x - 1 below (`'elu'`). */
export const eluActivation = defineActivation('elu', (x) => elu(x));
/**
 * selu: scale · elu(x, alpha) with Keras' constants alpha ≈ 1.6733 and scale ≈ 1.0507 (`'selu'`).
 */
export const selu = defineActivation('selu', (x) => ops.mul(elu(x, SELU_ALPHA), SELU_SCALE));
/** exponential: e^x (`'exponential'`). */
export const exponential = defineActivation('exponential', (x) => ops.exp(x));
/** Keras 2's hard_sigmoid: clip(0.2 x + 0.5, 0, 1) (Keras 3 changed it to relu6(x + 3) / 6). */
export const hardSigmoid = defineActivation('hard_sigmoid', (x) => ops.clip(ops.add(ops.mul(x, 0.2), 0.5), 0, 1));
/** swish (silu): x · sigmoid(x) (`'swish'`, alias `'silu'`). */
export const swish = defineActivation('swish', (x) => ops.mul(x, ops.sigmoid(x)));
aliasActivation('silu', 'swish');
/** gelu with approximate=False: 0.5 x (1 + erf(x / sqrt 2)). */
export const gelu = defineActivation('gelu', (x) => ops.mul(ops.mul(x, 0.5), ops.add(ops.erf(ops.mul(x, Math.SQRT1_2)), 1)));
/** mish: x · tanh(softplus(x)) (`'mish'`). */
export const mish = defineActivation('mish', (x) => ops.mul(x, ops.tanh(ops.softplus(x))));
/** relu6: min(max(x, 0), 6) (`'relu6'`). */
export const relu6Activation = defineActivation('relu6', relu6);
/** leaky_relu with the default slope 0.2 (tf.nn.leaky_relu and Keras 3). */
export const leakyRelu = defineActivation('leaky_relu', (x) => ops.where(ops.greaterEqual(x, 0), x, ops.mul(x, 0.2)));
/** hard_silu (hard_swish): x * relu6(x + 3) / 6. */
export const hardSilu = defineActivation('hard_silu', (x) => ops.mul(x, ops.div(relu6(ops.add(x, 3)), 6)));
aliasActivation('hard_swish', 'hard_silu');
