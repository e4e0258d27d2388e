import { ops, type Sym } from '@keras-ts/spec';

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
    if (next.length !== states.length) throw new Error(`the cell returned ${next.length} state(s) at a step, expected ${states.length}`);
    if (ms) {
      const m = ms[t];
      const fallback = o.zeroOutputForMask || !prev ? ops.zerosLike(out) : prev;
      out = ops.where(maskFor(m, out.rank), out, fallback);
      next = next.map((s, k) => ops.where(maskFor(m, s.rank), s, states[k]));
    }
    prev = out;
    states = next;
    if (o.returnSequences || outs.length === 0) outs.push(out);
    else outs[0] = out;
  }
  const last = o.returnSequences ? outs[outs.length - 1] : outs[0];
  // The steps stacked on a new time axis: a concat of [batch, 1, ...] slices, which is what the
  // spec's `stack` composite decomposes into (and what its gradient is derived from).
  const stacked = o.returnSequences ? (outs.length === 1 ? ops.expandDims(outs[0], 1) : ops.concat(outs.map((y) => ops.expandDims(y, 1)), 1)) : null;
  return { last, outputs: stacked, states };
}
