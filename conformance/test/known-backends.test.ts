import { afterEach, describe, expect, it } from 'vitest';
import { BackendNotInstalled, createKnownBackend, KNOWN_BACKENDS, type KnownBackend } from '../src/backends.js';
import { main } from '../src/cli.js';

// A known backend whose package is not installed (as if @keras-ts/backend-nope were a fifth one).
const known = KNOWN_BACKENDS as Record<string, KnownBackend>;
const missing = (): Promise<never> => Promise.reject(Object.assign(new Error("Cannot find package '@keras-ts/backend-nope' imported from /x/backends.js"), { code: 'ERR_MODULE_NOT_FOUND' }));
afterEach(() => {
  delete known.nope;
});

describe('the known backends', () => {
  it('are the four of the project, each imported only when asked for', () => {
    expect(Object.keys(KNOWN_BACKENDS)).toEqual(['ts', 'tfjs', 'tfjs-wasm', 'onnx']);
    expect(Object.values(KNOWN_BACKENDS).map((b) => b.package)).toEqual(['@keras-ts/backend-ts', '@keras-ts/backend-tfjs', '@keras-ts/backend-tfjs', '@keras-ts/backend-onnx']);
  });

  it('a known backend whose package is missing: a loading error when named, left out of all with a note', async () => {
    known.nope = { package: '@keras-ts/backend-nope', create: missing };
    await expect(createKnownBackend('nope')).rejects.toBeInstanceOf(BackendNotInstalled);

    const err: string[] = [];
    expect(await main(['--backend', 'nope', '--filter', 'activations/relu'], { out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err).toEqual(["backend 'nope' needs @keras-ts/backend-nope, which is not installed (npm install -D @keras-ts/backend-nope)"]);

    // 'all' without the four real ones, to keep the test fast: only ts and the missing one.
    const saved = { ...known };
    for (const k of ['tfjs', 'tfjs-wasm', 'onnx']) delete known[k];
    try {
      const out: string[] = [];
      expect(await main(['--filter', 'activations/relu'], { out: (s) => out.push(s.trim()), err: () => {} })).toBe(0);
      expect(out).toContain("backend nope: not run: backend 'nope' needs @keras-ts/backend-nope, which is not installed (npm install -D @keras-ts/backend-nope)");
      expect(out.at(-1)).toBe('2 passed, 0 failed, 0 skipped');
    } finally {
      Object.assign(known, saved);
    }
  });

  it('a known backend that fails for another reason is a loading error', async () => {
    known.nope = { package: '@keras-ts/backend-nope', create: () => Promise.reject(new Error('no GPU')) };
    await expect(createKnownBackend('nope')).rejects.toThrow("backend 'nope' (@keras-ts/backend-nope) cannot be created: no GPU");
  });
});
