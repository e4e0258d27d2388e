/**
 * Bidirectional(SimpleRNN(return_sequences=True)) over a masked input, with unroll=True and
 * unroll=False: Keras 2's unrolled loop zeroes the backward layer's outputs with the mask in input
 * order while they are still in reversed order (tf_keras/backend.py `rnn`, v2.15.0 lines
 * 4934-4938), so the two settings give different outputs, and keras-ts gives each what Keras 2
 * gives.
 *
 * The expected numbers come from real Keras 2: tf_keras 2.21.0 (the keras-team/tf-keras sources)
 * on TensorFlow 2.21 CPU, with this model, these weights and this input.
 *
 * One spec, run on every backend of ../backends.ts.
 */
import type { Backend } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterAll, describe, expect, test } from 'vitest';
import { Bidirectional, Masking, Sequential, SimpleRNN, setBackend, Tensor } from '@keras-ts/keras';
import { BACKENDS, loadBackends } from '../backends.js';

const ready = await loadBackends();
afterAll(() => {
  for (const c of BACKENDS) {
    const r = ready.get(c.name);
    if (r && 'backend' in r) c.dispose?.(r.backend);
  }
  setBackend(createTsBackend());
});

// Two sequences of three steps; a zero step is masked (the last of the first, the first of the second).
const x = new Tensor([2, 3, 1], 'float32', Float32Array.from([1, 2, 0, 0, 1, 0.5]));
const t = (shape: number[], v: number[]) => new Tensor(shape, 'float32', Float32Array.from(v));
// forward kernel, recurrent kernel, bias; backward kernel, recurrent kernel, bias.
const weights = [t([1, 1], [0.7]), t([1, 1], [0.4]), t([1], [0.1]), t([1, 1], [-0.6]), t([1, 1], [0.3]), t([1], [-0.2])];

/** Keras 2's outputs [2, 3, 2] (forward, backward per step). */
const EXPECTED = {
  unrolled: [0.6640368103981018, 0.0, 0.9431267380714417, -0.8853516578674316, 0.0, 0.0, 0.0, -0.7345946431159973, 0.6640368103981018, -0.7345946431159973, 0.6141855716705322, 0.0],
  loop: [0.6640368103981018, -0.7877998352050781, 0.9431267380714417, -0.8853516578674316, 0.0, 0.0, 0.0, 0.0, 0.6640368103981018, -0.7345946431159973, 0.6141855716705322, -0.46211713552474976],
};

for (const c of BACKENDS) {
  describe(c.name, () => {
    const r = ready.get(c.name)!;
    for (const unroll of [true, false]) {
      test(`unroll=${unroll}: the backward outputs are masked as in Keras 2`, async (ctx) => {
        if ('reason' in r) ctx.skip(r.reason);
        setBackend((r as { backend: Backend }).backend);
        const m = new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [3, 1] }), new Bidirectional({ layer: new SimpleRNN({ units: 1, returnSequences: true, unroll }) })] });
        m.setWeights(weights);
        const y = await m.predict(x);
        expect(y.shape).toEqual([2, 3, 2]);
        const want = unroll ? EXPECTED.unrolled : EXPECTED.loop;
        [...y.data].forEach((v, i) => expect(v, `element ${i}`).toBeCloseTo(want[i], 5));
      });
    }
  });
}
