import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { Dense, Layer, LSTM, registerClass, Sequential, Tensor, type InputShape, type Model } from '../../src/index.js';
import { loadModel, loadWeights, saveModel, saveWeights } from '../../src/saving/index.js';
import { caseModel, FILES, readCase, tempDir } from './helpers.js';

const real = (name: string) => join(FILES, name);

function writeTemp(name: string, bytes: Uint8Array | string): string {
  const file = join(tempDir(), name);
  writeFileSync(file, bytes);
  return file;
}

/** A layer with a weight no file format can hold (bool), to make saves fail half-way. */
class BoolWeight extends Layer {
  static override readonly className = 'BoolWeightForSavingTest';
  override build(shape: InputShape): void {
    this.addWeight({ name: 'flags', shape: [(shape as number[]).at(-1)!], dtype: 'bool', trainable: false, initializer: { init: (s, d) => new Tensor(s, d, new Uint8Array(s[0])) } });
  }
  override call(x: never) {
    return x;
  }
}
registerClass('layer', BoolWeight);

describe('bad files fail clearly, naming the file', () => {
  test('a missing file', async () => {
    await expect(loadModel('/nonexistent/model.keras')).rejects.toThrow('/nonexistent/model.keras: no such file');
  });

  test('an empty file and a file of another kind', async () => {
    const empty = writeTemp('empty.keras', new Uint8Array(0));
    await expect(loadModel(empty)).rejects.toThrow(`${empty}: not a model file: the file is empty`);
    const png = writeTemp('image.h5', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    await expect(loadModel(png)).rejects.toThrow(/image\.h5: not a model file: it starts with bytes 89 50 4e 47/);
    const text = writeTemp('notes.keras', 'hello');
    await expect(loadModel(text)).rejects.toThrow(/notes\.keras: not a model file/);
    await expect(loadWeights(caseModel(readCase('training/mlp_adam_cce')), text)).rejects.toThrow(/notes\.keras: not a weights file/);
  });

  test('a truncated .keras archive', async () => {
    const bytes = readFileSync(real('mlp_adam_cce.keras'));
    const file = writeTemp('cut.keras', bytes.subarray(0, bytes.length >> 1));
    await expect(loadModel(file)).rejects.toThrow(`${file}: corrupt or truncated zip archive`);
  });

  test('a truncated or corrupt .h5 file', async () => {
    const bytes = readFileSync(real('mlp_adam_cce.h5'));
    const cut = writeTemp('cut.h5', bytes.subarray(0, 10000));
    await expect(loadModel(cut)).rejects.toThrow(/cut\.h5: not a readable HDF5 file \(truncated file/);
    const weights = writeTemp('cut.weights.h5', readFileSync(real('mlp_adam_cce.weights.h5')).subarray(0, 3000));
    await expect(loadWeights(caseModel(readCase('training/mlp_adam_cce')), weights)).rejects.toThrow(/cut\.weights\.h5: not a readable HDF5 file/);
    const garbled = Buffer.from(bytes);
    garbled.fill(0xab, 9, 200); // keep the signature, destroy the superblock
    const bad = writeTemp('garbled.h5', garbled);
    await expect(loadModel(bad)).rejects.toThrow(/garbled\.h5: not a readable HDF5 file/);
  });

  test('an archive whose weights file is truncated', async () => {
    const entries = unzipSync(readFileSync(real('mlp_adam_cce.keras')));
    entries['model.weights.h5'] = entries['model.weights.h5'].subarray(0, 4000);
    const file = writeTemp('half.keras', zipSync(entries, { level: 0 }));
    await expect(loadModel(file)).rejects.toThrow(/half\.keras \(model\.weights\.h5\): not a readable HDF5 file \(truncated file/);
  });

  test('an archive without config.json or weights, and a config that is not JSON', async () => {
    const entries = unzipSync(readFileSync(real('mlp_adam_cce.keras')));
    const noConfig = writeTemp('noconfig.keras', zipSync({ 'metadata.json': entries['metadata.json'] }));
    await expect(loadModel(noConfig)).rejects.toThrow(`${noConfig}: not a Keras archive: it has no config.json (entries: metadata.json)`);
    const noWeights = writeTemp('noweights.keras', zipSync({ 'config.json': entries['config.json'] }));
    await expect(loadModel(noWeights)).rejects.toThrow(`${noWeights}: not a Keras archive: it has no model.weights.h5`);
    const badJson = writeTemp('badjson.keras', zipSync({ 'config.json': strToU8('{"class_name": "Sequential", '), 'model.weights.h5': entries['model.weights.h5'] }));
    await expect(loadModel(badJson)).rejects.toThrow(`${badJson}: config.json is not valid JSON`);
    const json = writeTemp('model.json', '{"class_name": ');
    await expect(loadModel(json)).rejects.toThrow(`${json}: the file is not valid JSON`);
  });

  test('an unknown layer in the config', async () => {
    const entries = unzipSync(readFileSync(real('mlp_adam_cce.keras')));
    const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
    config.config.layers[1].class_name = 'FancyDense';
    entries['config.json'] = strToU8(JSON.stringify(config));
    const file = writeTemp('unknown.keras', zipSync(entries));
    await expect(loadModel(file)).rejects.toThrow(`${file}: cannot rebuild the model from its config: unknown layer 'FancyDense'`);
    await expect(loadModel(file)).rejects.toThrow("customObjects: { FancyDense: FancyDense }");
    // The same class given in customObjects loads.
    const model = await loadModel(file, { customObjects: { FancyDense: Dense } });
    expect(model.layers.map((l) => l.className)).toEqual(['Dense', 'Dense']);
  });

  test('a weights-only file given to loadModel', async () => {
    await expect(loadModel(real('mlp_adam_cce.weights.h5'))).rejects.toThrow(/mlp_adam_cce\.weights\.h5: holds weights only .* use loadWeights/);
  });

  test('weights whose shapes do not fit name the file, the layer, the weight and both shapes', async () => {
    const other = new Sequential({ layers: [new Dense({ units: 8, inputShape: [5], name: 'dense_20' }), new Dense({ units: 3, name: 'dense_21' })] });
    const before = other.getWeights().map((t) => Array.from(t.data));
    const msg = (file: string, source: string) =>
      `${file}: layer 'dense_20', weight 'dense_20/kernel': the model's weight has shape [5,8], the file's '${source}' has shape [4,8]`;
    const w3 = real('mlp_adam_cce.weights.h5');
    await expect(loadWeights(other, w3)).rejects.toThrow(msg(w3, 'layers/dense/vars/0'));
    const h5 = real('mlp_adam_cce.h5');
    await expect(loadWeights(other, h5)).rejects.toThrow(msg(h5, 'dense_20/sequential/dense_20/kernel'));
    const keras = real('mlp_adam_cce.keras');
    await expect(loadWeights(other, keras)).rejects.toThrow(msg(`${keras} (model.weights.h5)`, 'layers/dense/vars/0'));
    // Nothing was assigned: a file that does not fit leaves the model as it was.
    expect(other.getWeights().map((t) => Array.from(t.data))).toEqual(before);
  });

  test('weights whose counts do not fit', async () => {
    const lstm = caseModel(readCase('training/lstm_rmsprop_mse'));
    await expect(loadWeights(lstm, real('mlp_adam_cce.weights.h5'))).rejects.toThrow(/mlp_adam_cce\.weights\.h5: no weights for layer 'lstm_5' \(LSTM\), sublayer 'lstm_cell' \(LSTMCell\): expected the group 'layers\/lstm\/cell\/vars'.*the file's layers are: dense, dense_1/);
    await expect(loadWeights(lstm, real('mlp_adam_cce.h5'))).rejects.toThrow(/mlp_adam_cce\.h5: layer 'lstm_5' \(LSTM\) has 3 weight\(s\) \(lstm_5\/lstm_cell\/kernel \[3,16\], .*but the file's layer 'dense_20' has 2/);
    const noBias = new Sequential({ layers: [new Dense({ units: 8, inputShape: [4], useBias: false }), new Dense({ units: 3 })] });
    await expect(loadWeights(noBias, real('mlp_adam_cce.weights.h5'))).rejects.toThrow(/has 1 weight\(s\) \(dense(_\d+)?\/kernel \[4,8\]\), but the group 'layers\/dense\/vars' \(saved from 'dense_20'\) holds 2/);
    const three = new Sequential({ layers: [new Dense({ units: 8, inputShape: [4] }), new Dense({ units: 3 }), new Dense({ units: 3 })] });
    await expect(loadWeights(three, real('mlp_adam_cce.h5'))).rejects.toThrow(/the file has weights for 2 layer\(s\) \(dense_20, dense_21\), the model has 3 layer\(s\) with weights/);
  });

  test('a TF.js model.json whose shards are missing or short', async () => {
    const model = caseModel(readCase('training/mlp_adam_cce'));
    const dir = tempDir();
    const file = join(dir, 'model.json');
    await saveModel(model, file);
    const name = JSON.parse(readFileSync(file, 'utf8')).weightsManifest[0].paths[0] as string;
    const shard = join(dir, name);
    writeFileSync(shard, readFileSync(shard).subarray(0, 20));
    await expect(loadModel(file)).rejects.toThrow(`${file}: the weights of shards ${name} need 268 bytes, the shards hold 20 (truncated?)`);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.weightsManifest[0].paths = ['gone.bin'];
    writeFileSync(file, JSON.stringify(manifest));
    await expect(loadModel(file)).rejects.toThrow(`${join(dir, 'gone.bin')}: no such file`);
  });
});

describe('saving', () => {
  test('the format comes from the extension; unknown extensions and weights names are refused', async () => {
    const model = caseModel(readCase('training/mlp_adam_cce'));
    const dir = tempDir();
    await expect(saveModel(model, join(dir, 'model.txt'))).rejects.toThrow("saveModel: cannot tell the format of");
    await expect(saveModel(model, join(dir, 'model.weights.h5'))).rejects.toThrow('use saveWeights(model,');
    await expect(saveWeights(model, join(dir, 'w.bin'))).rejects.toThrow("saveWeights: cannot tell the format of");
    await expect(saveModel(model, join(dir, 'missing', 'model.keras'))).rejects.toThrow(`the directory ${join(dir, 'missing')} does not exist`);
  });

  test('a subclassed or unbuilt model cannot be saved whole', async () => {
    const unbuilt = new Sequential({ layers: [new Dense({ units: 2 })] });
    await expect(saveModel(unbuilt, join(tempDir(), 'm.keras'))).rejects.toThrow('has not been built yet');
    await expect(loadWeights(unbuilt, real('mlp_adam_cce.weights.h5'))).rejects.toThrow('is not built yet');
  });

  test('a failed save leaves an existing file intact and no temporary files', async () => {
    const good = caseModel(readCase('training/mlp_adam_cce'));
    const bad = new Sequential({ layers: [new Dense({ units: 2, inputShape: [3] }), new BoolWeight()] }) as Model;
    const dir = tempDir();
    for (const name of ['m.keras', 'm.h5', 'm.weights.h5', 'w.h5', 'model.json']) {
      const file = join(dir, name);
      if (name.includes('weights') || name === 'w.h5') await saveWeights(good, file);
      else await saveModel(good, file);
      const before = readdirSync(dir).sort();
      const bytes = readFileSync(file);
      const attempt = name.includes('weights') || name === 'w.h5' ? saveWeights(bad, file) : saveModel(bad, file);
      await expect(attempt).rejects.toThrow(/bool/);
      expect(readFileSync(file).equals(bytes)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(before);
    }
    // A layer name too long for an HDF5 attribute fails while writing the .h5, with the same guarantee.
    const longName = new Sequential({ layers: [new Dense({ units: 2, inputShape: [3], name: 'x'.repeat(70000) })] });
    const file = join(dir, 'm.h5');
    const bytes = readFileSync(file);
    await expect(saveModel(longName, file)).rejects.toThrow(/longer than 64512 bytes/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('LSTM weights in a Keras 2 .h5 weights file follow Keras 2 names', async () => {
    const model = new Sequential({ layers: [new LSTM({ units: 2, inputShape: [3, 4], name: 'lstm' })] });
    const file = join(tempDir(), 'w.h5');
    await saveWeights(model, file);
    const { getGroup, withH5, readStringListAttr } = await import('../../src/saving/hdf5-sandbox.js');
    await withH5(file, 'r', (f) => {
      expect(readStringListAttr(f, 'layer_names')).toEqual(['lstm']);
      const lstm = getGroup(f, 'lstm');
      expect(lstm).not.toBeNull();
      expect(lstm && readStringListAttr(lstm, 'weight_names')).toEqual(['lstm/lstm_cell/kernel:0', 'lstm/lstm_cell/recurrent_kernel:0', 'lstm/lstm_cell/bias:0']);
    });
  });
});
