/** The layer harness (harness.ts) on every backend: the models, legacy cases (cases/models-legacy.ts). */
import { describeLayerHarness } from './harness.js';
import { MODELS_LEGACY_CASES } from './cases/models-legacy.js';

await describeLayerHarness('layer harness: models, legacy', MODELS_LEGACY_CASES);
