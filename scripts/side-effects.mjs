#!/usr/bin/env node
/**
 * The `sideEffects` field of each package, computed from its sources: a module has side effects
 * when a top-level statement calls something (`registerClass(Adam)`, `registerLossFunction(...)`),
 * loops (`for (const [name, op] of Object.entries(UNARY)) defineOp(...)`) or registers an op
 * (`const relu = defineOp(...)`), or when it re-exports (`export ... from`) or
 * bare-imports (`import './x.js'`) such a module, so that a bundler keeps what the registries
 * need when it drops unused exports. `node scripts/side-effects.mjs` rewrites the package.json
 * files; `--check` exits 1 (naming the package) when one is stale.
 *
 * An import that names what it uses (`import { Layer } from './layer.js'`) does not pass the
 * effects on: a bundler keeps a module with side effects whenever a module it keeps imports it,
 * and a module whose exports nobody uses may go together with its imports. So the code that
 * looks a name up must import (or sit behind a kept barrel that re-exports) what registers it,
 * and a module that is only needed when a name is looked up stays out of the bundle otherwise:
 * the layers register in `layers/builtin-layers.ts`, which only the by-name entry points import.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['spec', 'packages/backend-ts', 'packages/keras', 'packages/backend-tfjs', 'packages/backend-onnx'];
const TOP_LEVEL_EFFECT = /^(?:[A-Za-z_$][\w$.]*\(|for \(|(?:export )?const [\w$]+ = defineOp\()/m;

function* tsFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* tsFiles(p);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) yield p;
  }
}

/** The edges that pass effects on: re-exports and bare imports (named imports do not; see above). */
const IMPORT = /(?:^|\n)\s*export\s[^;]*?from\s*'(\.{1,2}\/[^']+)'|(?:^|\n)\s*import\s*'(\.{1,2}\/[^']+)'/g;

/**
 * The package's `sideEffects` value: false, or the files (sources and built) that have them: the
 * modules that register something at load, and every module that re-exports or bare-imports one
 * of those (a bundler may drop a module marked side-effect free together with what it imports,
 * so a barrel such as `initializers/index.ts` must be kept for the registrations behind it to
 * run).
 */
export function sideEffectsOf(pkgDir) {
  const modules = new Map();
  for (const srcRoot of ['src', 'testing'].map((d) => join(pkgDir, d))) {
    let list;
    try {
      list = [...tsFiles(srcRoot)];
    } catch {
      continue;
    }
    for (const f of list) {
      const text = readFileSync(f, 'utf8');
      const deps = [...text.matchAll(IMPORT)].map((m) => join(dirname(f), (m[1] ?? m[2]).replace(/\.js$/, '.ts')));
      modules.set(f, { effect: TOP_LEVEL_EFFECT.test(text), deps });
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of modules.values()) {
      if (!m.effect && m.deps.some((d) => modules.get(d)?.effect)) (m.effect = true), (changed = true);
    }
  }
  const files = [...modules].filter(([, m]) => m.effect).map(([f]) => relative(pkgDir, f));
  if (!files.length) return false;
  files.sort();
  const built = JSON.parse(readFileSync(join(pkgDir, 'tsconfig.build.json'), 'utf8')).compilerOptions.rootDir === 'src';
  const out = [];
  for (const f of files) {
    out.push(`./${f}`);
    const js = f.replace(/\.ts$/, '.js');
    out.push(`./dist/${built ? js.replace(/^src\//, '') : js}`);
  }
  return out;
}

const check = process.argv.includes('--check');
let stale = 0;
for (const dir of PACKAGES) {
  const file = join(root, dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const want = sideEffectsOf(join(root, dir));
  if (JSON.stringify(pkg.sideEffects) === JSON.stringify(want)) continue;
  if (check) {
    console.error(`${pkg.name}: package.json's sideEffects is stale (run node scripts/side-effects.mjs)`);
    stale++;
    continue;
  }
  pkg.sideEffects = want;
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log(`${pkg.name}: sideEffects ${want === false ? 'false' : `${want.length / 2} modules`}`);
}
process.exitCode = stale ? 1 : 0;
