import type { DType } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { full, type Tensor } from '../tensor.js';
import { Initializer } from './initializer.js';

/**
 * All zeros.
 * @example new Dense({ units: 2, kernelInitializer: new Zeros() })
 */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  /** Takes no arguments (an argument given is refused, naming it). */
  constructor(args: Record<string, never> = {}) {
    super();
    parseArgs(z.object({}), args, 'Zeros');
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, 0, dtype);
  }
  /** Rebuilds a Zeros from its config (what `getConfig` returns). */
  static fromConfig(): Zeros {
    return new Zeros();
  }
}

/** All ones. */
export class Ones extends Initializer {
  static override readonly className = 'Ones';
  /** Takes no arguments (an argument given is refused, naming it). */
  constructor(args: Record<string, never> = {}) {
    super();
    parseArgs(z.object({}), args, 'Ones');
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, 1, dtype);
  }
  /** Rebuilds a Ones from its config (what `getConfig` returns). */
  static fromConfig(): Ones {
    return new Ones();
  }
}

/** One value everywhere. @example new Constant({ value: 0.5 }) */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  readonly value: number;
  constructor(args: { value?: number } = {}) {
    super();
    this.value = parseArgs(z.object({ value: z.number().default(0) }), args, 'Constant').value;
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    return full(shape, this.value, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.value };
  }
  /** Rebuilds a Constant from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>): Constant {
    return new Constant({ value: c.value as number });
  }
}

registerClass('initializer', Zeros, 'zeros', 'zero');
registerClass('initializer', Ones, 'ones', 'one');
registerClass('initializer', Constant, 'constant');
