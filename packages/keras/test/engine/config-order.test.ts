/**
 * A functional config's layers may come in any order (Keras writes them in graph order; a
 * hand-edited or generated one may not): reading it resolves each layer when its inputs exist,
 * through a worklist (linear work; the old pass-per-layer loop was quadratic in reverse order).
 */
import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Dense, Input, Model, Tensor, deserializeLayer, onlyOutput, setBackend, type KerasTensor } from '../../src/index.js';

setBackend(createTsBackend());

describe('functional configs in any order', () => {
  it('a 400-layer chain listed in reverse (and shuffled) rebuilds the same model', async () => {
    const inp = Input({ shape: [3] });
    let x: KerasTensor = inp;
    for (let i = 0; i < 400; i++) x = new Dense({ units: 3, activation: 'tanh' }).apply(x);
    const model = new Model({ inputs: inp, outputs: x });
    const config = { class_name: 'Functional', config: model.getConfig() } as { class_name: string; config: { layers: unknown[] } };
    const data = new Tensor([2, 3], 'float32', Float32Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]));
    const want = Array.from((await model.predict(data)).data);
    let seed = 7;
    const shuffled = [...config.config.layers].sort(() => ((seed = (seed * 16807) % 2147483647) % 3) - 1);
    for (const layers of [[...config.config.layers].reverse(), shuffled]) {
      const again = deserializeLayer({ ...config, config: { ...config.config, layers } }) as Model;
      again.setWeights(model.getWeights());
      expect(Array.from(onlyOutput(await again.predict(data)).data)).toEqual(want);
    }
  });
});
