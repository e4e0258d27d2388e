import { Prng } from '../initializers/prng.js';

/**
 * The seeded random numbers of `preprocessing` (the role of NumPy's `np.random` there): uniform
 * draws, integers, choices and permutations. The same seed gives the same numbers; they are not
 * NumPy's numbers (NumPy's generator is not reproduced), so augmented images differ from Keras'
 * for the same seed.
 */
export class RandomState {
  private prng: Prng;

  /** A generator seeded with `seed`, or with a fresh seed when none is given. */
  constructor(seed?: number | null) {
    this.prng = new Prng(seed ?? freshSeed());
  }

  /** Restarts the generator from `seed` (NumPy's `np.random.seed(seed)`). */
  reseed(seed: number): void {
    this.prng = new Prng(seed);
  }

  /** A uniform number in [0, 1). */
  random(): number {
    return this.prng.uniform();
  }

  /** A uniform number in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.prng.uniform();
  }

  /** An integer in [low, high). */
  randint(low: number, high: number): number {
    return low + Math.floor(this.prng.uniform() * (high - low));
  }

  /** One of `values`. */
  choice<T>(values: readonly T[]): T {
    return values[this.randint(0, values.length)];
  }

  /** A random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.randint(0, i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** A seed for a generator given none. */
function freshSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
