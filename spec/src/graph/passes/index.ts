import type { Graph } from '../graph.js';
import { lowerComposites } from '../lower.js';
import { fuseEpilogues } from './fuse-epilogues.js';
import type { GraphPass } from './pass.js';
import { reluMask } from './relu-mask.js';
import { scaleShift } from './scale-shift.js';

/**
 * The spec's graph passes, in the order they run: relu-mask first (it leaves pre-activations with
 * one reader), scale-shift before fuse-epilogues (scale_shift is then a step of an epilogue).
 * @example GRAPH_PASSES.map((p) => p.name) // ['relu-mask', 'scale-shift', 'fuse-epilogues']
 */
export const GRAPH_PASSES: readonly GraphPass[] = [reluMask, scaleShift, fuseEpilogues];

/**
 * What a backend compiles: `graph` with the composites it has no kernel for lowered to their
 * decompositions, then rewritten by every pass that applies to it: those that make only ops every
 * backend has, and those that make a fused op it has a kernel for (`has`, usually its kernel
 * registry's). A backend that registers no fused kernel gets plain ops.
 *
 * @example
 * const g = prepareGraph(graph, (op) => kernels.has(op));
 */
export function prepareGraph(graph: Graph, has: (op: string) => boolean, passes: readonly GraphPass[] = GRAPH_PASSES): Graph {
  let g = lowerComposites(graph, has);
  for (const pass of passes) {
    if (pass.produces.length === 0 || pass.produces.some(has)) g = pass.run(g, has);
  }
  return g;
}

export { fuseEpilogues, reluMask, scaleShift };
export { rebuild, readersOf, type GraphPass, type NodeRewrite } from './pass.js';
export { isChannelVector } from './scale-shift.js';
