import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, parse, resolve } from 'node:path';
import { KerasValueError } from '@keras-ts/spec';

// Node 20's `import()` resolves a package name from the importing module (here: this package),
// `import.meta.resolve(name, parent)` needs a flag, and `createRequire(...).resolve` uses the
// `require` condition, so it fails on ESM-only packages whose `exports` give only `import`.
// A backend package is looked up from the user's folder here, the way `import` would from a
// module in that folder: self-reference, then `node_modules` upwards, then `exports`.

type Json = Record<string, unknown>;

/** The export conditions an `import` matches in Node: `node`, `import`, `default`, and any `--conditions` Node was started with. */
export function importConditions(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): Set<string> {
  const out = new Set(['node', 'import', 'default']);
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  for (let i = 0; i < args.length; i++) {
    const m = /^(?:--conditions|-C)(?:=(.*))?$/.exec(args[i]);
    if (!m) continue;
    const v = m[1] ?? args[++i];
    if (v) out.add(v);
  }
  return out;
}

function readJson(file: string): Json | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch {
    return undefined;
  }
}

/** Splits `@scope/name/sub/path` into the package name and the subpath (`.` or `./sub/path`). */
function splitSpecifier(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const n = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(n).join('/');
  return { name: parts.slice(0, n).join('/'), subpath: rest ? `./${rest}` : '.' };
}

/** The directory of package `name` as seen from `from`: the enclosing package itself (self-reference), else the nearest `node_modules/<name>`. */
function findPackageDir(name: string, from: string): string | undefined {
  const { root } = parse(from);
  for (let d = resolve(from); ; d = dirname(d)) {
    const own = readJson(join(d, 'package.json'));
    if (own?.name === name && own.exports !== undefined) return d;
    if (own !== undefined) break; // the nearest package.json decides self-reference
    if (d === root) break;
  }
  for (let d = resolve(from); ; d = dirname(d)) {
    const dir = join(d, 'node_modules', ...name.split('/'));
    if (existsSync(join(dir, 'package.json'))) return realpathSync(dir);
    if (d === root) return undefined;
  }
}

/** Resolves one `exports` target (a string, an array of fallbacks, or an object of conditions); `star` fills a pattern's `*`. */
function resolveTarget(target: unknown, star: string | undefined, conditions: ReadonlySet<string>): string | null | undefined {
  if (typeof target === 'string') return star === undefined ? target : target.split('*').join(star);
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = resolveTarget(t, star, conditions);
      if (r) return r;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const [key, value] of Object.entries(target as Json)) {
      if (!conditions.has(key)) continue;
      const r = resolveTarget(value, star, conditions);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  return null; // null: explicitly not exported
}

/** The target of `subpath` in a package's `exports` map, or undefined when it is not exported. */
function resolveExports(exportsField: unknown, subpath: string, conditions: ReadonlySet<string>): string | undefined {
  const isSubpathMap = exportsField !== null && typeof exportsField === 'object' && !Array.isArray(exportsField) && Object.keys(exportsField).some((k) => k.startsWith('.'));
  const map: Json = isSubpathMap ? (exportsField as Json) : { '.': exportsField };
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return resolveTarget(map[subpath], undefined, conditions) ?? undefined;
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const i = key.indexOf('*');
    if (i < 0) continue;
    const [pre, post] = [key.slice(0, i), key.slice(i + 1)];
    if (subpath.length >= key.length - 1 && subpath.startsWith(pre) && subpath.endsWith(post) && (!best || pre.length > best.key.indexOf('*'))) {
      best = { key, star: subpath.slice(pre.length, subpath.length - post.length) };
    }
  }
  return best ? (resolveTarget(map[best.key], best.star, conditions) ?? undefined) : undefined;
}

/** A file, or a directory's `index.js`, as the legacy `main` lookup finds it. */
function fileOrIndex(p: string): string | undefined {
  for (const c of [p, `${p}.js`, join(p, 'index.js')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return undefined;
}

/**
 * Resolves a package specifier (`name`, `@scope/name`, `name/subpath`) to a file path the way an
 * `import` written in a module inside `from` would: the package itself when `from` is inside it,
 * else the nearest `node_modules/<name>` above `from`; then its `exports` with the `import`
 * conditions (so ESM-only packages with only an `import` condition resolve), or `main` when it
 * has no `exports`. Returns undefined when no such package is installed there; throws when the
 * package is there but does not export the subpath.
 *
 * @example
 * resolvePackageFrom('@me/keras-ts-backend-webgpu', process.cwd()); // '/proj/node_modules/@me/.../dist/index.js'
 */
export function resolvePackageFrom(spec: string, from: string, conditions: ReadonlySet<string> = importConditions()): string | undefined {
  const { name, subpath } = splitSpecifier(spec);
  const dir = findPackageDir(name, from);
  if (!dir) return undefined;
  const pkg = readJson(join(dir, 'package.json')) ?? {};
  if (pkg.exports !== undefined) {
    const target = resolveExports(pkg.exports, subpath, conditions);
    if (!target || !target.startsWith('./')) throw new KerasValueError(`package '${name}' (${dir}) exports no '${subpath}' for import (conditions: ${[...conditions].join(', ')})`);
    return join(dir, ...target.slice(2).split('/'));
  }
  const file = subpath === '.' ? fileOrIndex(join(dir, typeof pkg.main === 'string' ? pkg.main : 'index.js')) : join(dir, ...subpath.slice(2).split('/'));
  if (!file) throw new KerasValueError(`package '${name}' (${dir}) has no "exports" and no main file`);
  return file;
}
