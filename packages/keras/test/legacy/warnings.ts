/**
 * The legacy tests' shared set-up: each test starts with Keras 1's once-per-process warnings
 * reset and console.warn captured (and restored after).
 */
import { afterEach, beforeEach, vi, type MockInstance } from 'vitest';
import { resetLegacyWarnings } from '../../src/legacy/index.js';

/** Captures console.warn for every test of the file; `spy.warn` is this test's mock. */
export function captureLegacyWarnings(): { warn: MockInstance<(...args: unknown[]) => void>; messages(): string[] } {
  const spy = {
    warn: undefined as unknown as MockInstance<(...args: unknown[]) => void>,
    messages: () => spy.warn.mock.calls.map((c) => String(c[0])),
  };
  beforeEach(() => {
    resetLegacyWarnings();
    spy.warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => spy.warn.mockRestore());
  return spy;
}
