import { stridesOf } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';
import { broadcastStrides, gatherStrided } from './strides.js';

const copy: Kernel<'reshape' | 'identity' | 'stop_gradient'> = ([x], _node, out) => {
  out.set(x.data);
};

const transpose: Kernel<'transpose'> = ([x], node, out) => {
  const perm = node.attrs.perm;
  const s = stridesOf(x.shape);
  gatherStrided(x.data, perm.map((p) => s[p]), node.shape, out);
};

const broadcastTo: Kernel<'broadcast_to'> = ([x], node, out) => {
  gatherStrided(x.data, broadcastStrides(x.shape, node.shape), node.shape, out);
};

/** Ops that move data without arithmetic. */
export const layoutKernels = typedKernels({
  reshape: copy,
  identity: copy,
  stop_gradient: copy,
  transpose,
  broadcast_to: broadcastTo,
});
