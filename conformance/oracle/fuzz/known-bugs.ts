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
  {
    kind: 'bug',
    id: 'unrolled-backward-mask-zeroing',
    what: "with unroll=True, a mask, go_backwards (Bidirectional's backward layer) and zero_output_for_mask (which Bidirectional turns on when it returns sequences), Keras 2 (and Keras 3, the same code) zeroes the step outputs where the mask in input order is false while the outputs are still in reversed order, so a padded sequence loses its first real steps' backward outputs instead of the padded ones; keras-ts gives unroll=True the unroll=False result (the masked steps zeroed)",
    source: 'tf_keras/backend.py:4934-4938 (rnn, unrolled branch: `outputs = tf.where(_expand_mask(mask, outputs, fixed_dim=2), outputs, zeros_like(outputs))` with `mask` not reversed, where mask_list was at :4887-4888) and tf_keras/layers/rnn/bidirectional.py:162-168 (force_zero_output_for_mask)',
    explains: (c, f) => {
      const inner = (n: { layer: { class_name: string; config: Record<string, unknown> } }) => n.layer.config.layer as { config: Record<string, unknown> } | undefined;
      return f.kind === 'value' && hasMask(c) && c.model.nodes.some((n) => n.layer.class_name === 'Bidirectional' && inner(n)?.config.unroll === true && inner(n)?.config.return_sequences === true);
    },
  },
];
