import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Backend } from '@keras-ts/spec';
import { resolvePackageFrom } from './resolve.js';
import { KerasStateError, KerasTypeError, KerasValueError } from '@keras-ts/spec';

/** A backend of this project that the CLI knows by name: the package it comes from, and how to make it. */
export interface KnownBackend {
  /** The npm package the backend is in. */
  readonly package: string;
  /** Imports the package (only when the backend is asked for) and creates the backend. */
  readonly create: () => Promise<Backend>;
}

/**
 * The project's four backends by name. Each package is imported only when its backend runs, so
 * running a backend module of your own does not load tfjs or onnxruntime.
 */
export const KNOWN_BACKENDS: Readonly<Record<string, KnownBackend>> = {
  ts: { package: '@keras-ts/backend-ts', create: async () => (await import('@keras-ts/backend-ts')).createTsBackend() },
  tfjs: { package: '@keras-ts/backend-tfjs', create: async () => (await import('@keras-ts/backend-tfjs')).createTfjsBackend({ backend: 'cpu' }) },
  'tfjs-wasm': { package: '@keras-ts/backend-tfjs', create: async () => (await import('@keras-ts/backend-tfjs')).createTfjsBackend({ backend: 'wasm' }) },
  onnx: { package: '@keras-ts/backend-onnx', create: async () => (await import('@keras-ts/backend-onnx')).createOnnxBackend() },
};

/** Thrown when a known backend's package is not installed beside this package. */
export class BackendNotInstalled extends KerasStateError {
  constructor(
    readonly backend: string,
    readonly packageName: string,
  ) {
    super(`backend '${backend}' needs ${packageName}, which is not installed (npm install -D ${packageName})`);
  }
}

/** Creates a known backend by name; throws {@link BackendNotInstalled} when its package cannot be found. */
export async function createKnownBackend(name: string): Promise<Backend> {
  const known = KNOWN_BACKENDS[name];
  try {
    return await known.create();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    // The package itself is missing (not one of its own imports, which is a loading error).
    if (err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(`'${known.package}'`)) throw new BackendNotInstalled(name, known.package);
    throw new KerasStateError(`backend '${name}' (${known.package}) cannot be created: ${err.message ?? String(e)}`);
  }
}

/** Whether a value has the shape of a {@link Backend}. */
export function isBackend(v: unknown): v is Backend {
  const b = v as Backend | null;
  return typeof b === 'object' && b !== null && typeof b.name === 'string' && typeof b.compile === 'function' && typeof b.capabilities === 'object' && b.capabilities !== null;
}

const looksLikePath = (spec: string): boolean => spec.startsWith('.') || isAbsolute(spec) || /\.(c|m)?(t|j)sx?$/.test(spec);

const tsHint = (file: string): string =>
  /\.(c|m)?tsx?$/.test(file) ? ' (a .ts module needs a TypeScript loader: run with NODE_OPTIONS="--import tsx", or compile it to .js)' : '';

/**
 * Loads a backend from a module: a path (resolved against `cwd`) or a package name (resolved
 * from `cwd` as an `import` there would, so ESM-only packages work; else from this package).
 * The module gives the backend as its default export (a backend, or a function returning one),
 * as a `createBackend()` export, or as a `backend` export.
 *
 * @example
 * const backend = await loadBackendModule('./my-backend.mjs', process.cwd());
 */
export async function loadBackendModule(spec: string, cwd: string): Promise<Backend> {
  let mod: Record<string, unknown>;
  if (looksLikePath(spec)) {
    const file = resolve(cwd, spec);
    try {
      mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch (e) {
      throw new KerasValueError(`cannot import backend module ${file}: ${(e as Error).message}${tsHint(file)}`);
    }
  } else {
    let url: string;
    try {
      const file = resolvePackageFrom(spec, cwd);
      url = file ? pathToFileURL(file).href : spec;
    } catch (e) {
      throw new KerasValueError(`'${spec}' is not a known backend (${Object.keys(KNOWN_BACKENDS).join(', ')}, all) and cannot be imported as a module: ${(e as Error).message}`);
    }
    try {
      mod = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      throw new KerasValueError(`'${spec}' is not a known backend (${Object.keys(KNOWN_BACKENDS).join(', ')}, all) and cannot be imported as a module: ${(e as Error).message}${tsHint(url)}`);
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
    throw new KerasTypeError(`backend module '${spec}': its ${what} is not a Backend (an object with name, capabilities and compile(graph))`);
  }
  throw new KerasTypeError(`backend module '${spec}' exports no backend: give a default export (a Backend, or a function returning one), a createBackend() function, or a 'backend' export`);
}
