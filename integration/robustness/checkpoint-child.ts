/**
 * Run by faults.test.ts in a child process, to be killed in the middle of a save: trains a model
 * of a few MB on the backend `argv[3]` (a key of backends.ts, default 'ts') with a ModelCheckpoint
 * writing `argv[2]` every epoch, announcing each save on stdout (`saving <epoch> <checksum>`
 * before, `saved <epoch>` after) until it is killed.
 */
import { Callback, Dense, ModelCheckpoint, SGD, Sequential, setBackend, Tensor } from '@keras-ts/keras';
import { backendByKey } from '../backends.js';

setBackend(await backendByKey(process.argv[3] ?? 'ts').make());
const file = process.argv[2];
const model = new Sequential({ layers: [new Dense({ units: 512, inputShape: [256], activation: 'relu' }), new Dense({ units: 512, activation: 'relu' }), new Dense({ units: 1 })] });
model.compile({ optimizer: new SGD({ learningRate: 1e-4 }), loss: 'mse' });
const x = new Tensor([8, 256], 'float32', Float32Array.from({ length: 8 * 256 }, (_, i) => Math.sin(i)));
const y = new Tensor([8, 1], 'float32', Float32Array.from({ length: 8 }, (_, i) => i / 8));

/** The sum of every weight: identifies which save a file holds. */
export const checksum = (ws: readonly Tensor[]) => ws.reduce((s, w) => s + Array.from(w.data).reduce((a, b) => a + b, 0), 0);

class Announce extends Callback {
  constructor(private readonly when: 'before' | 'after') {
    super();
  }
  override async onEpochEnd(epoch: number): Promise<void> {
    process.stdout.write(this.when === 'before' ? `saving ${epoch + 1} ${checksum(this.model!.getWeights())}\n` : `saved ${epoch + 1}\n`);
  }
}

await model.fit(x, y, { epochs: 100_000, batchSize: 8, verbose: 0, callbacks: [new Announce('before'), new ModelCheckpoint({ filepath: file }), new Announce('after')] });
