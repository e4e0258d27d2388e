/**
 * The house rule on tests: a package's own tests (its `test/` folder) import only that package,
 * the packages its package.json declares, Node's built-ins and the workspace's test tools (the root
 * devDependencies: vitest, tsx, ...); a test that needs more (keras on a backend, one backend
 * against another) lives here, in integration/, which imports the published packages by name
 * only (never by a path into one: that would load its sources beside its built dist/ when
 * KERAS_TS_DIST=1). And the packages declare no workspace package against the architecture's
 * import table (docs/architecture.md), so a declaration cannot let a test around the rule.
 */
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INTEGRATION = join(ROOT, 'integration');
const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;

interface PackageJson {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const declared = (p: PackageJson) => [p.dependencies, p.devDependencies, p.peerDependencies, p.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));

/** The workspace's package folders, from pnpm-workspace.yaml (entries `dir` or `dir/*`). */
function workspaceDirs(): string[] {
  const yaml = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const block = yaml.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const globs = [...block.matchAll(/^\s+-\s+['"]?([^'"\s#]+)['"]?/gm)].map((m) => m[1]);
  return globs.flatMap((g) => {
    if (!g.endsWith('/*')) return [join(ROOT, g)];
    const parent = join(ROOT, g.slice(0, -2));
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(parent, e.name));
  }).filter((d) => existsSync(join(d, 'package.json')));
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : sourceFiles(p);
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every module a file imports (static, dynamic, `export ... from`, `require`, `typeof import`), with its line. */
function importsOf(file: string): { spec: string; line: number }[] {
  const text = readFileSync(file, 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => ({ spec: f.fileName, line: text.slice(0, f.pos).split('\n').length }));
}

/** A bare specifier's package name (`@scope/name/sub` -> `@scope/name`). */
const packageOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(packageOf(spec));
const inside = (dir: string, file: string) => file === dir || file.startsWith(dir + sep);

const rootTools = Object.keys(readJson(join(ROOT, 'package.json')).devDependencies ?? {});
const packages = workspaceDirs().map((dir) => ({ dir, json: readJson(join(dir, 'package.json')) }));
const workspaceNames = new Set(packages.map((p) => p.json.name));
const where = (file: string, line: number) => `${relative(ROOT, file)}:${line}`;

/** What a package's own tests import that they may not: "file:line imports 'x' (why)". */
function packageTestViolations(dir: string, json: PackageJson): string[] {
  const allowed = new Set([json.name, ...declared(json), ...rootTools]);
  const out: string[] = [];
  for (const file of sourceFiles(join(dir, 'test'))) {
    for (const { spec, line } of importsOf(file)) {
      if (isBuiltin(spec)) continue;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolve(dirname(file), spec);
        if (!inside(dir, target)) out.push(`${where(file, line)} imports '${spec}', a path out of ${json.name} (${relative(ROOT, target)}); a test that needs another package goes in integration/`);
        continue;
      }
      const name = packageOf(spec);
      if (!allowed.has(name)) {
        out.push(`${where(file, line)} imports '${spec}', which ${json.name} does not declare${workspaceNames.has(name) ? '; a test that needs another package goes in integration/' : ''}`);
      }
    }
  }
  return out;
}

/**
 * Relative imports from integration/ into a published package (they must go through the package's
 * name). A private package that builds nothing (examples/) has only its sources: a path is fine.
 */
function integrationViolations(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(INTEGRATION)) {
    for (const { spec, line } of importsOf(file)) {
      if (!spec.startsWith('.') && !spec.startsWith('/')) continue;
      const target = resolve(dirname(file), spec);
      if (inside(INTEGRATION, target)) continue;
      const owner = packages.find((p) => inside(p.dir, target));
      if (owner && !owner.json.private) out.push(`${where(file, line)} imports '${spec}' by path (${relative(ROOT, target)}); import ${owner.json.name} by its name`);
      if (!owner) out.push(`${where(file, line)} imports '${spec}', outside every workspace package (${relative(ROOT, target)})`);
    }
  }
  return out;
}

/**
 * The workspace packages each package may declare (docs/architecture.md, "who may import whom");
 * a package not listed may declare any. keras declares backend-ts as a devDependency: the backend
 * its own tests run on.
 */
const MAY_DECLARE: Readonly<Record<string, readonly string[]>> = {
  '@keras-ts/spec': [],
  '@keras-ts/keras': ['@keras-ts/spec', '@keras-ts/backend-ts'],
  '@keras-ts/backend-ts': ['@keras-ts/spec'],
  '@keras-ts/backend-tfjs': ['@keras-ts/spec'],
  '@keras-ts/backend-onnx': ['@keras-ts/spec'],
};

describe('tests import across packages only from integration/', () => {
  it('finds the workspace packages and their tests', () => {
    const names = packages.map((p) => p.json.name);
    for (const n of [...Object.keys(MAY_DECLARE), '@keras-ts/integration']) expect(names).toContain(n);
    expect(packages.filter((p) => statSync(join(p.dir, 'test'), { throwIfNoEntry: false })?.isDirectory()).length).toBeGreaterThanOrEqual(6);
  });

  for (const { dir, json } of packages.filter((p) => p.json.name !== '@keras-ts/integration')) {
    it(`${json.name}'s tests import only ${json.name}, what it declares and the test tools`, () => {
      expect(packageTestViolations(dir, json), 'imports that cross packages (move the test to integration/)').toEqual([]);
    });
  }

  it('integration/ imports the published packages by name, never by a path into one', () => {
    expect(integrationViolations()).toEqual([]);
  });

  it('no package declares a workspace package the architecture does not let it import', () => {
    const wrong = packages.flatMap(({ dir, json }) => {
      const may = MAY_DECLARE[json.name];
      if (!may) return [];
      return declared(json)
        .filter((d) => workspaceNames.has(d) && !may.includes(d))
        .map((d) => `${relative(ROOT, join(dir, 'package.json'))} declares ${d}; ${json.name} may declare only ${may.join(', ') || 'no workspace package'}`);
    });
    expect(wrong).toEqual([]);
  });

  it('the rule catches a test importing another package, by package name and by path', () => {
    const keras = packages.find((p) => p.json.name === '@keras-ts/keras')!;
    const onnx = packages.find((p) => p.json.name === '@keras-ts/backend-onnx')!;
    const allowedForOnnx = new Set([onnx.json.name, ...declared(onnx.json), ...rootTools]);
    expect(allowedForOnnx.has('@keras-ts/keras')).toBe(false);
    const escaped = resolve(join(keras.dir, 'test', 'robustness'), '../../../backend-tfjs/src/index.js');
    expect(inside(keras.dir, escaped)).toBe(false);
    expect(packageOf('@keras-ts/backend-onnx/export')).toBe('@keras-ts/backend-onnx');
    expect(isBuiltin('fs/promises') && isBuiltin('node:child_process') && !isBuiltin('fflate')).toBe(true);
  });
});
