#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@keras-ts/spec';
import { COMMAND, parseCliArgs, USAGE, type CliArgs } from './args.js';
import { BackendNotInstalled, createKnownBackend, KNOWN_BACKENDS, loadBackendModule } from './backends.js';
import { globMatcher } from './glob.js';
import { runConformance, selectCases, type CaseResult } from './index.js';
import { toJunit } from './junit.js';
import { summaryLine, textTable, toHtml, toJson, writeFileAtomic, type Report, type ReportBackend } from './report.js';
import { findSkip, loadBackendSkipList, loadSkipList, type SkipEntry } from './skips.js';

// The data ships beside the code: this file is src/cli.ts (run by tsx in the repository) or
// dist/cli.js (built by tsc with rootDir src, outDir dist), one level below the package root
// either way, and the package holds goldens/, cases-handwritten/ and skips/ at its root.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The vendored goldens from real Keras. */
export const GOLDENS_DIR = join(packageRoot, 'goldens', 'keras-3.16.0-torch');
/** The hand-written Keras 2 cases. */
export const HANDWRITTEN_DIR = join(packageRoot, 'cases-handwritten');
/** Where each backend's skip list lives (`<backend name>.json`). */
export const SKIPS_DIR = join(packageRoot, 'skips');

export { globMatcher } from './glob.js';


/** Where the CLI reads paths from and writes its output to (the process by default; tests pass their own). */
export interface CliIO {
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
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
 * `--browser`: the cases in headless Chromium on each asked backend (conformance/browser/matrix.ts,
 * which ships in the repository only), their results added to `all` for the reports.
 */
async function runInBrowser(args: CliArgs, filter: ((id: string) => boolean) | undefined, out: (s: string) => void, err: (s: string) => void, all: CaseResult[], reportBackends: ReportBackend[]): Promise<number> {
  if (args.cases.length || args.skips || args.noSkips) {
    err('--browser runs the cases and skip lists shipped with this package: leave out --cases, --skips and --no-skips');
    return 2;
  }
  // conformance/browser/matrix.ts' shape (a type import would pull it into the build of src/).
  type Matrix = { runBrowserMatrix(backends: readonly string[], select?: (id: string) => boolean): Promise<{ backend: string; results: CaseResult[] }[] | string> };
  let matrix: Matrix;
  try {
    // Not a literal: tsc builds src/ alone, and the browser runner is not part of the package.
    const where = '../browser/matrix.js';
    matrix = (await import(where)) as Matrix;
  } catch (e) {
    err(`--browser runs in the keras-ts repository only (conformance/browser/ is not published): ${(e as Error).message}`);
    return 2;
  }
  const runs = await matrix.runBrowserMatrix(args.backends, filter);
  if (typeof runs === 'string') {
    err(runs);
    return 2;
  }
  for (const { backend, results } of runs) {
    out(`\nbackend ${backend} in headless Chromium (skip list: skips/${backend}.json)`);
    out(textTable(backend, results));
    for (const r of results.filter((r) => r.status === 'fail')) out(`  FAIL ${r.id}: ${r.reason}`);
    printSkips(results, out);
    all.push(...results);
    reportBackends.push({ name: backend });
  }
  return 0;
}

/**
 * Runs the conformance CLI with the given arguments and returns its exit code: 0 when no case
 * failed, 1 when one did, 2 on a usage or loading error. The last line it prints is
 * `N passed, N failed, N skipped`.
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(`${s}\n`));
  const err = io.err ?? ((s: string) => process.stderr.write(`${s}\n`));
  // A pnpm script may run in another directory: resolve paths from where the user ran it.
  const cwd = io.cwd ?? process.env.INIT_CWD ?? process.cwd();
  const parsed = parseCliArgs(argv);
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

  // Which backends: 'all' is the known ones (those whose package is not installed are left out,
  // with a note); another known name must load; a name not known is a module specifier.
  const asked = args.backends.length ? args.backends : ['all'];
  const plan: { label: string; optional: boolean; load: () => Promise<Backend> }[] = [];
  for (const name of asked) {
    if (name === 'all') for (const n of Object.keys(KNOWN_BACKENDS)) plan.push({ label: n, optional: true, load: () => createKnownBackend(n) });
    else if (Object.hasOwn(KNOWN_BACKENDS, name)) plan.push({ label: name, optional: false, load: () => createKnownBackend(name) });
    else plan.push({ label: name, optional: false, load: () => loadBackendModule(name, cwd) });
  }

  const all: CaseResult[] = [];
  const reportBackends: ReportBackend[] = [];
  if (args.browser) {
    const code = await runInBrowser(args, filter, out, err, all, reportBackends);
    if (code !== 0) return code;
  }
  const seenNames = new Set<string>();
  for (const step of args.browser ? [] : plan) {
    let backend: Backend;
    try {
      backend = await step.load();
    } catch (e) {
      if (e instanceof BackendNotInstalled && step.optional) {
        if (!seenNames.has(step.label)) reportBackends.push({ name: step.label, note: e.message });
        seenNames.add(step.label);
        out(`\nbackend ${step.label}: not run: ${e.message}`);
        continue;
      }
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

  const report: Report = { generated: new Date().toISOString(), caseDirs, command: [COMMAND, ...argv].join(' '), backends: reportBackends, results: all };
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
    if (args.junit) {
      const file = resolve(cwd, args.junit);
      writeFileAtomic(file, toJunit(report));
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
