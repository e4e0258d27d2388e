/**
 * `pnpm oracle:fuzz:survey DIR [--recheck] [--backends a,b] [--json FILE]`
 * (tsx --conditions=keras-ts-source conformance/oracle/fuzz-survey.ts): the report of a long fuzz
 * survey run in chunks, each chunk's summary written by `pnpm oracle:fuzz --json DIR/chunk-I.json`
 * (see conformance/README.md, "A long fuzz survey"). It merges every `*.json` summary in DIR and
 * prints the cases, the cases with a difference per backend, and every shrunk difference grouped
 * by what explains it now (fuzz/divergences.ts, fuzz/known-bugs.ts).
 *
 *   --recheck          run the differences nothing explains (and the known bugs) again from their
 *                      shrunk cases against the current keras-ts and Keras: those that no longer
 *                      differ are reported as fixed (needs the oracle)
 *   --backends a,b     the backends of the recheck (default ts,tfjs,tfjs-wasm,onnx)
 *   --json FILE        also write the groups as JSON (category, id, cases, backends, recheck)
 *
 * Exits with 1 when a difference stays unexplained (or a known bug still differs), else 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Oracle, oracleUnavailable } from './client.js';
import { ALL_BACKENDS, createBackends, explain } from './fuzz.js';
import type { CheckContext } from './fuzz/check.js';
import { formatSurvey, mergeSurvey, readChunks, rerun } from './fuzz/survey.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    recheck: { type: 'boolean', default: false },
    backends: { type: 'string' },
    json: { type: 'string' },
  },
});
if (positionals.length !== 1) {
  console.error('usage: pnpm oracle:fuzz:survey DIR [--recheck] [--backends a,b] [--json FILE]  (DIR holds the chunk summaries of pnpm oracle:fuzz --json)');
  process.exit(2);
}
const chunks = readChunks(positionals[0]);

let ctx: CheckContext | null = null;
if (values.recheck) {
  const why = oracleUnavailable();
  if (why) {
    console.error(`oracle:fuzz:survey --recheck: ${why}`);
    process.exit(2);
  }
  const backends = await createBackends(values.backends?.split(',').map((s) => s.trim()) ?? [...ALL_BACKENDS]);
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-survey-'));
  // Removed however the process ends (Ctrl-C and kill become an exit).
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));
  ctx = { oracle: await Oracle.start(), dir, backends, files: 0 };
}
const live = ctx;
const survey = await mergeSurvey(chunks, explain, live ? (s) => rerun(s, live) : undefined);
if (live) {
  await live.oracle.close();
  rmSync(live.dir, { recursive: true, force: true });
}
console.log(formatSurvey(survey));
if (values.json) {
  const groups = survey.groups.map((g) => ({ category: g.category, id: g.id, cases: [...g.cases], backends: [...g.backends], phases: [...g.phases], recheck: g.recheck }));
  writeFileSync(values.json, `${JSON.stringify({ cases: survey.cases, trained: survey.trained, mismatches: survey.mismatches, groups }, null, 1)}\n`);
}
process.exit(survey.groups.some((g) => g.category === 'unexplained' || g.category === 'bug') ? 1 : 0);
