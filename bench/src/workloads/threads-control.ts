/**
 * The control next to the threads workloads (threads.ts): how much faster two threads run than
 * one on this machine right now, with nothing shared. Each of two threads (this one and a worker)
 * runs the same arithmetic loop over its own small array; the ratio is twice the time of one
 * loop alone over the time of both together (2.0 = two free cores). On a busy machine it shows
 * how much CPU a second thread gets, which bounds what backend-ts' threads can show.
 *
 *   npx tsx bench/src/workloads/threads-control.ts [rounds]
 */
import { Worker } from 'node:worker_threads';

/** The loop, as source: the worker (an eval worker: no TypeScript loader needed) and this thread run the same code. */
const SPIN = `(n) => {
  const arr = new Float64Array(4096);
  let a = 0.5;
  for (let i = 0; i < n; i++) {
    const j = i & 4095;
    arr[j] = arr[j] * 0.999 + a * 0.25;
    a += 1e-9;
  }
  return arr[7];
}`;
const spin = new Function(`return ${SPIN}`)() as (n: number) => number;

const worker = new Worker(
  `const { parentPort } = require('node:worker_threads'); const spin = ${SPIN};
   parentPort.on('message', (n) => { spin(n); parentPort.postMessage('done'); });`,
  { eval: true },
);
const N = 2e8;
const inWorker = () =>
  new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.postMessage(N);
  });
spin(1e7);
await inWorker();
for (let r = 0; r < Number(process.argv[2] ?? 3); r++) {
  let t0 = performance.now();
  spin(N);
  const alone = performance.now() - t0;
  t0 = performance.now();
  const other = inWorker();
  spin(N);
  await other;
  const both = performance.now() - t0;
  console.log(`one thread ${alone.toFixed(0)} ms, two threads (twice the work) ${both.toFixed(0)} ms: ${((2 * alone) / both).toFixed(2)}x`);
}
await worker.terminate();
