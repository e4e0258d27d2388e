import { describe, expect, it } from 'vitest';
import { camelToSnake, snakeToCamel, toSnakeCase } from '../src/naming.js';

describe('naming: the two snake_case rules', () => {
  it("toSnakeCase is Keras' rule for class names: words, capitals runs kept together", () => {
    const cases: [string, string][] = [
      ['Dense', 'dense'],
      ['Conv2D', 'conv2d'],
      ['Conv2DTranspose', 'conv2d_transpose'],
      ['BatchNormalization', 'batch_normalization'],
      ['LSTMCell', 'lstm_cell'],
      ['ConvLSTM2D', 'conv_lstm2d'],
      ['ReLU', 're_lu'],
      ['PReLU', 'p_re_lu'],
      ['TopKCategoricalAccuracy', 'top_k_categorical_accuracy'],
      ['MLPModel', 'mlp_model'],
      ['Block2Conv', 'block2_conv'],
      ['My$Layer', 'my_layer'],
    ];
    for (const [name, snake] of cases) expect([name, toSnakeCase(name)]).toEqual([name, snake]);
  });

  it('camelToSnake is the rule for argument names: every capital starts a word, the inverse of snakeToCamel', () => {
    for (const key of ['kernelSize', 'useBias', 'batchInputShape', 'returnAttentionScores', 'l2', 'beta1']) {
      expect(snakeToCamel(camelToSnake(key))).toBe(key);
    }
    expect(camelToSnake('kernelSize')).toBe('kernel_size');
  });

  it('where the two rules differ', () => {
    // A run of capitals is one word in a class name, one word per letter in an argument name.
    expect(toSnakeCase('LSTMCell')).toBe('lstm_cell');
    expect(camelToSnake('LSTMCell')).toBe('_l_s_t_m_cell');
    expect(toSnakeCase('useXLA')).toBe('use_xla');
    expect(camelToSnake('useXLA')).toBe('use_x_l_a');
    // A capital after a digit: part of the word in a class name, a word of its own in an argument name.
    expect(toSnakeCase('Conv2D')).toBe('conv2d');
    expect(camelToSnake('conv2D')).toBe('conv2_d');
  });
});
