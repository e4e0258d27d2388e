export { GaussianNoise, type GaussianNoiseArgs } from './gaussian-noise';
export { GaussianDropout, type GaussianDropoutArgs } from './gaussian-dropout';
export { AlphaDropout, type AlphaDropoutArgs } from './alpha-dropout';
