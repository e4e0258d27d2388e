/**
 * Shared set-up of the tests that ask real Keras (the live oracle): call inside a describe block;
 * backend-ts is set, one oracle process runs for the block, and a temporary folder is removed
 * after it. Also the rule that the oracle is required where KERAS_TS_REQUIRE_ORACLE=1 (CI).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { setBackend } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Oracle, oracleUnavailable } from '../oracle/client.js';

/** Why the oracle cannot run (null when it can); throws where CI requires it. */
export function requireOracle(): string | null {
  const why = oracleUnavailable();
  if (why && process.env.KERAS_TS_REQUIRE_ORACLE === '1') throw new Error(why);
  return why;
}

/** Registers the block's oracle and folder; `oracle()` is valid inside its tests. */
export function oracleSession(prefix: string): { oracle: () => Oracle; dir: string } {
  let oracle: Oracle | undefined;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  beforeAll(async () => {
    setBackend(createTsBackend());
    oracle = await Oracle.start();
  }, 120_000);
  afterAll(async () => {
    await oracle?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { oracle: () => oracle!, dir };
}
