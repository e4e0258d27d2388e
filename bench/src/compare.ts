/**
 * Compares two runs of `pnpm bench --json`: is any keras-ts contestant slower in the second run?
 *
 * Two runs on a shared machine differ by the machine's load as much as by the code, so a
 * contestant's time is not compared as it is: each keras-ts contestant's median is taken relative
 * to an anchor in the same run, a peer whose code did not change (tfjs-layers or tfjs on the same
 * tfjs backend the contestant is compared with in the bench, else the first of tfjs-layers/wasm,
 * tfjs/wasm, tfjs-layers/cpu, tfjs/cpu that ran), by wall time and by CPU time. A contestant is
 * reported slower when both its relative wall time and its relative CPU time grew by more than
 * the tolerance (default 10%).
 *
 *   npx tsx bench/src/compare.ts before.json after.json [--tolerance 0.1]
 *
 * Exit status 1 when a contestant is slower, 0 otherwise. An anchor measured on a busy machine can
 * itself be off (its time inflated more than the contestants'); a flagged row wants an interleaved
 * A/B of the workload (two checkouts, `pnpm bench --filter NAME` in turns) before a conclusion.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PeerResult } from './harness.js';
import { UsageError } from './usage-error.js';

interface BenchJson {
  machine: { date: string; loadAverage: number[] };
  results: PeerResult[];
}

/** The peers whose code a change to keras-ts does not touch, in the order an anchor is chosen. */
const ANCHORS = ['tfjs-layers/wasm', 'tfjs/wasm', 'tfjs-layers/cpu', 'tfjs/cpu'];

/** The anchor a keras-ts contestant is measured against in one run of one workload. */
function anchorFor(contestant: string, ran: ReadonlySet<string>): string | undefined {
  const tfjsBackend = /^keras-ts\/tfjs-(cpu|wasm)$/.exec(contestant)?.[1];
  const preferred = tfjsBackend ? [`tfjs-layers/${tfjsBackend}`, `tfjs/${tfjsBackend}`] : [];
  return [...preferred, ...ANCHORS].find((p) => ran.has(p));
}

/** One keras-ts contestant of one workload in both runs: its time relative to the anchor. */
interface Comparison {
  workload: string;
  contestant: string;
  anchor: string;
  /** (after / anchor after) / (before / anchor before): above 1 is slower. */
  wallChange: number;
  cpuChange: number;
  slower: boolean;
}

/** Compares every keras-ts contestant that ran in both runs with an anchor in both. */
function compareRuns(before: BenchJson, after: BenchJson, tolerance: number): Comparison[] {
  const ran = (j: BenchJson, w: string): Map<string, PeerResult> =>
    new Map(j.results.filter((r) => r.workload === w && !r.unsupported && r.medianMs !== undefined).map((r) => [r.peer, r]));
  const out: Comparison[] = [];
  for (const workload of [...new Set(after.results.map((r) => r.workload))]) {
    const [b, a] = [ran(before, workload), ran(after, workload)];
    const common = new Set([...a.keys()].filter((p) => b.has(p)));
    for (const contestant of common) {
      if (!contestant.startsWith('keras-ts/')) continue;
      const anchor = anchorFor(contestant, common);
      if (!anchor) continue;
      const rel = (j: Map<string, PeerResult>, key: 'medianMs' | 'medianCpuMs'): number => j.get(contestant)![key]! / j.get(anchor)![key]!;
      const wallChange = rel(a, 'medianMs') / rel(b, 'medianMs');
      const cpuChange = rel(a, 'medianCpuMs') / rel(b, 'medianCpuMs');
      out.push({ workload, contestant, anchor, wallChange, cpuChange, slower: wallChange > 1 + tolerance && cpuChange > 1 + tolerance });
    }
  }
  return out;
}

function main(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { tolerance: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 2) throw new UsageError('usage: tsx bench/src/compare.ts BEFORE.json AFTER.json [--tolerance 0.1]');
  const tolerance = values.tolerance === undefined ? 0.1 : Number(values.tolerance);
  if (!(tolerance >= 0)) throw new UsageError(`--tolerance takes a number >= 0, got '${values.tolerance}'`);
  const [before, after] = positionals.map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchJson);
  const load = (j: BenchJson): string => j.machine.loadAverage.map((l) => l.toFixed(1)).join(' ');
  console.log(`before: ${before.machine.date} (load ${load(before)}); after: ${after.machine.date} (load ${load(after)})`);
  console.log('time relative to the anchor, after / before (above 1 is slower): wall, CPU\n');
  const rows = compareRuns(before, after, tolerance);
  for (const r of rows) {
    console.log(`${r.slower ? 'SLOWER ' : '       '}${r.workload.padEnd(42)} ${r.contestant.padEnd(18)} vs ${r.anchor.padEnd(17)} ${r.wallChange.toFixed(2)}x  ${r.cpuChange.toFixed(2)}x`);
  }
  const slower = rows.filter((r) => r.slower);
  console.log(`\n${rows.length} compared; ${slower.length} slower by more than ${Math.round(tolerance * 100)}% by both wall and CPU time`);
  return slower.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
