/**
 * Turns the JSON of `pnpm bench --json FILE` into the Markdown tables of bench/README.md: one row
 * per workload with every contestant's median time, the ratios against tfjs, and the targets.
 *
 *   npx tsx bench/src/table.ts bench/results/x.json
 */
import { readFileSync } from 'node:fs';
import type { PeerResult, TargetResult } from './harness.js';
import { UsageError } from './usage-error.js';

interface BenchJson {
  machine: { date: string; node: string; cpu: string; cores: number; loadAverage: number[]; tfjs: string; onnxruntime: string; ortThreads: number };
  results: PeerResult[];
  targets: TargetResult[];
}

const file = process.argv[2];
if (!file) throw new UsageError('usage: tsx bench/src/table.ts FILE.json');
const j = JSON.parse(readFileSync(file, 'utf8')) as BenchJson;

const ms = (v: number | undefined): string => (v === undefined ? 'n/a' : v >= 1000 ? Math.round(v).toLocaleString('en-US') : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const workloads = [...new Set(j.results.map((r) => r.workload))];
const peers = [...new Set(j.results.map((r) => r.peer))];

const m = j.machine;
console.log(`${m.date.slice(0, 10)}, \`${m.cpu}\` x ${m.cores} (load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}), Node ${m.node}, tfjs ${m.tfjs}, onnxruntime-node ${m.onnxruntime} (${m.ortThreads} thread${m.ortThreads > 1 ? 's' : ''}).\n`);

console.log('Median wall time per run, ms (GFLOP/s):\n');
console.log(`| workload | ${peers.join(' | ')} |`);
console.log(`|---|${peers.map(() => '---').join('|')}|`);
for (const w of workloads) {
  const cells = peers.map((p) => {
    const r = j.results.find((x) => x.workload === w && x.peer === p);
    if (!r) return '';
    if (r.unsupported) return `n/a¹`;
    return `${ms(r.medianMs)} (${r.gflops!.toFixed(2)})`;
  });
  console.log(`| \`${w}\` | ${cells.join(' | ')} |`);
}
const unsupported = j.results.filter((r) => r.unsupported);
if (unsupported.length) console.log(`\n¹ ${[...new Set(unsupported.map((r) => `${r.peer}: ${r.unsupported}`))].join('; ')}`);

console.log('\nTargets (ratio = reference median / peer median; by CPU time in parentheses):\n');
console.log('| workload | peer | against | target | achieved | |');
console.log('|---|---|---|---|---|---|');
for (const t of j.targets) {
  const got = t.achieved === undefined ? `not evaluated: ${t.reason}` : `${t.achieved.toFixed(2)}x (${t.achievedCpu!.toFixed(2)}x)`;
  console.log(`| \`${t.workload}\` | ${t.peer} | ${t.against} | ${t.text} | ${got} | ${t.met === undefined ? '' : t.met ? 'met' : '**not met**'} |`);
}

console.log('\nPeak memory (process rss while the peer ran, MB) and growth per run (heap + array buffers, MB):\n');
console.log(`| workload | ${peers.join(' | ')} |`);
console.log(`|---|${peers.map(() => '---').join('|')}|`);
for (const w of workloads) {
  const cells = peers.map((p) => {
    const r = j.results.find((x) => x.workload === w && x.peer === p);
    return !r || r.unsupported ? '' : `${r.peakRssMb!.toFixed(0)} / +${r.runGrowthMb!.toFixed(1)}`;
  });
  console.log(`| \`${w}\` | ${cells.join(' | ')} |`);
}

if (j.results.some((r) => r.keptHeapMbPerRun !== undefined)) {
  console.log('\nWhat each peer holds (rss its setup and warm-up kept, MB) and keeps per run (heap + array buffers after a full GC, MB):\n');
  console.log(`| workload | ${peers.join(' | ')} |`);
  console.log(`|---|${peers.map(() => '---').join('|')}|`);
  for (const w of workloads) {
    const cells = peers.map((p) => {
      const r = j.results.find((x) => x.workload === w && x.peer === p);
      return !r || r.unsupported || r.keptHeapMbPerRun === undefined ? '' : `${r.footprintRssMb!.toFixed(0)} / +${r.keptHeapMbPerRun.toFixed(2)}`;
    });
    console.log(`| \`${w}\` | ${cells.join(' | ')} |`);
  }
}
