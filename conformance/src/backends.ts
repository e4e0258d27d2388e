import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createTsBackend } from '@keras-ts/backend-ts';
import type { Backend } from '@keras-ts/spec';

/**
 * The project's backends by name. `null` marks one that is planned but not built yet: asking for
 * it by name skips every case with that reason; `all` runs only the ones that exist.
 * When backend-tfjs or backend-onnx is built, add it to conformance/package.json and here.
 */
export const KNOWN_BACKENDS: Readonly<Record<string, (() => Backend | Promise<Backend>) | null>> = {
  ts: () => createTsBackend(),
  tfjs: () => createTfjsBackend({ backend: 'cpu' }),
  'tfjs-wasm': () => createTfjsBackend({ backend: 'wasm' }),
  onnx: () => createOnnxBackend(),
};

/** Why a known backend is not run. */
export const notBuiltReason = (name: string): string => `backend '${name}' is not built yet (packages/backend-${name})`;

/** Whether a value has the shape of a {@link Backend}. */
export function isBackend(v: unknown): v is Backend {
  const b = v as Backend | null;
  return typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.compile === 'function' && typeof b.capabilities === 'object' && b.capabilities !== null;
}

const looksLikePath = (spec: string): boolean => spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(t|j)sx?$/.test(spec);

/**
 * Loads a backend from a module: a path (resolved against `cwd`) or a package name (resolved from
 * `cwd`, then from this package). The module gives the backend as its default export (a backend,
 * or a function returning one), as a `createBackend()` export, or as a `backend` export.
 */
export async function loadBackendModule(spec: string, cwd: string): Promise<Backend> {
  let mod: Record<string, unknown>;
  if (looksLikePath(spec)) {
    const file = resolve(cwd, spec);
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`cannot import backend module ${file}: ${(e as Error).message}`);
    }
  } else {
    let url: string | undefined;
    try {
      url = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(spec)).href;
    } catch {
      url = undefined;
    }
    try {
      mod = (await import(url ?? spec)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`'${spec}' is not a known backend (${Object.keys(KNOWN_BACKENDS).join(', ')}, all) and cannot be imported as a module: ${(e as Error).message}`);
    }
  }
  const candidates: [string, unknown][] = [
    ['default export', mod.default],
    ['createBackend()', mod.createBackend],
    ['backend export', mod.backend],
  ];
  for (const [what, v] of candidates) {
    if (v === undefined) continue;
    const b = typeof v === 'function' ? await (v as () => unknown)() : v;
    if (isBackend(b)) return b;
    throw new Error(`backend module '${spec}': its ${what} is not a Backend (an object with name, capabilities and compile(graph))`);
  }
  throw new Error(`backend module '${spec}' exports no backend: give a default export (a Backend, or a function returning one), a createBackend() function, or a 'backend' export`);
}
