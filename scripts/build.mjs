#!/usr/bin/env node
/**
 * Builds every publishable package into its `dist/` (ESM JavaScript, .d.ts, source maps) with
 * TypeScript, dependencies first. `node scripts/build.mjs [name...]` builds only those.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Every publishable package, in dependency order. */
export const PACKAGES = ['spec', 'packages/backend-ts', 'packages/keras', 'packages/backend-tfjs', 'packages/backend-onnx', 'packages/cli', 'conformance'];

const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
const only = process.argv.slice(2);
for (const dir of PACKAGES) {
  if (only.length && !only.some((o) => dir.endsWith(o))) continue;
  const pkgDir = join(root, dir);
  const t0 = Date.now();
  rmSync(join(pkgDir, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join(pkgDir, 'tsconfig.build.json')], { stdio: 'inherit', cwd: pkgDir });
  // The bins run with plain node; npm makes them executable on install, this is for local use.
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  for (const bin of Object.values(pkg.bin ?? {})) if (existsSync(join(pkgDir, bin))) chmodSync(join(pkgDir, bin), 0o755);
  console.log(`built ${pkg.name} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
