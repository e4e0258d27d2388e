export { Dense, type DenseArgs } from './dense';
