/**
 * What the browser bench page reports and how run.ts prints it: the contestants, each workload's
 * medians, the ratios against tfjs-layers on the same tfjs backend, and the target.
 */

/** The contestants, in report order: our API on each backend a page has, tfjs-layers on tfjs' own. */
export const BROWSER_BENCH = {
  ours: ['onnx-web', 'tfjs-wasm', 'tfjs-webgl', 'ts'] as const,
  theirs: ['wasm', 'webgl'] as const,
};

/** One contestant's figures on one workload. */
export interface PeerResult {
  readonly peer: string;
  /** Median wall time of a run, or null when the contestant could not run the workload. */
  readonly medianMs: number | null;
  readonly runs: number;
  readonly times?: readonly number[];
  /** Largest difference from tfjs-layers/wasm's output, relative to its largest magnitude. */
  readonly diff?: number;
  readonly error?: string;
}

/** What the page leaves in `window.__bench`. */
export interface BrowserBenchReport {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
  /** onnxruntime-web's WebAssembly threads. */
  readonly onnxThreads: number;
  readonly workloads: readonly { name: string; flops: number; tolerance: number; peers: readonly PeerResult[] }[];
}

/** The target: onnx-web at least 2x faster than tfjs-layers on wasm for the CNN predict. */
export const TARGET = { peer: 'keras-ts/onnx-web', against: 'tfjs-layers/wasm', workload: 'mobilenetv2', min: 2 };

const fmtMs = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** The report as Markdown: one table per workload, then the target. */
export function reportMarkdown(r: BrowserBenchReport): string {
  const lines: string[] = [];
  for (const w of r.workloads) {
    const med = (name: string) => w.peers.find((p) => p.peer === name)?.medianMs ?? null;
    lines.push(`### ${w.name}`, '', '| contestant | median ms | runs | GFLOP/s | vs tfjs-layers/wasm | vs tfjs-layers/webgl | max rel. diff vs tfjs-layers/wasm |', '|---|---:|---:|---:|---:|---:|---:|');
    for (const p of w.peers) {
      if (p.medianMs === null) {
        lines.push(`| ${p.peer} | n/a | 0 | | | | ${p.error?.split('\n')[0] ?? ''} |`);
        continue;
      }
      const ratio = (ref: string) => {
        const m = med(ref);
        return m ? `${(m / p.medianMs!).toFixed(2)}x` : '';
      };
      const diff = p.diff === undefined ? '' : `${p.diff.toExponential(1)}${p.diff > w.tolerance ? ' (above ' + w.tolerance + ')' : ''}`;
      lines.push(`| ${p.peer} | ${fmtMs(p.medianMs)} | ${p.runs} | ${(w.flops / p.medianMs / 1e6).toFixed(2)} | ${ratio('tfjs-layers/wasm')} | ${ratio('tfjs-layers/webgl')} | ${diff} |`);
    }
    lines.push('');
  }
  lines.push(...targetLines(r));
  return lines.join('\n');
}

/** Whether the target is met, as text lines. */
export function targetLines(r: BrowserBenchReport): string[] {
  const w = r.workloads.find((x) => x.name.startsWith(TARGET.workload));
  if (!w) return [`target (${TARGET.peer} >= ${TARGET.min}x ${TARGET.against}, CNN predict): not evaluated (workload not run)`];
  const a = w.peers.find((p) => p.peer === TARGET.peer)?.medianMs;
  const b = w.peers.find((p) => p.peer === TARGET.against)?.medianMs;
  if (!a || !b) return [`target (${TARGET.peer} >= ${TARGET.min}x ${TARGET.against}, ${w.name}): not evaluated (a contestant did not run)`];
  const ratio = b / a;
  return [`target: ${TARGET.peer} >= ${TARGET.min}x faster than ${TARGET.against} on ${w.name}: ${ratio.toFixed(2)}x ${ratio >= TARGET.min ? 'MET' : 'NOT MET'}`];
}
