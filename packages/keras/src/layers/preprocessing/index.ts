export { Rescaling, type RescalingArgs } from './rescaling';
export { Normalization, type NormalizationArgs } from './normalization';
