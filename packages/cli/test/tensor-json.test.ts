import { describe, expect, it } from 'vitest';
import { tensor } from '@keras-ts/keras';
import { outputsToJson, parseInputTensors, tensorToJson } from '../src/tensor-json.js';

describe('JSON tensors', () => {
  it('writes float32 values as the shortest decimals that read back exactly, and NaN/infinities as strings', () => {
    const t = tensor(new Float32Array([0.1, 1 / 3, -2, NaN, Infinity, -Infinity, 1e-30]), [7]);
    const text = tensorToJson(t);
    expect(text).toBe('{"shape": [7], "dtype": "float32", "data": [0.1, 0.33333334, -2, "NaN", "Infinity", "-Infinity", 1e-30]}');
    const back = parseInputTensors(text, 't.json');
    expect(back.kind).toBe('single');
    if (back.kind !== 'single') return;
    expect([...back.tensor.data]).toEqual([...t.data]);
  });

  it('writes int32 tensors and lists of outputs', () => {
    const a = tensor(new Int32Array([1, -2, 3, 4]), [2, 2]);
    expect(outputsToJson([a, a])).toBe(`[\n  ${tensorToJson(a)},\n  ${tensorToJson(a)}\n]\n`);
    expect(tensorToJson(a)).toBe('{"shape": [2, 2], "dtype": "int32", "data": [1, -2, 3, 4]}');
  });

  it('reads a tensor, a list, or tensors by name; int64 reads as int32; null reads as NaN', () => {
    const one = { shape: [2], dtype: 'int64', data: [1, 2] };
    const list = parseInputTensors(JSON.stringify([one, { shape: [1], dtype: 'float32', data: [null] }]), 'f');
    expect(list.kind).toBe('list');
    if (list.kind === 'list') {
      expect(list.tensors[0].dtype).toBe('int32');
      expect(Number.isNaN(list.tensors[1].data[0])).toBe(true);
    }
    const named = parseInputTensors(JSON.stringify({ a: one }), 'f');
    expect(named.kind).toBe('named');
  });

  it('refuses what is not a tensor, naming the file and the problem', () => {
    expect(() => parseInputTensors('[]', 'f.json')).toThrow(/f\.json: an empty list/);
    expect(() => parseInputTensors('{"shape": [2], "dtype": "complex64", "data": [1, 2]}', 'f.json')).toThrow(/unknown dtype "complex64"/);
    expect(() => parseInputTensors('{"shape": [2], "data": [[1], [2]]}', 'f.json')).toThrow(/"data" must be a flat list of numbers/);
    expect(() => parseInputTensors('{"shape": [2], "data": [1, "x"]}', 'f.json')).toThrow(/data\[1\] is "x", not a number/);
    expect(() => parseInputTensors('{"shape": [1], "dtype": "int32", "data": [1.5]}', 'f.json')).toThrow(/not a valid int32 value/);
    expect(() => parseInputTensors('[{"shape": [1], "data": [1]}, 3]', 'f.json')).toThrow(/f\.json: tensor 1: not a tensor/);
  });
});
