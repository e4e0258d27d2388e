/** Every harness case table, by family (the coverage test reads them all). */
import { CONV_POOL_CASES } from './conv-pool.js';
import { CORE_CASES } from './core.js';
import { MERGE_NORM_ATTENTION_CASES } from './merge-norm-attention.js';
import { MODELS_LEGACY_CASES } from './models-legacy.js';
import { RECURRENT_CASES } from './recurrent.js';
import type { HarnessCase } from '../harness.js';

export const CASE_TABLES: Readonly<Record<string, Readonly<Record<string, HarnessCase>>>> = {
  core: CORE_CASES,
  'conv-pool': CONV_POOL_CASES,
  'merge-norm-attention': MERGE_NORM_ATTENTION_CASES,
  recurrent: RECURRENT_CASES,
  'models-legacy': MODELS_LEGACY_CASES,
};
