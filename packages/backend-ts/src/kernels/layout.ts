import { stridesOf } from '@keras-ts/spec';
import type { Kernel, KernelTable } from '../kernel.js';
import { broadcastStrides, gatherStrided } from './strides.js';

const copy: Kernel = ([x], _node, out) => {
  out.set(x.data);
};

const transpose: Kernel = ([x], node, out) => {
  const perm = node.attrs.perm as number[];
  const s = stridesOf(x.shape);
  gatherStrided(x.data, perm.map((p) => s[p]), node.shape, out);
};

const broadcastTo: Kernel = ([x], node, out) => {
  gatherStrided(x.data, broadcastStrides(x.shape, node.shape), node.shape, out);
};

/** Ops that move data without arithmetic. */
export const layoutKernels: KernelTable = {
  reshape: copy,
  identity: copy,
  stop_gradient: copy,
  transpose,
  broadcast_to: broadcastTo,
};
