/**
 * Where a tfjs contestant's time goes on one model workload: runs the peer once to warm up, then
 * once inside tf.profile, and prints the kernel time per tfjs kernel name.
 *
 *   npx tsx bench/src/workloads/tfjs-profile.ts [--filter TEXT] [--peer keras-ts/tfjs-cpu|tfjs-layers/wasm|...]
 */
import * as tf from '@tensorflow/tfjs';
import { modelWorkloads } from './index.js';
import { toolArgs } from './tool-args.js';
import { UsageError } from '../usage-error.js';

const args = toolArgs(process.argv.slice(2), { filter: 'string', peer: 'string' }, 'usage: npx tsx bench/src/workloads/tfjs-profile.ts [--filter TEXT] [--peer NAME]');
const filter = args.filter ?? 'mobilenet';
const peerName = args.peer ?? 'keras-ts/tfjs-cpu';

for (const w of modelWorkloads()) {
  if (!w.name.includes(filter)) continue;
  const peer = w.peers.find((p) => p.name === peerName);
  if (!peer) throw new UsageError(`--peer ${peerName}: no such peer (have ${w.peers.map((p) => p.name).join(', ')})`);
  const fn = await peer.setup();
  await fn();
  const t0 = performance.now();
  const info = await tf.profile(async () => {
    await fn();
  });
  const wall = performance.now() - t0;
  const per = new Map<string, { ms: number; n: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = per.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += ms;
    e.n++;
    per.set(k.name, e);
    total += ms;
  }
  console.log(`${w.name} (${peerName} on ${tf.getBackend()}): ${wall.toFixed(1)} ms wall under the profiler, ${total.toFixed(1)} ms in ${info.kernels.length} kernels`);
  for (const [name, e] of [...per].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20)) console.log(`  ${name.padEnd(28)} ${e.ms.toFixed(1).padStart(9)} ms  ${String(e.n).padStart(5)} calls`);
}
