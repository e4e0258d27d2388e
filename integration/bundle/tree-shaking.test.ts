/**
 * What a page that imports only Dense and Sequential gets from keras-ts: bundled with esbuild for
 * the browser (bench/src/bundle/size.ts, the same measurement as `pnpm bench:bundle`), its
 * metafile must not hold the layers it never uses, such as the LSTM module.
 *
 * KNOWN, measured: today it does. Every layer module registers itself for deserialization
 * (`registerClass('layer', ...)` at module level), so each is listed in @keras-ts/keras'
 * `sideEffects`, and the package's index imports them all: the Dense + Sequential bundle holds
 * all 121 layer modules of the full one (LSTM, ConvLSTM, ...), plus h5wasm through saving/h5.ts
 * (6.4 MiB minified, 1.27 MiB gzipped, of which h5wasm's embedded WebAssembly is 5.3 MiB
 * minified). The check is declared `test.fails` until registration moves out of the layer
 * modules (a lazy registry that `loadModel` / `deserialize` fill); it then fails, and must become
 * a plain test.
 */
import { describe, expect, test } from 'vitest';
import { ENTRIES, measureBundle } from '../../bench/src/bundle/size.js';

const full = ENTRIES.find((e) => e.name.startsWith('keras + backend-ts'))!;
const denseOnly = ENTRIES.find((e) => e.name.startsWith('Dense + Sequential'))!;
const LSTM = 'packages/keras/src/layers/recurrent/lstm.ts';

describe('tree shaking of @keras-ts/keras for the browser (esbuild metafile)', () => {
  test('the full bundle holds the LSTM module, so the check below can see it', async () => {
    const s = await measureBundle(full);
    expect(s.modules).toContain(LSTM);
    expect(s.modules).toContain('packages/keras/src/layers/core/dense.ts');
  }, 120_000);

  test.fails('importing only Dense and Sequential leaves LSTM and h5wasm out (KNOWN: every registering layer module is kept; see the header)', async () => {
    const s = await measureBundle(denseOnly);
    expect(s.modules).toContain('packages/keras/src/layers/core/dense.ts');
    expect(s.modules).not.toContain(LSTM);
    expect(s.modules.filter((m) => m.includes('/h5wasm/'))).toEqual([]);
  }, 120_000);
});
