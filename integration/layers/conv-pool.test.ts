/** The layer harness (harness.ts) on every backend: the conv, pool cases (cases/conv-pool.ts). */
import { describeLayerHarness } from './harness.js';
import { CONV_POOL_CASES } from './cases/conv-pool.js';

await describeLayerHarness('layer harness: conv, pool', CONV_POOL_CASES);
