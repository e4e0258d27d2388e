/** The layer harness (harness.ts) on every backend: the merge, norm, attention cases (cases/merge-norm-attention.ts). */
import { describeLayerHarness } from './harness.js';
import { MERGE_NORM_ATTENTION_CASES } from './cases/merge-norm-attention.js';

await describeLayerHarness('layer harness: merge, norm, attention', MERGE_NORM_ATTENTION_CASES);
