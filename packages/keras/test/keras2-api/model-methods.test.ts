import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Dense, Input, KerasTensor, Model, Sequential, Tensor, loadModel, onlyOutput, tensor, scoreList } from '../../src/index.js';
import { resetLegacyWarnings } from '../../src/legacy/warnings.js';
import { expectClose, randn } from '../engine/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'keras2-methods-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function classifier(units: number, activation: string): Sequential {
  return new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [3] }), new Dense({ units, activation })]);
}

describe('model.save / saveWeights / loadWeights (Keras 2 methods)', () => {
  it('save writes a model loadModel reads with the same predictions (.h5 and .keras)', async () => {
    const m = classifier(2, 'softmax');
    m.compile('adam', 'categorical_crossentropy', ['accuracy']);
    const x = randn([5, 3], 1);
    const want = await m.predict(x);
    for (const file of ['m.h5', 'm.keras']) {
      await m.save(join(dir, file));
      const back = await loadModel(join(dir, file));
      expectClose(onlyOutput(await back.predict(x)), Array.from(want.data));
    }
    // @ts-expect-error -- 'save_format' (snake_case) is not an argument; wrong on purpose
    await expect(m.save(join(dir, 'x.h5'), { save_format: 'h5' })).rejects.toThrow(/saveFormat/);
  });

  it('saveWeights / loadWeights (and the snake_case names) move the weights', async () => {
    const a = classifier(1, 'sigmoid');
    const b = classifier(1, 'sigmoid');
    const x = randn([4, 3], 2);
    await a.save_weights(join(dir, 'w.h5'));
    await b.load_weights(join(dir, 'w.h5'));
    expectClose(await b.predict(x), Array.from((await a.predict(x)).data));
    await a.saveWeights(join(dir, 'w.weights.h5'));
    const c = classifier(1, 'sigmoid');
    await c.loadWeights(join(dir, 'w.weights.h5'));
    expectClose(await c.predict(x), Array.from((await a.predict(x)).data));
    await expect(c.loadWeights(join(dir, 'w.h5'), { byName: true })).rejects.toThrow(/byName is not supported/);
  });
});

describe('metricsNames (Keras 2 metrics_names)', () => {
  it('is empty before data, then the names of what evaluate returns', async () => {
    const m = classifier(3, 'softmax');
    m.compile('sgd', 'sparse_categorical_crossentropy', ['accuracy']);
    expect(m.metricsNames).toEqual([]);
    const x = randn([6, 3], 3);
    const y = tensor([0, 1, 2, 0, 1, 2]);
    const values = scoreList(await m.evaluate(x, y));
    expect(m.metricsNames).toEqual(['loss', 'accuracy']);
    expect(m.metrics_names).toEqual(['loss', 'accuracy']);
    expect(values).toHaveLength(2);
    await m.fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.5 });
    expect(m.metricsNames).toEqual(['loss', 'accuracy']);
  });

  it('lists the per-output losses of a model with several outputs', async () => {
    const inp = Input({ shape: [2] });
    const a = new Dense({ units: 1, name: 'a' }).apply(inp);
    const b = new Dense({ units: 1, name: 'b' }).apply(inp);
    const m = new Model({ inputs: inp, outputs: [a, b] });
    m.compile('sgd', 'mse');
    const x = randn([4, 2], 4);
    await m.trainOnBatch(x, [randn([4, 1], 5), randn([4, 1], 6)]);
    expect(m.metricsNames).toEqual(['loss', 'a_loss', 'b_loss']);
  });
});

describe('Sequential predictClasses / predictProba (Keras 2.0, deprecated)', () => {
  it('gives argmax classes for several units and p > 0.5 for one, warning once', async () => {
    resetLegacyWarnings();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const multi = classifier(3, 'softmax');
      const x = randn([6, 3], 7);
      const p = await multi.predict(x);
      const classes = await multi.predictClasses(x);
      expect(classes.dtype).toBe('int32');
      expect(classes.shape).toEqual([6]);
      for (let r = 0; r < 6; r++) {
        const row = Array.from(p.data.slice(r * 3, r * 3 + 3));
        expect(classes.data[r]).toBe(row.indexOf(Math.max(...row)));
      }
      await multi.predict_classes(x);
      const binary = classifier(1, 'sigmoid');
      const pb = await binary.predict(x);
      const cb = await binary.predictClasses(x);
      expect(cb.shape).toEqual([6, 1]);
      expect(Array.from(cb.data)).toEqual(Array.from(pb.data, (v) => (v > 0.5 ? 1 : 0)));
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('predictClasses()'))).toHaveLength(1);
      expectClose(await binary.predictProba(x), Array.from(pb.data));
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('predictProba()'))).toHaveLength(1);
      // Not probabilities: Keras 2.0's warning.
      const linear = new Sequential([new Dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })]);
      await linear.predict_proba(tensor([[100, -100, 50]]));
      expect(warn.mock.calls.some((c) => String(c[0]).includes('invalid probability values'))).toBe(true);
    } finally {
      warn.mockRestore();
    }
  });
});
