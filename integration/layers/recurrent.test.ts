/** The layer harness (harness.ts) on every backend: the recurrent cases (cases/recurrent.ts). */
import { describeLayerHarness } from './harness.js';
import { RECURRENT_CASES } from './cases/recurrent.js';

await describeLayerHarness('layer harness: recurrent', RECURRENT_CASES);
