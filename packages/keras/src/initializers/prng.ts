/** A seeded generator of uniform [0, 1) and standard normal numbers for initializers. */
export class Prng {
  private s: number;
  private spare: number | null = null;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  uniform(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }
  /** A normal sample redrawn until it lies within two standard deviations (as TensorFlow). */
  truncatedNormal(): number {
    for (;;) {
      const v = this.normal();
      if (Math.abs(v) <= 2) return v;
    }
  }
}

let unseeded = 1337;

/** The generator for an initializer: its seed when given, else a fresh one per call. */
export function prngFor(seed: number | null): Prng {
  return new Prng(seed ?? (unseeded = (Math.imul(unseeded, 1103515245) + 12345) >>> 0));
}
