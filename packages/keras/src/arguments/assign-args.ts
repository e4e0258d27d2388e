/**
 * Copies parsed arguments onto the fields of the same names: a constructor's run of
 * `this.rate = a.rate; this.seed = a.seed; ...` written once. The compiler checks each key of
 * `args` against `target`: a key that is not a field, or a value whose type is not the field's,
 * is a type error. The fields are declared with `declare readonly` (so the class' own field
 * initialisation does not reset them after this call).
 *
 * @example
 * class Noise extends Layer {
 *   declare readonly stddev: number;
 *   constructor(args: NoiseArgs) {
 *     super(args);
 *     assignArgs(this, parseArgs(NoiseArgs, args, 'Noise'));
 *   }
 * }
 */
export function assignArgs<T extends object, K extends keyof T>(target: T, args: { [P in K]: T[P] }): void {
  Object.assign(target, args);
}
