export { GaussianLayer, type GaussianLayerArgs } from './gaussian-layer.js';
export { GaussianNoise, type GaussianNoiseArgs } from './gaussian-noise.js';
export { GaussianDropout, type GaussianDropoutArgs } from './gaussian-dropout.js';
export { AlphaDropout, type AlphaDropoutArgs } from './alpha-dropout.js';
