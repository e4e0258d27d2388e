/**
 * Differential fuzzing against real Keras (the live oracle): random valid models, Sequential and
 * functional, with seeded random weights and inputs; keras-ts predicts on every backend and real
 * Keras 3 predicts from the `.keras` file keras-ts wrote; a fraction of the cases also train a few
 * unshuffled steps (SGD or Adam, mse) both ways and compare the weights after. Each difference is
 * shrunk to the smallest model that still differs and written as a `keras-golden/1` case under
 * conformance/cases-handwritten/fuzz/, unless a documented Keras 3 divergence explains it
 * (fuzz/divergences.ts). Run it with `pnpm oracle:fuzz --cases N --seed S` (fuzz-cli.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel } from '@keras-ts/keras';
import { createKnownBackend } from '../src/backends.js';
import { Oracle, REPO_ROOT, type OracleTensor } from './client.js';
import { caseName, modelCase, trainingCase } from './fuzz/case-file.js';
import { askOracle, fromOracle, modelOf, runPredict, runTrain, type CheckContext, type Finding, type FuzzCase, type NamedBackend, type Tolerance, type TrainSpec } from './fuzz/check.js';
import { DIVERGENCES, NUMERICS, ORACLE_LIMITS, type Explanation } from './fuzz/divergences.js';
import { generateModel, refusals } from './fuzz/generate.js';
import { KNOWN_BUGS } from './fuzz/known-bugs.js';
import { STOCHASTIC } from './fuzz/layers.js';
import { describeSpec, layerNames, type ModelSpec } from './fuzz/models.js';
import { describePattern, matches, patternOf, type Pattern } from './fuzz/patterns.js';
import { Rng } from './fuzz/rng.js';
import { sameFinding, shrink } from './fuzz/shrink.js';

export const ALL_BACKENDS = ['ts', 'tfjs', 'tfjs-wasm', 'onnx'] as const;
export const CASES_DIR = join(REPO_ROOT, 'conformance', 'cases-handwritten', 'fuzz');

/** The goldens' tolerance for outputs; training accumulates rounding over steps (the training goldens' tolerance). */
const PREDICT_TOL: Tolerance = { atol: 1e-5, rtol: 1e-4 };
const TRAIN_TOL: Tolerance = { atol: 1e-4, rtol: 1e-3 };

export interface FuzzOptions {
  cases: number;
  seed: number;
  /** The first case index (default 0): `from` to `from + cases - 1` run, to resume a survey. */
  from?: number;
  backends?: readonly string[];
  /** Share of eligible cases that also train (default 0.2). */
  trainFraction?: number;
  /** Shrink differences (default true). */
  shrink?: boolean;
  /** Most differences shrunk in one run (the others are counted; default 40). */
  maxShrinks?: number;
  /** Where shrunk cases are written; null writes none (default {@link CASES_DIR}). */
  casesDir?: string | null;
  /** Stop drawing new cases after this long (the summary says how many ran). */
  timeLimitMs?: number;
  log?: (line: string) => void;
  /** Called as each case starts (a watchdog's heartbeat). */
  onCase?: (index: number) => void;
  /** Called every 50 cases with the summary so far (to save partial results). */
  onProgress?: (summary: FuzzSummary) => void;
}

/** One shrunk difference, and how many later cases showed it again. */
export interface ShrunkFinding {
  /** Where it was first seen (`seed:index`). */
  caseId: string;
  finding: Finding;
  /** The finding on the shrunk model. */
  shrunkFinding: Finding;
  model: ModelSpec;
  train?: TrainSpec;
  pattern: Pattern;
  /** A documented divergence or numerics entry (fuzz/divergences.ts), or a known unfixed keras-ts bug (fuzz/known-bugs.ts). */
  explanation?: Explanation;
  /** The case file written, if any. */
  file?: string;
  /** Later cases with the same difference. */
  repeats: string[];
  steps: number;
  tries: number;
}

export interface FuzzSummary {
  seed: number;
  kerasVersion: string;
  cases: number;
  trained: number;
  /** Drawn models keras-ts refused to build or run where Keras also failed. */
  refused: number;
  bothFailed: number;
  ms: number;
  backends: string[];
  /** Per backend: cases with a difference (documented or not). */
  mismatches: Record<string, number>;
  /** Per backend: cases with a difference no divergence or numerics entry explains. */
  undocumentedMismatches: Record<string, number>;
  findings: ShrunkFinding[];
  /** Differences no documented divergence or numerics entry explains (known bugs included). */
  undocumented: number;
  /** Differences neither a divergence nor a known bug explains (new ones). */
  unexplained: number;
}

/** The case of a run seed and an index: the same pair always gives the same case. */
export function drawCase(seed: number, index: number, trainFraction = 0.2): FuzzCase {
  const caseSeed = Rng.mix(seed, index);
  const r = new Rng(caseSeed);
  const model = generateModel(r);
  const text = JSON.stringify(model.nodes.map((n) => n.layer));
  const stochastic = model.nodes.some((n) => STOCHASTIC.has(n.layer.class_name)) || /"(recurrent_)?dropout":/.test(text);
  let train: TrainSpec | undefined;
  if (model.outputs.length === 1 && !stochastic && r.bool(trainFraction)) {
    const batch = r.int(1, 4);
    const optimizer = r.bool(0.5)
      ? { class_name: 'SGD', config: { learning_rate: r.pick([0.01, 0.05, 0.1]), ...(r.bool(0.4) ? { momentum: r.pick([0.5, 0.9]), nesterov: r.bool(0.3) } : {}) } }
      : // epsilon 1e-3 mostly: with the default 1e-7, Adam turns rounding noise in a gradient that is exactly 0 into a step of about lr (see NUMERICS)
        { class_name: 'Adam', config: { learning_rate: r.pick([0.001, 0.01]), ...(r.bool(0.7) ? { epsilon: 0.001 } : {}), ...(r.bool(0.15) ? { amsgrad: true } : {}) } };
    train = { optimizer, batch_size: batch, epochs: r.int(1, 2), samples: batch * r.int(1, 3) + (r.bool(0.2) ? r.int(1, batch) : 0) };
  }
  return { id: `${seed}:${index}`, seed: caseSeed, model, train };
}

/** Creates the backends by name with their tolerances. */
export async function createBackends(names: readonly string[]): Promise<NamedBackend[]> {
  const out: NamedBackend[] = [];
  for (const name of names) out.push({ name, backend: await createKnownBackend(name), tol: PREDICT_TOL, trainTol: TRAIN_TOL });
  return out;
}

/** The entry that explains a finding, if any. */
export const explain = (c: FuzzCase, f: Finding): Explanation | undefined => [...DIVERGENCES, ...NUMERICS, ...ORACLE_LIMITS, ...KNOWN_BUGS].find((e) => e.explains(c, f));
const documented = (s: ShrunkFinding) => s.explanation !== undefined && s.explanation.kind !== 'bug';

const onlyFor = (f: Finding, ctx: CheckContext): Set<string> => new Set(f.backend === 'keras' || f.backend === 'keras-ts' ? [ctx.backends[0].name] : [f.backend]);

/**
 * Whether a smaller case still differs the same way. A value difference must stay within a factor
 * of 100 of the original's size, so that shrinking does not slide from a real difference to
 * rounding noise that a smaller, ill-conditioned model happens to show.
 */
async function reproduces(c: FuzzCase, f: Finding, ctx: CheckContext): Promise<boolean> {
  const run = f.phase === 'predict' ? await runPredict(c, ctx, onlyFor(f, ctx)) : await runTrain(c, ctx, onlyFor(f, ctx));
  return run.findings.some((g) => sameFinding(g, f) && (f.kind !== 'value' || (g.maxAbs ?? Infinity) >= (f.maxAbs ?? 0) / 100));
}

/** Writes the case file of a shrunk finding (when Keras produced numbers for it); its path, or undefined. */
async function writeCase(s: ShrunkFinding, c: FuzzCase, ctx: CheckContext, dir: string, kerasVersion: string): Promise<string | undefined> {
  const f = s.shrunkFinding;
  if (f.kind === 'keras-error' || f.kind === 'save-error') return undefined;
  const name = caseName(layerNames(c.model), f, c.id);
  const note = `Found by the differential fuzzer (pnpm oracle:fuzz, case ${s.caseId}) and shrunk; the expected numbers are what Keras ${kerasVersion} (TensorFlow, CPU, float32) computed from the .keras file keras-ts wrote. When found: ${f.backend} ${f.phase} ${f.kind}: ${f.detail}. Model: ${describeSpec(c.model)}${c.train ? `; training: ${JSON.stringify(c.train)}` : ''}.${s.explanation ? ` Known keras-ts bug '${s.explanation.id}': ${s.explanation.what} (Keras 2: ${s.explanation.source}).` : ''}`;
  const meta = { id: `handwritten/fuzz/${name}`, kerasVersion, note };
  let body: Record<string, unknown>;
  if (f.phase === 'predict') {
    const run = await runPredict(c, ctx, new Set([ctx.backends[0].name]));
    if (!run.keras || !run.model || !run.weights) return undefined;
    body = modelCase(meta, run.model, run.weights, run.inputs, run.keras);
  } else {
    const run = await runTrain(c, ctx, new Set([ctx.backends[0].name]));
    if (!run.keras || !run.y || !run.initial) return undefined;
    // What the model Keras trained predicts: its weights set in keras-ts, saved, asked of Keras.
    const { model } = modelOf(c, ctx);
    model.setWeights(run.keras.weights.map(fromOracle));
    const file = join(ctx.dir, 'predict-after.keras');
    await saveModel(model, file);
    const { outputs } = await askOracle<{ outputs: OracleTensor[] }>(ctx, 'predict', { file, inputs: run.x.map((t) => ({ shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) })) });
    body = trainingCase(meta, model, c.train as TrainSpec, { x: run.x, y: run.y, initial: run.initial }, { ...run.keras, predictAfter: outputs });
  }
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(body, null, 1)}\n`);
  return path;
}

/** Runs the fuzzer; the summary lists every shrunk difference. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const log = o.log ?? (() => {});
  const names = [...(o.backends ?? ALL_BACKENDS)];
  const backends = await createBackends(names);
  const oracle = await Oracle.start();
  const { keras: kerasVersion } = await oracle.request<{ keras: string }>('hello', {});
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-fuzz-'));
  // Removed however the run ends: returned, thrown, or the process exiting (fuzz-cli turns SIGINT
  // and SIGTERM into an exit), so no folder is left in the temporary folder.
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  try {
    const ctx: CheckContext = { oracle, dir, backends, files: 0 };
    const casesDir = o.casesDir === undefined ? CASES_DIR : o.casesDir;
    const findings: ShrunkFinding[] = [];
    const mismatches: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    const undocumentedMismatches: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
    const start = Date.now();
    let ran = 0;
    let trained = 0;
    let refused = 0;
    let bothFailed = 0;
    let shrinks = 0;

    const handle = async (c: FuzzCase, found: Finding[]) => {
      for (const b of new Set(found.map((f) => f.backend))) if (b in mismatches) mismatches[b]++;
      const undocumentedOn = new Set<string>();
      const open = [...found];
      while (open.length) {
        const f = open.shift() as Finding;
        // Counted again without shrinking: the same pattern, or an entry a shrunk case already confirmed.
        const why = explain(c, f);
        const known = findings.find((s) => (why && s.explanation === why && s.pattern.phase === f.phase) || matches(s.pattern, c.model, f));
        if (known) {
          if (known.caseId !== c.id && !known.repeats.includes(c.id)) known.repeats.push(c.id);
          if (!documented(known)) undocumentedOn.add(f.backend);
          continue;
        }
        if (o.shrink === false || shrinks >= (o.maxShrinks ?? 40)) {
          const s: ShrunkFinding = { caseId: c.id, finding: f, shrunkFinding: f, model: c.model, train: c.train, pattern: patternOf(c.model, f), explanation: why, repeats: [], steps: 0, tries: 0 };
          findings.push(s);
          if (!documented(s)) undocumentedOn.add(f.backend);
          continue;
        }
        shrinks++;
        const t0 = Date.now();
        const res = await shrink(c, (cand) => reproduces(cand, f, ctx));
        const small = res.case;
        const again = f.phase === 'predict' ? await runPredict(small, ctx) : await runTrain(small, ctx);
        const mine = again.findings.find((g) => sameFinding(g, f)) ?? f;
        // Other backends differing the same way on the shrunk model share the difference.
        const backends = [...new Set([f.backend, ...again.findings.filter((g) => g.kind === mine.kind && g.phase === mine.phase).map((g) => g.backend)])];
        const s: ShrunkFinding = { caseId: c.id, finding: f, shrunkFinding: mine, model: small.model, train: small.train, pattern: patternOf(small.model, mine, backends), repeats: [], steps: res.steps, tries: res.tries };
        s.explanation = explain(small, mine) ?? (why?.kind === 'bug' ? why : undefined);
        findings.push(s);
        if (!documented(s)) undocumentedOn.add(f.backend);
        if (!documented(s) && casesDir) s.file = await writeCase(s, small, ctx, casesDir, kerasVersion);
        log(`  shrunk ${c.id} ${backends.join(',')} ${f.phase} ${f.kind} in ${res.tries} tries (${((Date.now() - t0) / 1000).toFixed(1)} s): ${describeSpec(small.model)}${s.explanation ? ` [${s.explanation.kind}: ${s.explanation.id}]` : ''}${s.file ? ` -> ${s.file}` : ''}`);
      }
      for (const b of undocumentedOn) if (b in undocumentedMismatches) undocumentedMismatches[b]++;
    };

    const summary = (): FuzzSummary => ({
      seed: o.seed,
      kerasVersion,
      cases: ran,
      trained,
      refused,
      bothFailed,
      ms: Date.now() - start,
      backends: names,
      mismatches,
      undocumentedMismatches,
      findings,
      undocumented: findings.filter((s) => !documented(s)).length,
      unexplained: findings.filter((s) => !s.explanation).length,
    });
    for (let i = o.from ?? 0; i < (o.from ?? 0) + o.cases; i++) {
      if (o.timeLimitMs !== undefined && Date.now() - start > o.timeLimitMs) break;
      o.onCase?.(i);
      const c = drawCase(o.seed, i, o.trainFraction ?? 0.2);
      ran++;
      const t0 = Date.now();
      const p = await runPredict(c, ctx);
      if (p.refused) refused++;
      if (p.bothFailed) bothFailed++;
      let found = p.findings;
      if (c.train && !p.refused) {
        trained++;
        const t = await runTrain(c, ctx);
        if (t.refused) refused++;
        found = [...found, ...t.findings];
      }
      if (found.length) {
        log(`case ${c.id}: ${found.map((f) => `${f.backend} ${f.phase} ${f.kind}`).join(', ')}: ${describeSpec(c.model)}`);
        await handle(c, found);
      }
      if (Date.now() - t0 > 20_000) log(`case ${c.id} took ${((Date.now() - t0) / 1000).toFixed(0)} s: ${describeSpec(c.model)}`);
      if (ran % 50 === 0) {
        log(`${ran} cases, ${((Date.now() - start) / 1000).toFixed(0)} s, ${findings.length} distinct differences`);
        o.onProgress?.(summary());
      }
    }
    return summary();
  } finally {
    await oracle.close();
    process.off('exit', removeDir);
    removeDir();
  }
}

/** The summary as text: counts per backend, then every shrunk difference. */
export function formatSummary(s: FuzzSummary): string {
  const lines = [
    `oracle fuzz: seed ${s.seed}, ${s.cases} cases (${s.trained} also trained) in ${(s.ms / 1000).toFixed(1)} s (${((s.cases / s.ms) * 1000).toFixed(2)} cases/s) against Keras ${s.kerasVersion}`,
    `  models keras-ts refused: ${s.refused}; models both refused: ${s.bothFailed}`,
    `  backend      cases with a difference (not documented)`,
    ...s.backends.map((b) => `  ${b.padEnd(12)} ${String(s.mismatches[b]).padStart(5)} (${s.undocumentedMismatches[b]})`),
  ];
  const other = s.findings.filter((f) => !s.backends.includes(f.finding.backend)).length;
  const byLayer = new Map<string, number>();
  for (const f of s.findings) for (const l of new Set(f.pattern.layers.map((p) => p.class_name))) byLayer.set(l, (byLayer.get(l) ?? 0) + 1 + f.repeats.length);
  if (other) lines.push(`  files (Keras refused or failed on the file keras-ts wrote, or keras-ts could not write it): ${other} distinct`);
  if (byLayer.size) lines.push(`  cases with a difference, by layer of the shrunk model: ${[...byLayer].sort((a, b) => b[1] - a[1]).map(([l, n]) => `${l} ${n}`).join(', ')}`);
  lines.push(`${s.findings.length} distinct differences (${s.undocumented} undocumented, of which ${s.undocumented - s.unexplained} are known keras-ts bugs):`);
  s.findings.forEach((f, i) => {
    const sf = f.shrunkFinding;
    lines.push(`  ${i + 1}. [${f.pattern.backends.join(', ')}: ${sf.phase} ${sf.kind}] ${describePattern(f.pattern) || '(any model)'} — case ${f.caseId}${f.repeats.length ? ` and ${f.repeats.length} more` : ''}`);
    lines.push(`     shrunk: ${describeSpec(f.model)}${f.train ? `; train ${JSON.stringify(f.train)}` : ''}`);
    lines.push(`     ${sf.detail}`);
    const e = f.explanation;
    if (e) lines.push(`     ${{ divergence: 'documented Keras 3 divergence', numerics: 'ill-conditioned numerics', oracle: 'beyond the oracle', bug: 'known keras-ts bug' }[e.kind]} '${e.id}': ${e.what} (${e.kind === 'divergence' || e.kind === 'bug' ? 'Keras 2: ' : ''}${e.source})`);
    if (f.file) lines.push(`     case written: ${f.file}`);
  });
  const top = [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  if (top.length) lines.push('layers keras-ts refused while models were drawn (redrawn):', ...top.map(([m, n]) => `  ${n} × ${m}`));
  return lines.join('\n');
}
