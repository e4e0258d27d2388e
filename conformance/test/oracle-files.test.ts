/**
 * Files both ways, asked of real Keras (the live oracle, conformance/oracle/): for every model of
 * the corpus, each format keras-ts writes (`.keras`, `.h5`, `.weights.h5` with the architecture
 * from Keras JSON) loads in Keras and predicts what keras-ts predicts; and each file Keras writes
 * for the same model loads in keras-ts and predicts the same.
 *
 * Without Python Keras the suite is skipped with the reason, unless KERAS_TS_REQUIRE_ORACLE=1
 * (CI sets it), which makes a missing oracle a failure.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadModel, outputList, saveModel, saveWeights, type Model, type Tensor } from '@keras-ts/keras';
import { writeFileSync } from 'node:fs';
import { main as cli } from '@keras-ts/cli';
import { corpus, NOT_IN_CORPUS, type CorpusModel } from '../oracle/corpus.js';
import { registeredNames } from '@keras-ts/keras';
import { type OracleTensor } from '../oracle/client.js';
import { oracleSession, requireOracle } from './oracle-session.js';

const unavailable = requireOracle();
const TOL = 1e-5;
/** ONNX Runtime's kernels (its own conv, exp, erf) round differently from backend-ts'. */
const ONNX_TOL = 1e-4;

/**
 * Where no file both Keras 2 and Keras 3 read exists, by (model id, format written by keras-ts).
 * Each is a Keras 3 departure from Keras 2 that real tf.keras 2 files hit as well.
 */
const DIVERGENCES: Record<string, string> = {
  'layers/MultiHeadAttention/basic h5':
    "Keras 3 reads a Keras 2 node's keyword tensors raw (keras/src/models/functional.py deserialize_node, legacy case: `kwargs = input_data[3]`), so MultiHeadAttention(query, value) in a Keras 2 config gets value=['input_1', 0, 0]; tf.keras 2 wraps them (functional.py _deserialize_keras_tensors). keras-ts writes Keras 2's form in .h5 and JSON, Keras 3's in .keras.",
  'layers/MultiHeadAttention/basic json+weights': 'as for .h5: Keras 3 cannot read the keyword tensors of a Keras 2 node list',
};

const asOracle = (t: Tensor): OracleTensor => ({ shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) });

async function predictOurs(model: Model, inputs: Tensor[]): Promise<Tensor[]> {
  return outputList(await model.predict(inputs.length === 1 ? inputs[0] : inputs, { verbose: 0 }));
}

/** The largest difference between two lists of tensors, relative to each golden value's size. */
function worst(ours: { shape: readonly number[]; data: ArrayLike<number> }[], theirs: OracleTensor[]): number {
  expect(theirs.length).toBe(ours.length);
  let w = 0;
  ours.forEach((o, i) => {
    expect([...theirs[i].shape]).toEqual([...o.shape]);
    for (let k = 0; k < o.data.length; k++) w = Math.max(w, Math.abs(o.data[k] - theirs[i].data[k]) / (1 + Math.abs(o.data[k])));
  });
  return w;
}

describe('the corpus', () => {
  test('every registered layer class is in a corpus model, or listed with the reason it cannot be', () => {
    const seen = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(walk);
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o.class_name === 'string') seen.add(o.class_name);
      Object.values(o).forEach(walk);
    };
    for (const m of corpus()) {
      const model = m.build();
      walk({ class_name: model.wireClassName, config: model.getConfig() });
    }
    const missing = registeredNames('layer').filter((n) => !seen.has(n) && !(n in NOT_IN_CORPUS));
    expect(missing).toEqual([]);
  });
});

describe.skipIf(unavailable !== null)(`files both ways with real Keras${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const session = oracleSession('keras-ts-oracle-');
  const dir = session.dir;

  const models = corpus();
  test('the corpus covers the golden layers, models, training cases and models built from scratch', () => {
    expect(models.length).toBeGreaterThan(150);
  });

  const safe = (id: string) => id.replace(/[^A-Za-z0-9_-]+/g, '_');

  for (const m of models) {
    test.each(['keras', 'h5', 'json+weights'])(`${m.id}: keras-ts writes %s, Keras loads it and predicts the same`, async (format) => {
      const divergence = DIVERGENCES[`${m.id} ${format}`];
      if (divergence) {
        console.log(`${m.id} ${format}: not compared with Keras 3: ${divergence}`);
        return;
      }
      const model = m.build();
      const ours = await predictOurs(model, m.inputs);
      const base = join(dir, `${safe(m.id)}-ours`);
      let request: Record<string, unknown>;
      if (format === 'json+weights') {
        writeFileSync(`${base}.json`, model.toJSON());
        await saveWeights(model, `${base}.weights.h5`);
        request = { file: `${base}.json`, weights_file: `${base}.weights.h5` };
      } else {
        await saveModel(model, `${base}.${format}`);
        request = { file: `${base}.${format}` };
      }
      const { outputs } = await session.oracle().request<{ outputs: OracleTensor[] }>('predict', { ...request, inputs: m.inputs.map(asOracle) });
      expect(worst(ours, outputs)).toBeLessThanOrEqual(TOL);
    });

    test(`${m.id}: the ONNX export passes onnx.checker (full_check) and Python onnxruntime predicts the same`, async () => {
      const model = m.build();
      const ours = await predictOurs(model, m.inputs);
      const src = join(dir, `${safe(m.id)}-for-onnx.keras`);
      await saveModel(model, src);
      const out = join(dir, `${safe(m.id)}.onnx`);
      const lines: string[] = [];
      expect(await cli(['convert', src, out], { cwd: dir, out: (l) => lines.push(l), err: (l) => lines.push(l) }), lines.join('\n')).toBe(0);
      const { outputs } = await session.oracle().request<{ outputs: OracleTensor[] }>('onnx', { file: out, inputs: m.inputs.map(asOracle) });
      expect(worst(ours, outputs)).toBeLessThanOrEqual(ONNX_TOL);
    });

    test.each(['keras', 'h5'])(`${m.id}: Keras writes %s, keras-ts loads it and predicts the same`, async (format) => {
      const model = m.build();
      const src = join(dir, `${safe(m.id)}-src.keras`);
      await saveModel(model, src);
      const out = join(dir, `${safe(m.id)}-theirs.${format}`);
      await session.oracle().request('save', { file: src, out });
      // What Keras predicts for the model it saved (Keras 3 cannot always read its own .h5 back:
      // its legacy loader mangles Attention's score_mode and multi-axis LayerNormalization).
      const { outputs } = await session.oracle().request<{ outputs: OracleTensor[] }>('predict', { file: src, inputs: m.inputs.map(asOracle) });
      const again = await loadModel(out);
      expect(worst(await predictOurs(again, m.inputs), outputs)).toBeLessThanOrEqual(TOL);
    });
  }
});

export type { CorpusModel };
