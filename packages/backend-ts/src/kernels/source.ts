import { typedKernels, type Kernel } from '../kernel.js';

/** mulberry32: a small, well-mixed 32-bit generator; the stream is a function of the seed. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fill: Kernel<'fill'> = (_, node, out) => {
  out.fill(node.attrs.value);
};

const randomUniform: Kernel<'random_uniform'> = ([seed], node, out) => {
  const rand = mulberry32(seed.data[0]);
  const lo = node.attrs.minval;
  const hi = node.attrs.maxval;
  for (let i = 0; i < out.length; i++) {
    out[i] = lo + (hi - lo) * rand();
    if (out[i] >= hi) out[i] = lo; // float32 rounding may reach maxval; keep [minval, maxval)
  }
};

const randomNormal: Kernel<'random_normal'> = ([seed], node, out) => {
  const rand = mulberry32(seed.data[0]);
  const mean = node.attrs.mean;
  const sd = node.attrs.stddev;
  for (let i = 0; i < out.length; i += 2) {
    // Box-Muller: two normals from two uniforms; 1 - u keeps the log finite.
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const t = 2 * Math.PI * rand();
    out[i] = mean + sd * r * Math.cos(t);
    if (i + 1 < out.length) out[i + 1] = mean + sd * r * Math.sin(t);
  }
};

/** Ops that make tensors from attributes alone. (`constant` is bound, not run.) */
export const sourceKernels = typedKernels({
  fill,
  random_uniform: randomUniform,
  random_normal: randomNormal,
});
