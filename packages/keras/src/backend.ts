import type { Backend } from '@keras-ts/spec';
import { KerasStateError } from './errors.js';

let current: Backend | null = null;

/**
 * Chooses the backend every model, layer and metric runs on (like `KERAS_BACKEND`).
 * @example
 * import { createTsBackend } from '@keras-ts/backend-ts';
 * setBackend(createTsBackend());
 */
export function setBackend(backend: Backend): void {
  current = backend;
}

/** The backend set with {@link setBackend}; an error says how to set one when none is. */
export function getBackend(): Backend {
  if (!current) throw new KerasStateError("no backend is set: call setBackend(createTsBackend()) (from '@keras-ts/backend-ts') or another backend first");
  return current;
}
