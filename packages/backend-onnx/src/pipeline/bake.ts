import type { HostTensor } from '@keras-ts/spec';
import { elemType } from '../builder.js';
import type { LoweringState } from './state.js';

/**
 * Weight baking: the graph inputs with a value in `bake` (by node id) become initializers of the
 * model instead of inputs, so that onnxruntime can pre-pack them (specialized sessions, export).
 */
export function bakeWeights(st: LoweringState, bake: ReadonlyMap<number, HostTensor> | undefined): void {
  if (!bake) return;
  for (const id of st.graph.inputs) {
    const value = bake.get(id);
    if (!value) continue;
    const node = st.graph.nodes[id];
    st.set(id, st.b.init(value.data, node.shape, elemType(node.dtype), st.b.fresh('w')), node.shape);
  }
}
