import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Model } from '../../src/index.js';
import { getDataset, isGroup, readStringListAttr, withH5, type H5Group } from '../../src/saving/hdf5-sandbox.js';
import { loadModel, saveModel, saveWeights } from '../../src/saving/index.js';
import { FILES, tempDir } from './helpers.js';

interface Tree {
  /** `path/` for groups, `path [shape]` for datasets, each with its sorted attribute names. */
  entries: string[];
}

/** The tree of an HDF5 file: groups, datasets with shapes, attribute names; `skip` drops subtrees. */
async function treeOf(file: string, skip: (path: string) => boolean = () => false): Promise<Tree> {
  return withH5(file, 'r', (f) => {
    const entries: string[] = [];
    const walk = (g: H5Group, path: string) => {
      entries.push(`${path}/ @[${Object.keys(g.attrs).sort().join(',')}]`);
      for (const k of g.keys()) {
        const p = `${path}/${k}`;
        if (skip(p)) continue;
        const c = g.get(k);
        if (isGroup(c)) walk(c, p);
        else entries.push(`${p} [${(c as unknown as { shape: number[] }).shape}] @[${Object.keys((c as unknown as H5Group).attrs).sort().join(',')}]`);
      }
    };
    walk(f, '');
    return { entries };
  });
}

/** Per layer group of a legacy file: the weight datasets' shapes in weight_names order. */
async function legacyWeightShapes(file: string): Promise<Record<string, string[]>> {
  return withH5(file, 'r', (f) => {
    const mw = f.get('model_weights') as H5Group;
    const out: Record<string, string[]> = {};
    for (const layer of readStringListAttr(mw, 'layer_names')!) {
      const g = mw.get(layer) as H5Group;
      out[layer] = (readStringListAttr(g, 'weight_names') ?? []).map((n) => `[${getDataset(g, n)!.shape}]`);
    }
    return out;
  });
}

const optimizerState = (p: string) => p === '/optimizer_weights' || p === '/optimizer';
const CASES = ['mlp_adam_cce', 'cnn_sgd_scce', 'lstm_rmsprop_mse', 'functional_two_inputs_bce', 'mobilenet_v2_035_96'];

describe('written files have the layout of the real ones', () => {
  for (const id of CASES) {
    test(`${id}.h5: same groups and attribute names (weights below each layer group in Keras 2 naming)`, async () => {
      const real = join(FILES, `${id}.h5`);
      const model: Model = await loadModel(real);
      const ours = join(tempDir(), `${id}.h5`);
      await saveModel(model, ours);
      // Down to the layer groups the trees agree; inside them Keras 3 names datasets by variable
      // path ('sequential/dense/kernel'), Keras 2 by weight name ('dense/kernel:0').
      const depth = (e: string) => e.split(' ')[0].replace(/\/$/, '').split('/').length;
      const top = (t: Tree) => t.entries.filter((e) => depth(e) <= 3);
      const realTree = await treeOf(real);
      const ourTree = await treeOf(ours);
      expect(top(ourTree)).toEqual(top(realTree));
      if (!id.startsWith('mobilenet')) expect(realTree.entries).toContain('/ @[backend,keras_version,model_config,training_config]');
      expect(await legacyWeightShapes(ours)).toEqual(await legacyWeightShapes(real));
    });

    test(`${id}: our Keras 3 weights layout is the real one (.weights.h5 and the archive's model.weights.h5)`, async () => {
      const model: Model = await loadModel(join(FILES, `${id}.keras`));
      const dir = tempDir();
      const realArchive = unzipSync(readFileSync(join(FILES, `${id}.keras`)));
      writeFileSync(join(dir, 'real.weights.h5'), realArchive['model.weights.h5']);
      // The optimizer's state included (`optimizer/vars`, Keras 3's order).
      const realTree = await treeOf(join(dir, 'real.weights.h5'));
      await saveWeights(model, join(dir, 'ours.weights.h5'));
      expect((await treeOf(join(dir, 'ours.weights.h5'))).entries).toEqual(realTree.entries);
      await saveModel(model, join(dir, 'ours.keras'));
      const ourArchive = unzipSync(readFileSync(join(dir, 'ours.keras')));
      expect(Object.keys(ourArchive)).toEqual(Object.keys(realArchive));
      writeFileSync(join(dir, 'ours-archive.weights.h5'), ourArchive['model.weights.h5']);
      expect((await treeOf(join(dir, 'ours-archive.weights.h5'))).entries).toEqual(realTree.entries);
      const realConfig = JSON.parse(new TextDecoder().decode(realArchive['config.json']));
      const ourConfig = JSON.parse(new TextDecoder().decode(ourArchive['config.json']));
      expect(Object.keys(ourConfig).sort()).toEqual(Object.keys(realConfig).sort());
      expect([ourConfig.module, ourConfig.class_name, ourConfig.registered_name]).toEqual([realConfig.module, realConfig.class_name, realConfig.registered_name]);
      expect(Object.keys(JSON.parse(new TextDecoder().decode(ourArchive['metadata.json'])))).toEqual(['keras_version', 'date_saved']);
      if (realConfig.class_name === 'Sequential') {
        // Keras 3 writes the input as an explicit first InputLayer: so do we.
        expect(ourConfig.config.layers[0].class_name).toBe('InputLayer');
        expect(ourConfig.config.layers[0].config.batch_shape).toEqual(realConfig.config.layers[0].config.batch_shape);
        expect(ourConfig.config.layers.slice(1).some((l: { config: Record<string, unknown> }) => 'batch_input_shape' in l.config)).toBe(false);
      }
    });
  }

  test('.weights.h5 files: same tree as the real ones (Keras 3 layout)', async () => {
    for (const id of ['mlp_adam_cce', 'cnn_sgd_scce', 'lstm_rmsprop_mse']) {
      const model: Model = await loadModel(join(FILES, `${id}.keras`));
      const ours = join(tempDir(), `${id}.weights.h5`);
      await saveWeights(model, ours);
      expect((await treeOf(ours)).entries).toEqual((await treeOf(join(FILES, `${id}.weights.h5`))).entries);
    }
  });

  test('Keras 2 strings: layer_names and weight_names are fixed-length byte strings; both kinds read back', async () => {
    const model: Model = await loadModel(join(FILES, 'lstm_rmsprop_mse.keras'));
    const ours = join(tempDir(), 'lstm.h5');
    await saveModel(model, ours);
    await withH5(ours, 'r', (f) => {
      const mw = f.get('model_weights') as H5Group;
      const meta = mw.attrs.layer_names.metadata as { vlen: boolean; size: number };
      expect(meta.vlen).toBe(false);
      expect(meta.size).toBe('dense_23'.length);
      expect(readStringListAttr(mw, 'layer_names')).toEqual(['lstm_5', 'dense_23']);
      expect(readStringListAttr(mw.get('lstm_5') as H5Group, 'weight_names')).toEqual(['lstm_5/lstm_cell/kernel:0', 'lstm_5/lstm_cell/recurrent_kernel:0', 'lstm_5/lstm_cell/bias:0']);
    });
    // The real file stores them as variable-length strings.
    await withH5(join(FILES, 'lstm_rmsprop_mse.h5'), 'r', (f) => {
      const mw = f.get('model_weights') as H5Group;
      expect((mw.attrs.layer_names.metadata as { vlen: boolean }).vlen).toBe(true);
      expect(readStringListAttr(mw, 'layer_names')).toEqual(['lstm_5', 'dense_23']);
    });
  });
});
