/**
 * A long fuzz survey is run in chunks (`pnpm oracle:fuzz --from I --cases N --json DIR/chunk-I.json`,
 * one process per chunk); this merges the chunks' summaries into one report: the cases, how many
 * differed per backend, and every shrunk difference grouped by what explains it now (the current
 * divergence, numerics, oracle-limit and known-bug lists, so an entry added after a chunk ran is
 * applied to it). With a recheck, the differences nothing explains (new ones and known bugs) are
 * run again from their shrunk cases against the current keras-ts: a fixed bug shows as fixed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KerasValueError } from '@keras-ts/spec';
import type { Explanation } from './divergences.js';
import type { CheckContext, FuzzCase, Finding } from './check.js';
import { runPredict, runTrain } from './check.js';
import { describeSpec } from './models.js';
import { describePattern } from './patterns.js';
import { Rng } from './rng.js';
import { sameFinding } from './shrink.js';
import type { FuzzSummary, ShrunkFinding } from '../fuzz.js';

/** One chunk's summary, with the file it came from. */
export interface SurveyChunk {
  file: string;
  summary: FuzzSummary;
}

/** What explains a group of findings: an entry's kind, `fixed` (no longer differs on recheck) or `unexplained`. */
export type SurveyCategory = Explanation['kind'] | 'fixed' | 'unexplained';

/** Shrunk differences explained the same way (one entry), or, when nothing explains them, of the same pattern. */
export interface SurveyGroup {
  category: SurveyCategory;
  /** The entry's id, or the pattern for unexplained and fixed differences. */
  id: string;
  /** The entry's description and its source (empty when unexplained). */
  what: string;
  source: string;
  /** Cases showing it (each case once per group: the first of a finding and its repeats). */
  cases: Set<string>;
  backends: Set<string>;
  /** `phase kind` pairs seen. */
  phases: Set<string>;
  findings: ShrunkFinding[];
  /** For fixed and unexplained groups after a recheck: what the recheck found, per finding. */
  recheck: string[];
}

export interface Survey {
  chunks: SurveyChunk[];
  seeds: number[];
  kerasVersions: string[];
  cases: number;
  trained: number;
  refused: number;
  bothFailed: number;
  ms: number;
  /** Per backend: cases with a difference (documented or not), summed over the chunks. */
  mismatches: Record<string, number>;
  groups: SurveyGroup[];
}

/** Reads every `*.json` summary in `dir` (files that are not fuzz summaries are refused by name). */
export function readChunks(dir: string): SurveyChunk[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!files.length) throw new KerasValueError(`no fuzz summaries (*.json, from pnpm oracle:fuzz --json) in ${dir}`);
  return files.map((f) => {
    const file = join(dir, f);
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return { file, summary: asSummary(parsed, file) };
  });
}

/** Checks the fields the survey reads. */
function asSummary(x: unknown, file: string): FuzzSummary {
  const o = x as Partial<FuzzSummary> | null;
  const ok =
    !!o &&
    typeof o.seed === 'number' &&
    typeof o.cases === 'number' &&
    typeof o.trained === 'number' &&
    typeof o.ms === 'number' &&
    Array.isArray(o.findings) &&
    Array.isArray(o.backends) &&
    !!o.mismatches &&
    typeof o.mismatches === 'object';
  if (!ok) throw new KerasValueError(`${file} is not a fuzz summary (pnpm oracle:fuzz --json): it lacks seed, cases, trained, ms, backends, mismatches or findings`);
  return o as FuzzSummary;
}

/** The case a finding was shrunk from, as drawn (its seed from the run seed and index of `caseId`), with the shrunk model. */
export function shrunkCase(s: ShrunkFinding): FuzzCase {
  const [runSeed, index] = s.caseId.split(':').map(Number);
  return { id: s.caseId, seed: Rng.mix(runSeed, index), model: s.model, train: s.train };
}

/**
 * Merges chunk summaries; `explain` is the current explanation lookup (fuzz.ts `explain`), and
 * `recheck`, when given, reruns what nothing explains and returns null when the difference is gone
 * (or what it finds now).
 */
export async function mergeSurvey(
  chunks: SurveyChunk[],
  explain: (c: FuzzCase, f: Finding) => Explanation | undefined,
  recheck?: (s: ShrunkFinding) => Promise<string | null>,
): Promise<Survey> {
  const groups = new Map<string, SurveyGroup>();
  const mismatches: Record<string, number> = {};
  const total = { cases: 0, trained: 0, refused: 0, bothFailed: 0, ms: 0 };
  for (const { summary: s } of chunks) {
    total.cases += s.cases;
    total.trained += s.trained;
    total.refused += s.refused ?? 0;
    total.bothFailed += s.bothFailed ?? 0;
    total.ms += s.ms;
    for (const [b, n] of Object.entries(s.mismatches)) mismatches[b] = (mismatches[b] ?? 0) + n;
    for (const f of s.findings) {
      const e = explain(shrunkCase(f), f.shrunkFinding);
      let category: SurveyCategory = e?.kind ?? 'unexplained';
      let now: string | null = null;
      if (recheck && (!e || e.kind === 'bug')) {
        now = await recheck(f);
        if (now === null) category = 'fixed';
      }
      const pattern = `${f.pattern.phase} ${f.pattern.kind}: ${describePattern(f.pattern) || '(any model)'}`;
      const key = e && category !== 'fixed' ? `${e.kind}:${e.id}` : `${category}:${pattern}`;
      let g = groups.get(key);
      if (!g) {
        g = { category, id: e && category !== 'fixed' ? e.id : pattern, what: e?.what ?? '', source: e?.source ?? '', cases: new Set(), backends: new Set(), phases: new Set(), findings: [], recheck: [] };
        groups.set(key, g);
      }
      for (const id of [f.caseId, ...f.repeats]) g.cases.add(id);
      for (const b of f.pattern.backends) g.backends.add(b);
      g.phases.add(`${f.shrunkFinding.phase} ${f.shrunkFinding.kind}`);
      g.findings.push(f);
      if (recheck && (!e || e.kind === 'bug')) g.recheck.push(`${f.caseId}: ${now ?? 'no longer differs'}`);
    }
  }
  return {
    chunks,
    seeds: [...new Set(chunks.map((c) => c.summary.seed))],
    kerasVersions: [...new Set(chunks.map((c) => c.summary.kerasVersion))],
    ...total,
    mismatches,
    groups: [...groups.values()].sort((a, b) => ORDER.indexOf(a.category) - ORDER.indexOf(b.category) || b.cases.size - a.cases.size),
  };
}

const ORDER: SurveyCategory[] = ['unexplained', 'bug', 'fixed', 'divergence', 'numerics', 'oracle'];
const TITLES: Record<SurveyCategory, string> = {
  unexplained: 'UNEXPLAINED (a new keras-ts bug, or a divergence to document)',
  bug: 'known keras-ts bugs, still differing',
  fixed: 'fixed since (the shrunk case no longer differs)',
  divergence: 'documented Keras 2 vs Keras 3 divergences',
  numerics: 'ill-conditioned numerics',
  oracle: "beyond the oracle (TensorFlow's CPU kernels refuse the model)",
};

/**
 * A rerun of a shrunk finding against the current keras-ts on the backends of `ctx`: null when it
 * no longer differs the same way, else the difference found.
 */
export async function rerun(s: ShrunkFinding, ctx: CheckContext): Promise<string | null> {
  const c = shrunkCase(s);
  const f = s.shrunkFinding;
  const run = f.phase === 'predict' ? await runPredict(c, ctx) : await runTrain(c, ctx);
  // The same difference on any backend (a shrunk finding names the first backend that showed it).
  const same = run.findings.filter((g) => sameFinding({ ...g, backend: f.backend }, f));
  if (!same.length) return null;
  return same.map((g) => `${g.backend} ${g.phase} ${g.kind}: ${g.detail}`).join('; ');
}

/** The survey as text: totals, then each category with its groups (entry, cases, backends, an example). */
export function formatSurvey(s: Survey): string {
  const secs = s.ms / 1000;
  const lines = [
    `fuzz survey: ${s.chunks.length} summaries, run seed(s) ${s.seeds.join(', ')}, Keras ${s.kerasVersions.join(', ')}`,
    `  ${s.cases} cases (${s.trained} also trained) in ${(secs / 3600).toFixed(1)} h of fuzzing (${(s.cases / secs).toFixed(2)} cases/s); models keras-ts refused where Keras ran: ${s.refused}; both refused: ${s.bothFailed}`,
    `  cases with a difference, per backend: ${Object.entries(s.mismatches).map(([b, n]) => `${b} ${n}`).join(', ')}`,
    '  by category (cases; a case counts once per difference it shows):',
  ];
  for (const cat of ORDER) {
    const gs = s.groups.filter((g) => g.category === cat);
    if (!gs.length) continue;
    const cases = gs.reduce((n, g) => n + g.cases.size, 0);
    lines.push(`    ${TITLES[cat]}: ${gs.length} distinct, ${cases} cases`);
  }
  for (const cat of ORDER) {
    const gs = s.groups.filter((g) => g.category === cat);
    if (!gs.length) continue;
    lines.push('', `${TITLES[cat]}:`);
    for (const g of gs) {
      const ex = g.findings[0];
      lines.push(`  ${g.id} — ${g.cases.size} case(s), ${[...g.phases].join(' / ')}, on ${[...g.backends].join(', ')}; first ${ex.caseId}`);
      if (g.what) lines.push(`     ${g.what}`, `     (${cat === 'divergence' || cat === 'bug' ? 'Keras 2: ' : ''}${g.source})`);
      lines.push(`     shrunk: ${describeSpec(ex.model)}${ex.train ? `; train ${JSON.stringify(ex.train)}` : ''}`, `     ${ex.shrunkFinding.detail.slice(0, 240)}`);
      for (const r of g.recheck) lines.push(`     recheck ${r.slice(0, 300)}`);
    }
  }
  return lines.join('\n');
}
