/**
 * Profiles one contestant of the model workloads alone: where its time goes, per op kind.
 *
 *   cd bench && KERAS_TS_PROFILE=cpu npx tsx src/workloads/profile.ts [--filter TEXT] [--runs N] [--peer keras-ts/ts|tfjs-layers/cpu|...]
 *
 * With KERAS_TS_PROFILE set (`cpu`: process CPU time, else wall time), backend-ts times every step of its compiled graphs (ops, and fused
 * groups labelled by their ops joined with '+'); the table lists the total per label over the
 * timed runs (after one untimed warm-up run), and the share of the wall time they explain
 * (the rest is the frontend: batching, tensors, the training loop).
 */
import * as tf from '@tensorflow/tfjs';
import { resetTsProfile, tsProfile } from '@keras-ts/backend-ts';
import { modelWorkloads } from './index.js';
import { toolArgs } from './tool-args.js';

async function main(argv: string[]): Promise<void> {
  const args = toolArgs(argv, { filter: 'string', runs: 'string', peer: 'string' }, 'usage: npx tsx src/workloads/profile.ts [--filter TEXT] [--runs N] [--peer NAME]');
  const filter = args.filter ?? '';
  const runs = Number(args.runs ?? 3);
  const peerName = args.peer ?? 'keras-ts/ts';
  await tf.setBackend('cpu');
  for (const w of modelWorkloads()) {
    if (filter && !w.name.includes(filter)) continue;
    const peer = w.peers.find((p) => p.name === peerName);
    if (!peer) continue;
    const fn = await peer.setup();
    await fn();
    resetTsProfile();
    const times: number[] = [];
    const cpu = process.env.KERAS_TS_PROFILE === 'cpu';
    const now = () => (cpu ? (process.cpuUsage().user + process.cpuUsage().system) / 1000 : performance.now());
    for (let r = 0; r < runs; r++) {
      const t0 = now();
      await fn();
      times.push(now() - t0);
    }
    const total = times.reduce((a, b) => a + b, 0);
    console.log(`${w.name} (${peerName}): runs ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    const prof = tsProfile();
    const kernelMs = prof.reduce((a, p) => a + p.ms, 0);
    if (prof.length) {
      console.log(`  kernels ${kernelMs.toFixed(1)} ms of ${total.toFixed(1)} ms (${((100 * kernelMs) / total).toFixed(0)}%)`);
      for (const p of prof.slice(0, 25)) {
        console.log(`  ${p.op.slice(0, 110).padEnd(110)} ${(p.ms / runs).toFixed(2).padStart(9)} ms/run  ${String(p.calls / runs).padStart(6)} calls/run  ${((100 * p.ms) / total).toFixed(1).padStart(5)}%`);
      }
    }
    peer.teardown?.();
  }
}

await main(process.argv.slice(2));
