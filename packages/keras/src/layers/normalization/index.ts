export { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization';
export { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization';
export { GroupNormalization, type GroupNormalizationArgs } from './group-normalization';
export { UnitNormalization, type UnitNormalizationArgs } from './unit-normalization';
