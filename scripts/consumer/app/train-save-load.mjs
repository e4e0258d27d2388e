// Run by scripts/consumer/run.mjs in an app outside the workspace, with plain node: builds, trains,
// saves, reloads and predicts a model on the backend named by argv[2] (ts or onnx), then loads a
// real Keras file. Prints one JSON line of results for the runner to check.
import { setBackend, Sequential, Dense, Adam, tensor, loadModel, saveModel } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { mkdirSync, readFileSync } from 'node:fs';

const which = process.argv[2];
setBackend(which === 'onnx' ? createOnnxBackend() : createTsBackend());

const model = new Sequential({
  layers: [new Dense({ units: 16, activation: 'tanh', inputShape: [2] }), new Dense({ units: 1, activation: 'sigmoid' })],
});
model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = tensor([[0], [1], [1], [0]]);
const history = await model.fit(x, y, { epochs: 200, batchSize: 4, verbose: 0 });
const trained = (await model.predict(x, { verbose: 0 })).toArray().map((r) => r[0]);

const results = { backend: which, loss: [history.history.loss[0], history.history.loss.at(-1)], trained, reloaded: {} };
mkdirSync(`${which}-tfjs`, { recursive: true });
for (const file of [`${which}.keras`, `${which}.h5`, `${which}-tfjs/model.json`]) {
  await saveModel(model, file);
  const again = await loadModel(file);
  results.reloaded[file] = (await again.predict(x, { verbose: 0 })).toArray().map((r) => r[0]);
}

// A file trained by real Keras and the predictions Keras made with it (copied in by the runner).
const golden = JSON.parse(readFileSync('mlp_adam_cce.json', 'utf8'));
const real = await loadModel('mlp_adam_cce.keras');
const got = (await real.predict(tensor(Float32Array.from(golden.x.data), golden.x.shape), { verbose: 0 })).data;
const want = golden.predict_after.data;
results.realKeras = { layers: real.layers.map((l) => l.name), maxDiff: Math.max(...want.map((v, i) => Math.abs(v - got[i]))) };
console.log(JSON.stringify(results));
