export { Initializer } from './initializer.js';
export { Zeros, Ones, Constant } from './constant.js';
export { RandomNormal, RandomUniform, TruncatedNormal } from './random.js';
export { VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, computeFans } from './variance-scaling.js';
export { Orthogonal, Identity } from './orthogonal.js';
