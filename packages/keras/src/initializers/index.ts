export { Initializer } from './initializer';
export { Zeros, Ones, Constant } from './constant';
export { RandomNormal, RandomUniform, TruncatedNormal } from './random';
export { VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, computeFans } from './variance-scaling';
export { Orthogonal, Identity } from './orthogonal';
