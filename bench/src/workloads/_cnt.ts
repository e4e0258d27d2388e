import * as tf from '@tensorflow/tfjs';
import { TsBackend, TsExecutable } from '@keras-ts/backend-ts';
import { modelWorkloads } from './index';
let compiles = 0, prepares = 0;
const oc = TsBackend.prototype.compile; TsBackend.prototype.compile = function (g) { compiles++; return oc.call(this, g); };
const op = (TsExecutable.prototype as any).prepare; (TsExecutable.prototype as any).prepare = function (i: any) { prepares++; return op.call(this, i); };
await tf.setBackend('cpu');
for (const w of modelWorkloads()) {
  if (!w.name.includes(process.argv[2] ?? '')) continue;
  const p = w.peers.find((x) => x.name === 'backend-ts')!;
  const fn = await p.setup(); await fn();
  const c0 = compiles, p0 = prepares;
  for (let r = 0; r < 5; r++) {
    const m0 = process.memoryUsage(); await fn(); const m1 = process.memoryUsage();
    console.log(w.name, 'heap+buf growth', ((m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 1048576).toFixed(1), 'MB');
  }
  console.log(w.name, 'compiles per 5 runs', compiles - c0, 'prepares', prepares - p0);
}
