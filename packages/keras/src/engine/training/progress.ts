import { CallbackList, type Callback } from '../../callbacks/callback.js';
import { ProgbarLogger } from '../../callbacks/progbar.js';
import type { Trainer } from '../trainer.js';

/**
 * The callbacks of an `evaluate` or `predict` call: the progress bar first when `verbose` is 1 or
 * 2 ('auto' is 1), then the user's; each given the model and the call's params (steps, verbose).
 * Unlike Keras 2, whose default is 'auto', the bar is printed only when `verbose` is given: a
 * library called by servers and tools must not write to stdout unasked.
 */
export function testCallbacks(model: Trainer, verbose: 0 | 1 | 2 | 'auto' | undefined, steps: number, user: readonly Callback[] | undefined): CallbackList {
  const v = verbose === 'auto' ? 1 : (verbose ?? 0);
  const list = new CallbackList([...(v ? [new ProgbarLogger({ verbose: v })] : []), ...(user ?? [])]);
  for (const cb of list.callbacks) {
    cb.setModel(model);
    cb.setParams({ steps, verbose: v });
  }
  return list;
}
