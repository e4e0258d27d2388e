/**
 * The Keras 2 -> Keras 3 bridge, proven with real Keras: legacy `.h5` files in tf.keras 2.15's
 * exact dialect (conformance/oracle/bridge/make_fixtures.py) that Keras 3 refuses load in
 * keras-ts, and `keras-ts convert old.h5 new.keras` (and `.h5` -> `.h5`) writes files that Keras 3
 * loads and that predict what the original predicts in keras-ts.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadModel, onlyOutput, Tensor } from '@keras-ts/keras';
import { main as cli } from '@keras-ts/cli';
import { OracleError, type OracleTensor } from '../oracle/client.js';
import { oracleSession, requireOracle } from './oracle-session.js';

const BRIDGE = join(dirname(fileURLToPath(import.meta.url)), '..', 'oracle', 'bridge');
const unavailable = requireOracle();

/** The fixtures, the input shape each takes, and whether Keras 3 refuses the original. */
const FIXTURES = [
  { file: 'mobilenet_style.h5', shape: [2, 8, 8, 3], refused: /DepthwiseConv2D/ },
  { file: 'recurrent.h5', shape: [2, 6, 3], refused: /time_major/ },
  { file: 'dense.h5', shape: [3, 4], refused: null },
];

function input(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * 0.9));
}

describe.skipIf(unavailable !== null)(`keras-ts convert bridges tf.keras 2 files to Keras 3${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const session = oracleSession('keras-ts-bridge-');
  const dir = session.dir;

  for (const f of FIXTURES) {
    test(`${f.file}: Keras 3 ${f.refused ? 'refuses the tf.keras 2.15 file' : 'loads it'}; converted to .keras and .h5 it loads and predicts the same`, async () => {
      const original = join(BRIDGE, f.file);
      if (f.refused) {
        const e = await session.oracle().request('load', { file: original }).then(
          () => null,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(OracleError);
        expect((e as Error).message).toMatch(f.refused);
      }
      const x = input(f.shape);
      const ours = onlyOutput(await (await loadModel(original)).predict(x));
      for (const ext of ['keras', 'h5']) {
        const out = join(dir, `${f.file}.${ext}`);
        const lines: string[] = [];
        expect(await cli(['convert', original, out], { cwd: dir, out: (l) => lines.push(l), err: (l) => lines.push(l) }), lines.join('\n')).toBe(0);
        const { outputs } = await session.oracle().request<{ outputs: OracleTensor[] }>('predict', { file: out, inputs: [{ shape: [...x.shape], data: Array.from(x.data) }] });
        expect(outputs[0].shape).toEqual([...ours.shape]);
        outputs[0].data.forEach((v, i) => expect(Math.abs(v - ours.data[i])).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(ours.data[i]))));
        const again = onlyOutput(await (await loadModel(out)).predict(x));
        expect(Array.from(again.data)).toEqual(Array.from(ours.data));
      }
    });
  }
});
