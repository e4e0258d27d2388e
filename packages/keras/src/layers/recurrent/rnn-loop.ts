import { ops, type Sym } from '@keras-ts/spec';
import { KerasValueError } from '../../errors.js';

/** One time step: the step's input and the states in, the output and the new states out. */
export type StepFunction = (x: Sym, states: Sym[]) => { output: Sym; states: Sym[] };

export interface RnnLoopOptions {
  /** Process the sequence from its end (the outputs then come in processing order, as Keras). */
  readonly goBackwards: boolean;
  /** [batch, time] bool: where 0, the step keeps the previous states and output. */
  readonly mask: Sym | null;
  /** Where the mask is 0, output zeros instead of the previous output. */
  readonly zeroOutputForMask: boolean;
  /** Stack every step's output (else only the last one is kept). */
  readonly returnSequences: boolean;
  /**
   * The layer's `unroll`: Keras 2 masks the outputs of its unrolled loop differently (see
   * {@link rnnLoop}), and keras-ts computes what Keras 2 computes for either setting.
   */
  readonly unroll?: boolean;
}

export interface RnnLoopResult {
  readonly last: Sym;
  /** [batch, time, ...] when `returnSequences`. */
  readonly outputs: Sym | null;
  readonly states: Sym[];
}

/** A [batch] mask reshaped to broadcast against a [batch, ...] tensor of rank `rank`. */
function maskFor(m: Sym, rank: number): Sym {
  return ops.reshape(m, [m.shape[0], ...new Array<number>(rank - 1).fill(1)]);
}

/**
 * Keras' `backend.rnn`, unrolled at trace time: the time axis (axis 1 of `inputs`) is known,
 * so each step is sliced, fed to `step`, and the outputs stacked. With a mask, a masked step
 * keeps the previous states and repeats the previous output (zeros before the first step), or
 * outputs zeros with `zeroOutputForMask`; the last output is the last step's (masked) output.
 *
 * With `unroll` (the layer's unroll=True), the result is that of Keras 2's unrolled branch
 * (tf_keras/backend.py `rnn`, v2.15.0 lines 4885-4938): a masked step always repeats the previous
 * output, and `zeroOutputForMask` then zeroes the stacked outputs where the mask *in input order*
 * is false (line 4934-4938, `tf.where(_expand_mask(mask, outputs, fixed_dim=2), ...)` with the
 * unreversed `mask`), while with `goBackwards` the outputs are in processing (reversed) order; and
 * the last output where the mask of the last processed step is false (lines 4929-4933). Going
 * forwards this equals the loop's result; going backwards (Bidirectional's backward layer, which
 * turns `zeroOutputForMask` on when it returns sequences) a padded sequence loses the backward
 * outputs of its first real steps instead of the padded ones. Keras 3's unrolled `rnn` does the
 * same.
 */
export function rnnLoop(step: StepFunction, inputs: Sym, initialStates: readonly Sym[], o: RnnLoopOptions): RnnLoopResult {
  const T = inputs.shape[1];
  const steps = T === 1 ? [inputs] : ops.split(inputs, T, 1);
  const xs = steps.map((s) => ops.squeeze(s, 1));
  const ms = o.mask ? (T === 1 ? [o.mask] : ops.split(o.mask, T, 1)).map((m) => ops.reshape(m, [m.shape[0]])) : null;
  const order = Array.from({ length: T }, (_, i) => (o.goBackwards ? T - 1 - i : i));
  let states = [...initialStates];
  let prev: Sym | null = null;
  const outs: Sym[] = [];
  for (const t of order) {
    const r = step(xs[t], states);
    let out = r.output;
    let next = r.states;
    if (next.length !== states.length) throw new KerasValueError(`the cell returned ${next.length} state(s) at a step, expected ${states.length}`);
    if (ms) {
      const m = ms[t];
      const fallback = (o.zeroOutputForMask && !o.unroll) || !prev ? ops.zerosLike(out) : prev;
      out = ops.where(maskFor(m, out.rank), out, fallback);
      next = next.map((s, k) => ops.where(maskFor(m, s.rank), s, states[k]));
    }
    prev = out;
    states = next;
    if (o.returnSequences || outs.length === 0) outs.push(out);
    else outs[0] = out;
  }
  let last = o.returnSequences ? outs[outs.length - 1] : outs[0];
  if (ms && o.unroll && o.zeroOutputForMask) {
    // Keras 2's unrolled branch: the last output by the last processed step's mask, the k-th
    // output (in processing order) by the k-th step's mask in input order.
    last = ops.where(maskFor(ms[order[T - 1]], last.rank), last, ops.zerosLike(last));
    if (o.returnSequences) outs.forEach((y, k) => (outs[k] = ops.where(maskFor(ms[k], y.rank), y, ops.zerosLike(y))));
  }
  // The steps stacked on a new time axis (the spec's `stack`: a backend without a kernel for it
  // runs its decomposition, expand_dims and concat, and the gradient comes from that).
  const stacked = o.returnSequences ? ops.stack(outs, 1) : null;
  return { last, outputs: stacked, states };
}
