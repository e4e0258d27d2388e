/**
 * One error taxonomy (docs/architecture.md, "Errors"): the published sources throw the typed errors
 * of `@keras-ts/spec` / `@keras-ts/keras` (KerasValueError, KerasTypeError, KerasShapeError,
 * KerasStateError, KerasNotImplementedError, KerasInternalError, KerasConfigError, ...), never a
 * bare `Error`, `TypeError` or `RangeError`, so every mistake says what kind it was and carries a
 * `code`. The tools and programs beside them (the op suite in spec/testing, the conformance
 * runner's browser page and Keras oracle, bench, scripts, examples) do too, or throw a class of
 * their own that says what it is: a tool's `UsageError`, the op suite's `OpCheckFailure`, the
 * runner's `Mismatch`. Tests (`*.test.ts`, and the helpers in test folders) are not scanned. The scan reads the syntax tree
 * (comments and strings do not count) and fails naming each file:line left.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The built-in error classes a source must not construct: each has a typed keras-ts class. */
const BARE = new Set(['Error', 'TypeError', 'RangeError']);

/**
 * The places that may, each with its reason (`file: the code`, matched against the line's text).
 * Keep it short: a new entry needs a reason why no class of the taxonomy fits.
 */
const ALLOWED: readonly { file: string; code: string; why: string }[] = [
  {
    file: 'packages/keras/src/saving/hdf5-worker.ts',
    code: 'throw new Error(a!.error)',
    why: "h5wasm's own error, carried as text from the HDF5 worker and rebuilt as it was: its callers (saving/hdf5-sandbox.ts) wrap a foreign error into a KerasFileError naming the file and the HDF5 reason, and pass a KerasError on as it is",
  },
];

/**
 * The non-test source folders: spec's (its op suite too), each package's, the conformance
 * runner's (its browser page and oracle too), and the bench, scripts and examples.
 */
function sourceRoots(): string[] {
  const packages = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(ROOT, 'packages', e.name, 'src'));
  const tools = ['spec/testing', 'conformance/browser', 'conformance/oracle', 'bench/src', 'scripts', 'examples'].map((d) => join(ROOT, d));
  return [join(ROOT, 'spec', 'src'), ...packages, join(ROOT, 'conformance', 'src'), ...tools].filter((d) => existsSync(d));
}

/** The TypeScript and JavaScript sources below `dir`: no tests, declarations, node_modules or dist. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(p);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(e.name) && !e.name.endsWith('.d.ts') && !/\.test\.[cm]?[jt]s$/.test(e.name) ? [p] : [];
  });
}

/** Every `new Error(...)` / `Error(...)` (and TypeError, RangeError) in a parsed file: line and class. */
function findBare(source: ts.SourceFile): { line: number; name: string }[] {
  const found: { line: number; name: string }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && BARE.has(node.expression.text)) {
      found.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, name: node.expression.text });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The bare errors of a file that the allowlist does not name, as `file:line: Error(...)`. */
function bareErrors(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const rel = relative(ROOT, file).split(sep).join('/');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  return findBare(source)
    .filter((f) => !ALLOWED.some((a) => a.file === rel && lines[f.line - 1].includes(a.code)))
    .map((f) => `${rel}:${f.line}: ${f.name}(...)`);
}

describe('the error taxonomy', () => {
  it('is used everywhere: no source, tool or example throws a bare Error, TypeError or RangeError', () => {
    const files = sourceRoots().flatMap(sourceFiles);
    // The scan reads the sources (an empty walk would pass without checking anything).
    expect(files.length).toBeGreaterThan(300);
    const left = files.flatMap(bareErrors);
    // An entry of the allowlist whose file no longer has its code is stale.
    const stale = ALLOWED.filter((a) => existsSync(join(ROOT, a.file)) && !readFileSync(join(ROOT, a.file), 'utf8').includes(a.code));
    expect(stale.map((a) => `${a.file}: ${a.code}`), 'remove these stale entries of ALLOWED').toEqual([]);
    expect(left, `use the typed errors of docs/architecture.md "Errors" instead (KerasValueError, KerasTypeError, KerasShapeError, KerasStateError, KerasNotImplementedError, KerasInternalError, ...):\n${left.join('\n')}`).toEqual([]);
  });

  it('finds what it looks for: the three classes, with or without new, and not in comments or strings', () => {
    const text = ['throw new Error("a");', 'throw TypeError("b");', 'const e = new RangeError("c");', '// new Error("d")', 'const s = \'new Error("e")\';'].join('\n');
    const found = findBare(ts.createSourceFile('sample.ts', text, ts.ScriptTarget.Latest, true));
    expect(found).toEqual([
      { line: 1, name: 'Error' },
      { line: 2, name: 'TypeError' },
      { line: 3, name: 'RangeError' },
    ]);
  });
});
