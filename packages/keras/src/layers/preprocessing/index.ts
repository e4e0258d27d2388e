export { Rescaling, type RescalingArgs } from './rescaling.js';
export { Normalization, type NormalizationArgs } from './normalization.js';
