/** The layer harness (harness.ts) on every backend: the core cases (cases/core.ts). */
import { describeLayerHarness } from './harness.js';
import { CORE_CASES } from './cases/core.js';

await describeLayerHarness('layer harness: core', CORE_CASES);
