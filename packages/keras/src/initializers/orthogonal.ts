import type { DType } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { Tensor } from '../tensor.js';
import { allocData } from '@keras-ts/spec';
import { Initializer } from './initializer.js';
import { prngFor } from './prng.js';
import { zSeed } from './random.js';
import { KerasShapeError } from '../errors.js';

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a normal matrix, times `gain`; for
 * shapes of rank > 2 the matrix is prod(shape[:-1]) x shape[-1]. The recurrent kernels'
 * default.
 */
export class Orthogonal extends Initializer {
  static override readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed: number | null;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super();
    const a = parseArgs(z.object({ gain: z.number().default(1), seed: zSeed }), args, 'Orthogonal');
    this.gain = a.gain;
    this.seed = a.seed ?? null;
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    if (shape.length < 2) throw new KerasShapeError(`Orthogonal: the shape must have rank 2 or more, got [${shape}]`);
    const cols = shape.at(-1)!;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const [m, n] = rows < cols ? [cols, rows] : [rows, cols]; // m >= n
    const r = prngFor(this.seed);
    // Modified Gram-Schmidt on the n columns of an m x n normal matrix (QR with R's diagonal made positive).
    const q: number[][] = Array.from({ length: n }, () => Array.from({ length: m }, () => r.normal()));
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < j; k++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[j][i] * q[k][i];
        for (let i = 0; i < m; i++) q[j][i] -= d * q[k][i];
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += q[j][i] * q[j][i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < m; i++) q[j][i] /= norm;
    }
    const data = allocData(dtype, rows * cols);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) data[i * cols + j] = this.gain * (rows < cols ? q[i][j] : q[j][i]);
    }
    return new Tensor(shape, dtype, data);
  }
  override getConfig() {
    return { gain: this.gain, seed: this.seed };
  }
  /** Rebuilds an Orthogonal from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>) {
    return new Orthogonal(c as ConstructorParameters<typeof Orthogonal>[0]);
  }
}

/** The identity matrix times `gain` (2-D shapes only). */
export class Identity extends Initializer {
  static override readonly className = 'Identity';
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = parseArgs(z.object({ gain: z.number().default(1) }), args, 'Identity').gain;
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    if (shape.length !== 2) throw new KerasShapeError(`Identity: the shape must have rank 2, got [${shape}]`);
    const data = allocData(dtype, shape[0] * shape[1]);
    for (let i = 0; i < Math.min(shape[0], shape[1]); i++) data[i * shape[1] + i] = this.gain;
    return new Tensor(shape, dtype, data);
  }
  override getConfig() {
    return { gain: this.gain };
  }
  /** Rebuilds an Identity from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>) {
    return new Identity(c as ConstructorParameters<typeof Identity>[0]);
  }
}

registerClass('initializer', Orthogonal, 'orthogonal');
registerClass('initializer', Identity, 'identity');
