/**
 * The backends `predict --backend` runs on. backend-ts is always there; backend-tfjs and
 * backend-onnx are imported only when asked for, so the CLI works without them.
 */
import { createTsBackend } from '@keras-ts/backend-ts';
import type { Backend } from '@keras-ts/spec';
import { CliError, UsageError } from './util.js';

/**
 * Turns off onnxruntime's telemetry (before it is loaded) unless the user set
 * ORT_DISABLE_TELEMETRY: on Linux it otherwise writes a session file (`.ses`) and a
 * `mat-debug-<pid>.log` into the temporary folder on every run, and leaves them there.
 */
export function withoutOnnxTelemetry(): void {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
}

/** The names `--backend` accepts. */
export const BACKEND_NAMES = ['ts', 'tfjs', 'tfjs-wasm', 'onnx'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export function checkBackendName(name: string): BackendName {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown backend '${name}': expected ${BACKEND_NAMES.join(', ')}`);
  return name as BackendName;
}

/**
 * Runs `fn` with console output sent to `err`: some libraries greet on import (tfjs prints to
 * stdout), which would spoil JSON written to stdout.
 */
async function quietly<T>(err: (line: string) => void, fn: () => Promise<T>): Promise<T> {
  const saved = { log: console.log, info: console.info, warn: console.warn };
  const toErr = (...args: unknown[]) => err(args.map(String).join(' '));
  console.log = toErr;
  console.info = toErr;
  console.warn = toErr;
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

const unavailable = (name: string, pkg: string, e: unknown) =>
  new CliError(`backend '${name}' is unavailable: ${pkg} cannot be loaded (${(e as Error).message?.split('\n')[0] ?? String(e)})`);

/** Creates the named backend (importing its package on demand); a clear error when it cannot load. */
export async function createBackend(name: BackendName, err: (line: string) => void): Promise<Backend> {
  if (name === 'ts') return createTsBackend();
  if (name === 'tfjs' || name === 'tfjs-wasm') {
    return quietly(err, async () => {
      let mod: { createTfjsBackend?: (o?: { backend?: 'cpu' | 'wasm' }) => Promise<Backend> | Backend };
      try {
        mod = await import('@keras-ts/backend-tfjs');
      } catch (e) {
        throw unavailable(name, '@keras-ts/backend-tfjs', e);
      }
      if (typeof mod.createTfjsBackend !== 'function') throw new CliError(`backend '${name}' is unavailable: @keras-ts/backend-tfjs has no createTfjsBackend() export`);
      try {
        return await mod.createTfjsBackend({ backend: name === 'tfjs' ? 'cpu' : 'wasm' });
      } catch (e) {
        throw new CliError(`backend '${name}' failed to start: ${(e as Error).message}`);
      }
    });
  }
  return quietly(err, async () => {
    let mod: { createOnnxBackend?: () => Backend };
    try {
      withoutOnnxTelemetry();
      mod = await import('@keras-ts/backend-onnx');
    } catch (e) {
      throw unavailable(name, '@keras-ts/backend-onnx', e);
    }
    if (typeof mod.createOnnxBackend !== 'function') throw new CliError(`backend 'onnx' is unavailable: @keras-ts/backend-onnx has no createOnnxBackend() export`);
    try {
      return mod.createOnnxBackend();
    } catch (e) {
      throw new CliError(`backend 'onnx' failed to start: ${(e as Error).message}`);
    }
  });
}
