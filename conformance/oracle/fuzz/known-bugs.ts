/**
 * keras-ts bugs the fuzzer found that are not fixed yet: keras-ts departs from Keras 2 (and Keras 3
 * agrees with Keras 2). A case one of these explains is counted under it instead of being shrunk
 * again; each stays an undocumented difference (the CLI exits with 1) until it is fixed and its
 * entry removed. The first case of each was shrunk and written under cases-handwritten/fuzz/.
 */
import type { FuzzCase } from './check.js';
import type { Explanation } from './divergences.js';

const hasMask = (c: FuzzCase) => c.model.nodes.some((n) => n.layer.class_name === 'Masking' || (n.layer.class_name === 'Embedding' && n.layer.config.mask_zero === true));

export const KNOWN_BUGS: readonly Explanation[] = [
  {
    kind: 'bug',
    id: 'loss-ignores-output-mask',
    what: "fit / computeLossAndGradients ignore the mask of the model's output: Keras weights the loss by it and averages over the valid entries only (a masked time step adds nothing), keras-ts averages over every entry",
    source: 'tf_keras/engine/compile_utils.py:276 (`sw = losses_utils.apply_mask(y_p, sw, losses_utils.get_mask(y_p))`) and tf_keras/losses.py:145-159 (Loss.__call__: `losses_utils.apply_valid_mask(losses, sample_weight, mask, reduction)`, dividing by the valid count)',
    explains: (c, f) => f.phase === 'train' && f.kind === 'value' && hasMask(c),
  },
];
