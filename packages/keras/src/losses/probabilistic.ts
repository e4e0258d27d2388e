import { ops, type Sym } from '@keras-ts/spec';
import { registerClass } from '../serialization/registry.js';
import { EPSILON, asFloat, lossFunctionClass, registerLossFunction } from './wrapper.js';

/**
 * Kullback-Leibler divergence over the last axis: `sum(t * log(t / p))`, with both clipped to
 * [epsilon, 1].
 * @example klDivergence(yTrue, yPred) // [batch, d] -> [batch]
 */
export function klDivergence(yTrue: Sym, yPred: Sym): Sym {
  const [t0, p0] = asFloat(yTrue, yPred);
  const t = ops.clip(t0, EPSILON, 1);
  const p = ops.clip(p0, EPSILON, 1);
  return ops.sum(ops.mul(t, ops.log(ops.div(t, p))), -1);
}

/**
 * Poisson loss, averaged over the last axis: `mean(p - t * log(p + epsilon))`.
 * @example poisson(counts, rates)
 */
export function poisson(yTrue: Sym, yPred: Sym): Sym {
  const [t, p] = asFloat(yTrue, yPred);
  return ops.mean(ops.sub(p, ops.mul(t, ops.log(ops.add(p, EPSILON)))), -1);
}

/**
 * Kullback-Leibler divergence between label and predicted distributions, per sample.
 * @example new KLDivergence() // or loss: 'kld'
 */
export class KLDivergence extends lossFunctionClass('KLDivergence', klDivergence, 'kl_divergence') {}

/**
 * Poisson loss between observed counts and predicted rates, per sample.
 * @example new Poisson()
 */
export class Poisson extends lossFunctionClass('Poisson', poisson, 'poisson') {}

registerClass('loss', KLDivergence, 'kl_divergence', 'kld', 'KLD', 'kullback_leibler_divergence');
registerClass('loss', Poisson, 'poisson');

registerLossFunction(klDivergence, 'kl_divergence', 'kld', 'KLD', 'kullback_leibler_divergence');
registerLossFunction(poisson, 'poisson');
