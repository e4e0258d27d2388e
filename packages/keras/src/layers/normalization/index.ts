export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.js';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.js';
export { GroupNormalization, type GroupNormalizationArgs } from './group-normalization.js';
export { UnitNormalization, type UnitNormalizationArgs } from './unit-normalization.js';
