#!/usr/bin/env -S npx tsx
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@keras-ts/spec';
import { KNOWN_BACKENDS, loadBackendModule, notBuiltReason } from './backends.js';
import { runConformance, selectCases, type CaseResult } from './index.js';
import { summaryLine, textTable, toHtml, toJson, writeFileAtomic, type Report, type ReportBackend } from './report.js';
import { findSkip, loadBackendSkipList, loadSkipList, type SkipEntry } from './skips.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The vendored goldens from real Keras. */
export const GOLDENS_DIR = join(here, '..', 'goldens', 'keras-3.16.0-torch');
/** The hand-written Keras 2 cases. */
export const HANDWRITTEN_DIR = join(here, '..', 'cases-handwritten');
/** Where each backend's skip list lives (`<backend name>.json`). */
export const SKIPS_DIR = join(here, '..', 'skips');

const USAGE = `usage: pnpm conformance [options]

  --backend NAME|MODULE  ts, tfjs (cpu), tfjs-wasm, onnx, all (default), or a module that exports a Backend
                         (default export, createBackend(), or 'backend'); repeatable, or a,b
  --cases DIR            a directory of keras-golden/1 cases; repeatable
                         (default: the vendored goldens and conformance/cases-handwritten)
  --filter GLOB          only case ids matching (* within a segment, ** across; no wildcard =
                         prefix); repeatable
  --skips FILE           use this skip list instead of conformance/skips/<backend>.json
  --no-skips             ignore skip lists (run everything)
  --json FILE            write the per-case results as JSON
  --html FILE            write a self-contained HTML report
  --list                 list the selected case ids and exit
  --verbose              print every case as it runs
  --help                 this text

Paths resolve against the directory pnpm was run from (INIT_CWD). Exits 1 when a case fails,
2 on a usage or loading error.`;

/** A glob over case ids: `*` matches within a path segment, `**` across segments; a glob without a wildcard matches as a prefix. */
export function globMatcher(glob: string): (id: string) => boolean {
  if (!/[*?]/.test(glob)) return (id) => id === glob || id.startsWith(glob.endsWith('/') ? glob : `${glob}/`) || id.startsWith(glob);
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}$`);
  return (id) => re.test(id);
}

/** Where the CLI reads paths from and writes its output to (the process by default; tests pass their own). */
export interface CliIO {
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

interface Args {
  backends: string[];
  cases: string[];
  filters: string[];
  json?: string;
  html?: string;
  skips?: string;
  noSkips: boolean;
  list: boolean;
  verbose: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const a: Args = { backends: [], cases: [], filters: [], noSkips: false, list: false, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const take = (): string | undefined => {
      if (value !== undefined) return value;
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) return undefined;
      i++;
      return v;
    };
    const needs = ['--backend', '--cases', '--filter', '--json', '--html', '--skips'];
    if (needs.includes(flag)) {
      const v = take();
      if (v === undefined || v === '') return `${flag} needs a value`;
      if (flag === '--backend') a.backends.push(...v.split(',').filter((s) => s !== ''));
      else if (flag === '--cases') a.cases.push(v);
      else if (flag === '--filter') a.filters.push(v);
      else if (flag === '--json') a.json = v;
      else if (flag === '--html') a.html = v;
      else a.skips = v;
    } else if (value !== undefined) return `${flag} takes no value`;
    else if (flag === '--no-skips') a.noSkips = true;
    else if (flag === '--list') a.list = true;
    else if (flag === '--verbose' || flag === '-v') a.verbose = true;
    else if (flag === '--help' || flag === '-h') a.help = true;
    else return `unknown argument ${flag}`;
  }
  return a;
}

/** How one skip reason reads in the text output: the cases it covers, then the reason. */
function printSkips(results: readonly CaseResult[], out: (s: string) => void): void {
  const byReason = new Map<string, string[]>();
  for (const r of results) if (r.status === 'skip') byReason.set(r.reason ?? '', [...(byReason.get(r.reason ?? '') ?? []), r.id]);
  for (const [reason, ids] of byReason) {
    if (ids.length === 1) out(`  SKIP ${ids[0]}: ${reason}`);
    else out(`  SKIP ${ids.length} cases (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', ...' : ''}): ${reason}`);
  }
}

/**
 * Runs the conformance CLI with the given arguments and returns its exit code: 0 when no case
 * failed, 1 when one did, 2 on a usage or loading error. The last line it prints is
 * `N passed, N failed, N skipped`.
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = io.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  // pnpm runs the script inside conformance/: resolve paths from where the user ran it.
  const cwd = io.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    err(`${parsed}\n\n${USAGE}`);
    return 2;
  }
  const args = parsed;
  if (args.help) {
    out(USAGE);
    return 0;
  }
  const caseDirs = args.cases.length ? args.cases.map((d) => resolve(cwd, d)) : [GOLDENS_DIR, HANDWRITTEN_DIR];
  const matchers = args.filters.map(globMatcher);
  const filter = matchers.length ? (id: string) => matchers.some((m) => m(id)) : undefined;

  let selected;
  try {
    selected = selectCases(caseDirs, filter);
  } catch (e) {
    err((e as Error).message);
    return 2;
  }
  if (args.list) {
    for (const f of selected) out(f.case ? f.case.id : `${f.fallbackId} (not a valid case: ${f.error})`);
    out(`${selected.length} cases`);
    return 0;
  }
  if (selected.length === 0) err(`no case selected${filter ? ` by --filter ${args.filters.join(' ')}` : ''} in ${caseDirs.join(', ')}`);

  // Which backends: names expand 'all'; a name not known is a module specifier.
  const asked = args.backends.length ? args.backends : ['all'];
  const plan: ({ kind: 'run'; load: () => Promise<Backend> } | { kind: 'absent'; name: string })[] = [];
  const notRun: string[] = [];
  for (const name of asked) {
    if (name === 'all') {
      for (const [n, make] of Object.entries(KNOWN_BACKENDS)) {
        if (make) plan.push({ kind: 'run', load: async () => make() });
        else notRun.push(n);
      }
    } else if (Object.hasOwn(KNOWN_BACKENDS, name)) {
      const make = KNOWN_BACKENDS[name];
      plan.push(make ? { kind: 'run', load: async () => make() } : { kind: 'absent', name });
    } else plan.push({ kind: 'run', load: () => loadBackendModule(name, cwd) });
  }
  if (notRun.length) out(`not built yet, not run: ${notRun.join(', ')}`);

  const all: CaseResult[] = [];
  const reportBackends: ReportBackend[] = [];
  const seenNames = new Set<string>();
  for (const step of plan) {
    if (step.kind === 'absent') {
      if (seenNames.has(step.name)) continue;
      seenNames.add(step.name);
      const reason = notBuiltReason(step.name);
      const results = selected.map((f): CaseResult => ({ id: f.case ? f.case.id : f.fallbackId, backend: step.name, status: 'skip', reason, kind: f.case?.kind, file: f.file }));
      out(`\nbackend ${step.name}: ${reason}; every case skipped`);
      out(textTable(step.name, results));
      all.push(...results);
      reportBackends.push({ name: step.name, note: reason });
      continue;
    }
    let backend: Backend;
    try {
      backend = await step.load();
    } catch (e) {
      err((e as Error).message);
      return 2;
    }
    if (seenNames.has(backend.name)) {
      err(`backend '${backend.name}' asked for twice; running it once`);
      backend.dispose?.();
      continue;
    }
    seenNames.add(backend.name);

    let skips: SkipEntry[] = [];
    let skipSource = 'none';
    try {
      if (args.noSkips) skipSource = 'ignored (--no-skips)';
      else if (args.skips) {
        const file = resolve(cwd, args.skips);
        skips = await loadSkipList(file);
        skipSource = file;
      } else {
        const found = await loadBackendSkipList(SKIPS_DIR, backend.name);
        if (found) {
          skips = found.entries;
          skipSource = found.file;
        }
      }
    } catch (e) {
      err((e as Error).message);
      return 2;
    }

    out(`\nbackend ${backend.name} (skip list: ${skipSource}${skips.length ? `, ${skips.length} entries` : ''})`);
    const onResult = args.verbose ? (r: CaseResult) => out(`  ${r.status.padEnd(4)} ${r.id}${r.ms !== undefined ? ` (${r.ms.toFixed(1)} ms)` : ''}${r.reason ? `: ${r.reason}` : ''}`) : undefined;
    let results: CaseResult[];
    try {
      results = await runConformance(backend, { caseDirs, filter, skip: skips, onResult });
    } catch (e) {
      err(`backend ${backend.name}: ${(e as Error).message}`);
      return 2;
    } finally {
      backend.dispose?.();
    }
    out(textTable(backend.name, results));
    for (const r of results.filter((r) => r.status === 'fail')) out(`  FAIL ${r.id}: ${r.reason}`);
    printSkips(results, out);
    if (!filter && args.cases.length === 0) {
      // Over the default cases, an entry that covers none of them is stale (a renamed or removed case).
      const ids = results.map((r) => r.id);
      for (const e of skips) if (!ids.some((id) => findSkip(id, [e]) === e)) err(`warning: skip list entry ${e.id !== undefined ? `id '${e.id}'` : `prefix '${e.prefix}'`} matches no case (${skipSource})`);
    }
    all.push(...results);
    reportBackends.push({ name: backend.name });
  }

  const report: Report = { generated: new Date().toISOString(), caseDirs, command: ['pnpm conformance', ...argv].join(' '), backends: reportBackends, results: all };
  try {
    if (args.json) {
      const file = resolve(cwd, args.json);
      writeFileAtomic(file, toJson(report));
      out(`wrote ${file}`);
    }
    if (args.html) {
      const file = resolve(cwd, args.html);
      writeFileAtomic(file, toHtml(report));
      out(`wrote ${file}`);
    }
  } catch (e) {
    err(`cannot write the report: ${(e as Error).message}`);
    out(summaryLine(all));
    return 2;
  }
  if (all.length > 0 && !all.some((r) => r.status === 'pass')) out('nothing is covered: no case passed on any backend');
  out(summaryLine(all));
  return all.some((r) => r.status === 'fail') ? 1 : 0;
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isMain) process.exitCode = await main(process.argv.slice(2));
