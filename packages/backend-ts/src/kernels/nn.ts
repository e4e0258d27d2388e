import { resolveAxis, stridesOf } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/**
 * Softmax (or log-softmax) along one axis, fused: per lane, the max, the sum of exp(x - max) in
 * doubles, then the outputs. Lanes along the axis have stride `inner`.
 */
function softmaxKernel(logOut: boolean): Kernel<'softmax' | 'log_softmax'> {
  return ([x], node, out) => {
    const a = x.data;
    if (a.length === 0) return;
    const axis = resolveAxis(node.attrs.axis, x.shape.length);
    const n = x.shape[axis];
    const inner = stridesOf(x.shape)[axis];
    const outer = a.length / (n * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let m = -Infinity;
        for (let k = 0, p = base; k < n; k++, p += inner) if (a[p] > m || Number.isNaN(a[p])) m = a[p];
        let s = 0;
        for (let k = 0, p = base; k < n; k++, p += inner) s += Math.exp(a[p] - m);
        if (logOut) {
          const ls = Math.log(s);
          for (let k = 0, p = base; k < n; k++, p += inner) out[p] = a[p] - m - ls;
        } else {
          for (let k = 0, p = base; k < n; k++, p += inner) out[p] = Math.exp(a[p] - m) / s;
        }
      }
    }
  };
}

/** Fused kernels of nn composites (their gradients still come from the decomposition). */
export const nnKernels = typedKernels({
  softmax: softmaxKernel(false),
  log_softmax: softmaxKernel(true),
});
