/**
 * The mask of a model's output weights its loss and its metrics, as in Keras 2: a masked time
 * step adds nothing, a mean is over the unmasked entries only, and the unweighted metrics are
 * weighted by the mask, the weighted ones by the mask times the sample weights
 * (tf_keras/engine/compile_utils.py LossesContainer / MetricsContainer, `apply_mask`;
 * tf_keras/losses.py Loss.__call__ and tf_keras/utils/losses_utils.py `apply_valid_mask`).
 *
 * The expected numbers come from real Keras 2: tf_keras 2.21.0 (the keras-team/tf-keras sources)
 * on TensorFlow 2.21 CPU, running this very model and data (Sequential [Masking(0) on (4, 2),
 * Dense(2) with the kernel and bias below], SGD(0.1), loss 'mse', metrics ['mae'], weighted
 * metrics ['mse']). Keras 3.15.1 gives the same numbers without sample weights, and fails with
 * them (its `apply_mask` multiplies weights [3] by the mask [3, 4] without aligning them).
 *
 * One spec, run on every backend of ../backends.ts.
 */
import type { Backend } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterAll, describe, expect, test } from 'vitest';
import { Dense, Input, Masking, Model, SGD, Sequential, setBackend, Tensor, scoreList, type KerasTensor } from '@keras-ts/keras';
import { BACKENDS, loadBackends } from '../backends.js';

const ready = await loadBackends();
afterAll(() => {
  for (const c of BACKENDS) {
    const r = ready.get(c.name);
    if (r && 'backend' in r) c.dispose?.(r.backend);
  }
  setBackend(createTsBackend());
});

// Three sequences of four steps; an all-zero step is masked (its target, 9, must not count).
const x = new Tensor([3, 4, 2], 'float32', Float32Array.from([1, 2, 0, 0, 0.5, -1, 0, 0, 0, 0, 0, 0, 2, 1, -1, 0.5, 0.3, 0.7, 1.5, -0.5, 0, 0, 0, 0]));
const y = new Tensor([3, 4, 2], 'float32', Float32Array.from([0.5, 1, 9, 9, 0, -1, 9, 9, 9, 9, 9, 9, 1, 1, -1, 0, 0.2, 0.3, 1, 0, 9, 9, 9, 9]));
const sw = new Tensor([3], 'float32', Float32Array.from([1, 2, 0.5]));
const kernel = new Tensor([2, 2], 'float32', Float32Array.from([0.5, -0.3, 0.2, 0.8]));
const bias = new Tensor([2], 'float32', Float32Array.from([0.1, -0.2]));

/** Masking -> Dense(2) with the weights above, as a Sequential or as a functional model. */
function model(kind: 'sequential' | 'functional'): Model {
  let m: Model;
  if (kind === 'sequential') m = new Sequential({ layers: [new Masking({ maskValue: 0, inputShape: [4, 2] }), new Dense({ units: 2 })] });
  else {
    const inp = Input({ shape: [4, 2] });
    const out = new Dense({ units: 2 }).apply(new Masking({ maskValue: 0 }).apply(inp));
    m = new Model({ inputs: inp, outputs: out });
  }
  m.layers.at(-1)!.setWeights([kernel, bias]);
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'], weightedMetrics: ['mse'] });
  return m;
}

const close = (got: readonly number[], want: readonly number[]) => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g, `entry ${i}: ${got} vs ${want}`).toBeCloseTo(want[i], 5));
};

for (const c of BACKENDS) {
  for (const kind of ['sequential', 'functional'] as const) {
    describe(`${c.name}, ${kind} model`, () => {
      const r = ready.get(c.name)!;
      const use = (ctx: { skip: (reason: string) => void }) => {
        if ('reason' in r) ctx.skip(r.reason);
        setBackend((r as { backend: Backend }).backend);
      };

      test('evaluate and testOnBatch average the loss and the metrics over the unmasked steps', async (ctx) => {
        use(ctx);
        const m = model(kind);
        const logs = await m.evaluate(x, y, { batchSize: 3, returnDict: true });
        close([logs.loss, logs.mae, logs.mse], [0.27808335423469543, 0.4099999964237213, 0.27808335423469543]);
        const weighted = await m.evaluate(x, y, { batchSize: 3, sampleWeight: sw, returnDict: true });
        close([weighted.loss, weighted.mae, weighted.mse], [0.3804999887943268, 0.4099999964237213, 0.3261428475379944]);
        close(scoreList(await m.testOnBatch(x, y, { sampleWeight: sw })), [0.3804999887943268, 0.4099999964237213, 0.3261428475379944]);
      });

      test('trainOnBatch descends the masked loss', async (ctx) => {
        use(ctx);
        const m = model(kind);
        close(scoreList(await m.trainOnBatch(x, y)), [0.27808335423469543, 0.4099999964237213, 0.27808335423469543]);
        close([...(m.layers.at(-1)!.getWeights()[0].data as Float32Array)], [0.49738332629203796, -0.23234999179840088, 0.17069999873638153, 0.7982667088508606]);
      });

      test('fit with sample weights: the history and the weights after two epochs', async (ctx) => {
        use(ctx);
        const m = model(kind);
        const h = await m.fit(x, y, { sampleWeight: sw, batchSize: 2, epochs: 2, shuffle: false, verbose: 0 });
        close(h.history.loss, [0.3648773431777954, 0.20178520679473877]);
        close(h.history.mae, [0.39100000262260437, 0.31291642785072327]);
        close(h.history.mse, [0.31275200843811035, 0.17295874655246735]);
        const [k, b] = m.layers.at(-1)!.getWeights();
        close([...(k.data as Float32Array)], [0.5150622725486755, -0.04540273919701576, 0.10016171634197235, 0.8104186654090881]);
        close([...(b.data as Float32Array)], [-0.004681924823671579, -0.1358223259449005]);
      });
    });
  }
}
