/**
 * Differential fuzzing against real Keras (the live oracle, conformance/oracle/fuzz.ts), with a
 * fixed seed: 240 random models predicted on backend-ts and backend-tfjs (cpu), and 40 more on all
 * four backends (backend-ts, backend-tfjs on cpu and wasm, backend-onnx), each also in Keras 3 from
 * the `.keras` file keras-ts wrote; a fifth of them also trained a few steps both ways. Every
 * difference must be a documented Keras 3 divergence, ill-conditioned numerics, a limit of the
 * oracle's TensorFlow, or a known keras-ts bug (fuzz/known-bugs.ts, each with its case under
 * cases-handwritten/fuzz/); a new one fails with its description.
 *
 * Without Python Keras the fuzzing is skipped with the reason, unless KERAS_TS_REQUIRE_ORACLE=1
 * (CI sets it), which makes a missing oracle a failure.
 */
import { describe, expect, test } from 'vitest';
import { ALL_BACKENDS, drawCase, formatSummary, runFuzz } from '../oracle/fuzz.js';
import { requireOracle } from './oracle-session.js';

const unavailable = requireOracle();

describe('the fuzzer', () => {
  test('draws the same case from the same seed and index, and another from another index', () => {
    expect(JSON.stringify(drawCase(7, 3))).toBe(JSON.stringify(drawCase(7, 3)));
    expect(JSON.stringify(drawCase(7, 3))).not.toBe(JSON.stringify(drawCase(7, 4)));
  });
});

describe.skipIf(unavailable !== null)(`differential fuzzing against real Keras${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  test('240 fixed-seed cases on ts and tfjs: every difference is documented or a known bug', async () => {
    const summary = await runFuzz({ cases: 240, seed: 1, backends: ['ts', 'tfjs'], casesDir: null, shrink: false, trainFraction: 0.2 });
    const text = formatSummary(summary);
    expect(summary.cases).toBe(240);
    expect(summary.trained).toBeGreaterThan(20);
    expect(summary.unexplained, text).toBe(0);
  }, 900_000);

  test('40 more fixed-seed cases on every backend: every difference is documented or a known bug', async () => {
    const summary = await runFuzz({ cases: 40, from: 240, seed: 1, backends: [...ALL_BACKENDS], casesDir: null, shrink: false, trainFraction: 0.2 });
    const text = formatSummary(summary);
    expect(summary.cases).toBe(40);
    expect(summary.trained).toBeGreaterThan(0);
    expect(summary.unexplained, text).toBe(0);
  }, 600_000);
});
