import { CallbackList, type Callback } from '../../callbacks/callback.js';
import { ProgbarLogger } from '../../callbacks/progbar.js';
import type { Trainer } from '../trainer.js';

/**
 * The callbacks of an `evaluate` or `predict` call: the progress bar first when `verbose` is 1 or
 * 2, then the user's; each given the model and the call's params (steps, verbose). As in Keras 2
 * the default is 'auto', which is 1 (a bar on every call): pass `verbose: 0` for silence.
 */
export function testCallbacks(model: Trainer, verbose: 0 | 1 | 2 | 'auto' | undefined, steps: number | null, user: readonly Callback[] | undefined): CallbackList {
  const v = verbose === 'auto' || verbose === undefined ? 1 : verbose;
  const list = new CallbackList([...(v ? [new ProgbarLogger({ verbose: v })] : []), ...(user ?? [])]);
  for (const cb of list.callbacks) {
    cb.setModel(model);
    cb.setParams({ steps, verbose: v });
  }
  return list;
}
