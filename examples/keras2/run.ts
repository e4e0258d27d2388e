/**
 * Runs one ported Keras 2 program on backend-ts: `tsx --conditions=keras-ts-source
 * examples/keras2/run.ts mnist_mlp [epochs]`. (keras-ts needs a backend set before the
 * first model; Keras 2 picks TensorFlow by itself.)
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import { setBackend } from '@keras-ts/keras';

const [name, epochs] = process.argv.slice(2);
if (!name) {
  console.error('usage: run.ts <program> [epochs]   (a file name of examples/keras2 without .ts)');
  process.exit(2);
}
setBackend(createTsBackend());
const mod = (await import(`./${name}.js`)) as { main(o?: { epochs?: number }): Promise<unknown> };
await mod.main(epochs ? { epochs: Number(epochs) } : {});
