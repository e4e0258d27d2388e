/**
 * The entry of a backend-ts worker thread: on the pool's init message it marks itself ready;
 * on each job it claims and runs chunks of the call until none is left (see ./protocol.ts).
 * Started by the pool (./pool.ts) through `#platform`.
 */
import { workerPort } from '#platform';
import type { Epilogue } from '../kernel.js';
import { workOnChunks, type InitMessage, type JobMessage } from './protocol.js';
import { epilogueOf, runTask } from './tasks.js';

let init: InitMessage | null = null;

workerPort().onMessage((message) => {
  const m = message as InitMessage | JobMessage;
  if (m.type === 'init') {
    init = m;
    Atomics.store(m.ready, 0, 1);
    Atomics.notify(m.ready, 0);
    return;
  }
  const { job, error } = init!;
  const spec = m.epilogue;
  let epilogue: Epilogue | undefined;
  workOnChunks(job, error, m.seq, m.bounds.length - 1, true, (c) => {
    if (spec) epilogue ??= epilogueOf(spec, m.task.out);
    runTask(m.task, m.bounds[c], m.bounds[c + 1], epilogue);
  });
});
