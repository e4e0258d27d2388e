import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importConditions, resolvePackageFrom } from '../src/resolve.js';

let tmp: string;
const write = (rel: string, text: string) => {
  const p = join(tmp, ...rel.split('/'));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
};
const pkg = (dir: string, manifest: Record<string, unknown>, files: string[] = []) => {
  write(`${dir}/package.json`, JSON.stringify(manifest));
  for (const f of files) write(`${dir}/${f}`, 'export default 1;\n');
};

beforeAll(() => {
  tmp = realpathSync(mkdtempSync(join(tmpdir(), 'keras-ts-resolve-')));
  // The project a backend author runs the CLI in, with its dependencies.
  pkg('proj', { name: 'proj', type: 'module' });
  pkg('proj/node_modules/esm-only', { name: 'esm-only', type: 'module', exports: { types: './index.d.ts', import: './dist/index.js' } }, ['dist/index.js']);
  pkg('proj/node_modules/@me/backend', { name: '@me/backend', exports: { '.': { types: './i.d.ts', import: './dist/i.js' }, './extra': { import: './dist/extra.js' }, './kernels/*': './dist/kernels/*.js', './private/*': null } }, ['dist/i.js', 'dist/extra.js', 'dist/kernels/relu.js']);
  pkg('proj/node_modules/nested-conditions', { name: 'nested-conditions', exports: { node: { import: './node.mjs', require: './node.cjs' }, default: './browser.js' } }, ['node.mjs']);
  pkg('proj/node_modules/fallbacks', { name: 'fallbacks', exports: { '.': [{ worker: './w.js' }, './f.js'] } }, ['f.js']);
  pkg('proj/node_modules/legacy', { name: 'legacy', main: 'lib/main' }, ['lib/main.js']);
  pkg('proj/node_modules/legacy-index', { name: 'legacy-index' }, ['index.js']);
  pkg('proj/node_modules/require-only', { name: 'require-only', exports: { require: './index.cjs' } }, ['index.cjs']);
  pkg('proj/node_modules/custom', { name: 'custom', exports: { 'my-source': './src/index.ts', import: './dist/index.js' } });
  // A backend package run from its own folder (self-reference), with no node_modules of its own.
  pkg('self', { name: '@me/self-backend', type: 'module', exports: { '.': { import: './dist/index.js' } } }, ['dist/index.js']);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('resolving a backend package from the user folder', () => {
  const from = () => join(tmp, 'proj', 'src', 'deep'); // any folder inside the project
  const at = (rel: string) => join(tmp, ...rel.split('/'));

  it('resolves an ESM-only package whose exports have only types and import', () => {
    expect(resolvePackageFrom('esm-only', from())).toBe(at('proj/node_modules/esm-only/dist/index.js'));
  });

  it('resolves subpaths, subpath patterns, nested conditions and fallback arrays', () => {
    expect(resolvePackageFrom('@me/backend', from())).toBe(at('proj/node_modules/@me/backend/dist/i.js'));
    expect(resolvePackageFrom('@me/backend/extra', from())).toBe(at('proj/node_modules/@me/backend/dist/extra.js'));
    expect(resolvePackageFrom('@me/backend/kernels/relu', from())).toBe(at('proj/node_modules/@me/backend/dist/kernels/relu.js'));
    expect(resolvePackageFrom('nested-conditions', from())).toBe(at('proj/node_modules/nested-conditions/node.mjs'));
    expect(resolvePackageFrom('fallbacks', from())).toBe(at('proj/node_modules/fallbacks/f.js'));
  });

  it('uses main, or index.js, when a package has no exports', () => {
    expect(resolvePackageFrom('legacy', from())).toBe(at('proj/node_modules/legacy/lib/main.js'));
    expect(resolvePackageFrom('legacy-index', from())).toBe(at('proj/node_modules/legacy-index/index.js'));
  });

  it('resolves a package from inside itself (self-reference)', () => {
    expect(resolvePackageFrom('@me/self-backend', at('self'))).toBe(at('self/dist/index.js'));
  });

  it('returns undefined for a package not installed there, and throws for one that does not export the path', () => {
    expect(resolvePackageFrom('not-installed-anywhere-xyz', from())).toBeUndefined();
    expect(() => resolvePackageFrom('@me/backend/private/x', from())).toThrow(/exports no '.\/private\/x'/);
    expect(() => resolvePackageFrom('@me/backend/missing', from())).toThrow(/exports no '.\/missing'/);
    expect(() => resolvePackageFrom('require-only', from())).toThrow(/exports no '\.' for import/);
  });

  it('honours the conditions Node was started with', () => {
    expect(importConditions(['--conditions=my-source'], '')).toEqual(new Set(['node', 'import', 'default', 'my-source']));
    expect(importConditions(['-C', 'a'], '--conditions b --max-old-space-size=100')).toEqual(new Set(['node', 'import', 'default', 'a', 'b']));
    expect(resolvePackageFrom('custom', from(), importConditions(['--conditions=my-source'], ''))).toBe(at('proj/node_modules/custom/src/index.ts'));
    expect(resolvePackageFrom('custom', from(), importConditions([], ''))).toBe(at('proj/node_modules/custom/dist/index.js'));
  });
});
