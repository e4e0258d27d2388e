/**
 * Per-output sample weights for the loss and the weighted metrics: the ones given (one tensor
 * for every output, or one per output), ones when none, with Keras' class weights folded in.
 */
import { Tensor } from '../../tensor.js';
import { asList, type TensorOrList } from '../data.js';

/** Class weights as `fit` takes them: a weight per class index. */
export type ClassWeight = Readonly<Record<string | number, number>> | null | undefined;

/** Per-output sample weights for `n` samples (ones when none), class weights folded in as Keras does. */
export function sampleWeights(ys: readonly Tensor[], sampleWeight: TensorOrList | null, classWeight: ClassWeight, n: number): Tensor[] {
  const given = sampleWeight ? asList(sampleWeight) : [];
  if (given.length > 1 && given.length !== ys.length) throw new Error(`sample_weight has ${given.length} entries for ${ys.length} outputs`);
  return ys.map((yt, i) => {
    const w = given.length ? (given.length === 1 ? given[0] : given[i]) : null;
    if (w && (w.rank < 1 || w.shape[0] !== n)) throw new Error(`sample_weight must have one weight per sample (${n}), got shape [${w.shape}]`);
    const out = w ? new Float32Array(w.data) : new Float32Array(n).fill(1);
    if (classWeight) {
      const cls = classIndices(yt);
      for (let k = 0; k < n; k++) {
        const cw = classWeight[cls[k]] ?? classWeight[String(cls[k])];
        if (cw === undefined) throw new Error(`class_weight has no weight for class ${cls[k]} (given for: ${Object.keys(classWeight).join(', ')})`);
        out[k] *= cw;
      }
    }
    return new Tensor([n], 'float32', out);
  });
}

/** The class of each sample for class weights: the label, or the argmax of a one-hot row. */
function classIndices(y: Tensor): number[] {
  const n = y.shape[0];
  const row = y.size / Math.max(n, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (row === 1) out.push(Math.round(y.data[i]));
    else {
      let best = 0;
      for (let k = 1; k < row; k++) if (y.data[i * row + k] > y.data[i * row + best]) best = k;
      out.push(best);
    }
  }
  return out;
}
