import { lowersInPlace } from './plan.js';
import type { LoweringState } from './state.js';

/**
 * Lowers the graph's nodes in order (placeholders are inputs or baked weights already; fills and
 * deferred nodes are emitted where first needed).
 */
export function emitNodes(st: LoweringState): void {
  for (const node of st.graph.nodes) {
    if (!st.has(node.id) && lowersInPlace(node, st.plan)) st.set(node.id, st.emit(node), node.shape);
  }
}
