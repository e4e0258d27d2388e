import { describe, expect, it, vi } from 'vitest';
import { SGD } from '../../src/index.js';
import { resetLegacyWarnings } from '../../src/legacy/warnings.js';
import { linearData, mlp } from './helpers.js';

function compiled() {
  const m = mlp();
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

describe("generator methods' workers, maxQueueSize and useMultiprocessing", () => {
  it('warn once that parallel loading has no effect, and still train on every batch', async () => {
    resetLegacyWarnings();
    const { x, y } = linearData(8, 4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const m = compiled();
      const h = await m.fitGenerator([[x, y]], { epochs: 2, verbose: 0, workers: 4, useMultiprocessing: true, maxQueueSize: 10 });
      expect(h.history.loss).toHaveLength(2);
      await m.evaluateGenerator([[x, y]], { workers: 4 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/fitGenerator: workers=4, useMultiprocessing=true has no effect in keras-ts/);
    } finally {
      warn.mockRestore();
    }
  });

  it('stay silent for the defaults (workers 1 or 0, no multiprocessing)', async () => {
    resetLegacyWarnings();
    const { x, y } = linearData(8, 4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await compiled().fitGenerator([[x, y]], { epochs: 1, verbose: 0, workers: 1, useMultiprocessing: false, maxQueueSize: 10 });
      await compiled().evaluateGenerator([[x, y]], { workers: 0 });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it.each([
    ['workers', -1, /argument 'workers' got -1: expected an integer >= 0/],
    ['workers', 2.5, /argument 'workers' got 2\.5: expected an integer >= 0/],
    ['maxQueueSize', 0, /argument 'maxQueueSize' got 0: expected an integer >= 1/],
    ['useMultiprocessing', 'yes', /argument 'useMultiprocessing' got .*yes.*: expected a boolean/],
  ])('refuse %s = %j naming the method and what was expected', async (key, value, message) => {
    const { x, y } = linearData(8, 4);
    await expect(compiled().predictGenerator([[x, y]], { [key]: value })).rejects.toThrow(message);
  });
});
