import { poolKey } from '../lowerings/pool.js';
import type { LoweringPass } from './plan.js';

/**
 * Marks the max pools whose gradient the graph also takes (max_pool_grad, max_pool_grad_grad of
 * the same input and attributes): their lowering then computes one MaxPool with its argmax
 * indices for the forward value and the gradient.
 */
export const poolGradients: LoweringPass = {
  name: 'pool-gradients',
  run(graph, plan) {
    for (const n of graph.nodes) {
      if (n.op === 'max_pool_grad' || n.op === 'max_pool_grad_grad') plan.poolsWithGrad.add(poolKey(n.inputs[0], n.attrs));
    }
  },
};
