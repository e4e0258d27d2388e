/**
 * `pnpm oracle:fuzz --cases N --seed S` (tsx --conditions=keras-ts-source conformance/oracle/fuzz-cli.ts):
 * differential fuzzing against real Keras; see fuzz.ts. Options:
 *
 *   --cases N          cases to draw (default 200)
 *   --seed S           run seed (default: random, printed)
 *   --from I           first case index (default 0), to resume a survey
 *   --backends a,b     backends (default ts,tfjs,tfjs-wasm,onnx)
 *   --train F          share of eligible cases that also train (default 0.2)
 *   --max-shrinks N    most differences shrunk (default 40)
 *   --no-shrink        report differences unshrunk
 *   --cases-dir DIR    where shrunk cases go (default conformance/cases-handwritten/fuzz)
 *   --no-write         write no case files
 *   --minutes M        stop drawing cases after M minutes
 *   --json FILE        also write the summary as JSON (rewritten every 50 cases)
 *
 * A watchdog thread ends the run (exit code 3, naming the case) when one case has not finished
 * after 10 minutes: a backend stuck in synchronous code stops the timers of the main thread.
 * Exits with 1 when a difference no documented divergence explains remains.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { formatSummary, runFuzz } from './fuzz.js';
import { oracleUnavailable } from './client.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '200' },
    seed: { type: 'string' },
    from: { type: 'string', default: '0' },
    backends: { type: 'string' },
    train: { type: 'string', default: '0.2' },
    'max-shrinks': { type: 'string', default: '40' },
    'no-shrink': { type: 'boolean', default: false },
    'cases-dir': { type: 'string' },
    'no-write': { type: 'boolean', default: false },
    minutes: { type: 'string' },
    json: { type: 'string' },
  },
});

const why = oracleUnavailable();
if (why) {
  console.error(`oracle:fuzz: ${why}`);
  process.exit(2);
}
// The watchdog: the main thread writes [case index, seconds] as each case starts.
const beat = new Int32Array(new SharedArrayBuffer(8));
const watchdog = new Worker(
  `const { workerData } = require('node:worker_threads');
   const beat = new Int32Array(workerData);
   setInterval(() => {
     const stalled = Math.floor(Date.now() / 1000) - Atomics.load(beat, 1);
     if (Atomics.load(beat, 1) > 0 && stalled > 600) {
       require('node:fs').writeSync(2, 'oracle:fuzz: watchdog: case ' + Atomics.load(beat, 0) + ' has not finished after ' + stalled + ' s; ending the run\\n');
       process.kill(process.pid, 'SIGKILL');
     }
   }, 15000);`,
  { eval: true, workerData: beat.buffer },
);
watchdog.unref();

// Ctrl-C or a kill: exit, so that the run's 'exit' hook removes its temporary folder.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));

const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const summary = await runFuzz({
  cases: Number(values.cases),
  seed,
  from: Number(values.from),
  backends: values.backends?.split(',').map((s) => s.trim()),
  trainFraction: Number(values.train),
  shrink: !values['no-shrink'],
  maxShrinks: Number(values['max-shrinks']),
  casesDir: values['no-write'] ? null : values['cases-dir'] ? resolve(values['cases-dir']) : undefined,
  timeLimitMs: values.minutes ? Number(values.minutes) * 60_000 : undefined,
  log: (l) => console.log(l),
  onCase: (i) => {
    Atomics.store(beat, 0, i);
    Atomics.store(beat, 1, Math.floor(Date.now() / 1000));
  },
  onProgress: (s) => values.json && writeFileSync(values.json, JSON.stringify(s, null, 1)),
});
Atomics.store(beat, 1, 0);
console.log(formatSummary(summary));
if (values.json) writeFileSync(values.json, JSON.stringify(summary, null, 1));
process.exit(summary.undocumented > 0 ? 1 : 0);
