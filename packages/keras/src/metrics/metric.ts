import type { DType, Sym } from '@keras-ts/spec';
import type { Serializable } from '../serialization/registry.js';
import { EagerFunctions } from '../engine/eager.js';
import { requireScope } from '../engine/scope.js';
import { Variable } from '../engine/variable.js';
import { full, type Tensor } from '../tensor.js';

/**
 * The base of every metric: state variables, an `updateState` over symbolic tensors that
 * assigns new state, a `result` computed from the state, and `resetState`.
 *
 * Inside a training step the trainer calls `updateState` in the step's graph; on concrete
 * tensors use `update` and `resultValue`.
 */
export abstract class Metric implements Serializable {
  static readonly className: string = 'Metric';
  readonly name: string;
  readonly dtype: DType = 'float32';
  private readonly state: { v: Variable; init: number }[] = [];
  private readonly eager = new EagerFunctions();

  constructor(name: string) {
    this.name = name;
  }

  /** Adds a state variable filled with `init` (restored by `resetState`). */
  protected addState(name: string, shape: readonly number[], init = 0, dtype: DType = 'float32'): Variable {
    const v = new Variable(name, full(shape, init, dtype), false, `${this.name}/${name}`);
    this.state.push({ v, init });
    return v;
  }

  get variables(): Variable[] {
    return this.state.map((s) => s.v);
  }

  /** Updates the state from a batch (inside a traced function: assigns the state variables). */
  abstract updateState(yTrue: Sym, yPred: Sym, sampleWeight?: Sym | null): void;

  /** The metric's value from its state (inside a traced function). */
  abstract result(): Sym;

  /**
   * Restores every state variable to its initial value (`fit` and `evaluate` call it at the start
   * of each epoch or pass).
   */
  resetState(): void {
    for (const { v, init } of this.state) v.assign(full(v.shape, init, v.dtype));
  }

  /** Assigns a state variable inside the traced update. */
  protected assign(v: Variable, value: Sym): void {
    requireScope(`${this.name}.updateState`).assign(v, value);
  }

  /** Updates the state from concrete tensors. */
  async update(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor | null): Promise<void> {
    const inputs = sampleWeight ? [yTrue, yPred, sampleWeight] : [yTrue, yPred];
    await this.eager.run('update', inputs, ([t, p, w]) => {
      this.updateState(t, p, w ?? null);
      return [];
    });
  }

  /** The current result as a concrete tensor. */
  async resultValue(): Promise<Tensor> {
    const [r] = await this.eager.run('result', [], () => [this.result()]);
    return r;
  }

  /**
   * The metric's config in Keras' snake_case wire format: `name` and `dtype`, and the arguments of
   * subclasses.
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }
}
