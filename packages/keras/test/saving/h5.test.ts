import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { readStringAttr, readStringListAttr, withH5, writeStringListAttr, writeVlenStringAttr } from '../../src/saving/hdf5-sandbox.js';
import { sniff } from '../../src/saving/io.js';
import { tempDir } from './helpers.js';

describe('HDF5 strings as Keras writes them', () => {
  test('long lists are split into name0, name1, ... (numpy array_split) and read back whole', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `layer_${String(i).padStart(4, '0')}_${'x'.repeat(89)}`);
    const file = join(tempDir(), 'chunks.h5');
    await withH5(file, 'w', (f) => writeStringListAttr(f, 'layer_names', names, file));
    await withH5(file, 'r', (f) => {
      // 1000 strings of 100 bytes = 100000 bytes > 64512: two chunks of 500.
      expect(Object.keys(f.attrs).sort()).toEqual(['layer_names0', 'layer_names1']);
      expect((f.attrs.layer_names0.value as string[]).length).toBe(500);
      expect(readStringListAttr(f, 'layer_names')).toEqual(names);
    });
  });

  test('fixed-length (NUL-padded) and variable-length strings both read', async () => {
    const file = join(tempDir(), 'strings.h5');
    await withH5(file, 'w', (f) => {
      writeStringListAttr(f, 'fixed', ['a', 'dense/kernel:0', ''], file);
      f.create_attribute('vlen', ['a', 'dense/kernel:0'], null, 'S');
      writeVlenStringAttr(f, 'one', 'torch', 'utf8');
      writeStringListAttr(f, 'empty', [], file);
    });
    await withH5(file, 'r', (f) => {
      expect(readStringListAttr(f, 'fixed')).toEqual(['a', 'dense/kernel:0', '']);
      expect(readStringListAttr(f, 'vlen')).toEqual(['a', 'dense/kernel:0']);
      expect(readStringAttr(f, 'one')).toBe('torch');
      expect(readStringListAttr(f, 'empty')).toEqual([]);
      expect(readStringListAttr(f, 'absent')).toBeNull();
    });
  });

  test('file kinds are recognised by content', () => {
    expect(sniff(new Uint8Array([0x50, 0x4b, 3, 4]))).toBe('zip');
    expect(sniff(new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('hdf5');
    const userBlock = new Uint8Array(520);
    userBlock.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 512);
    expect(sniff(userBlock)).toBe('hdf5');
    expect(sniff(new TextEncoder().encode('  \n{"a": 1}'))).toBe('json');
    expect(sniff(new TextEncoder().encode('hello'))).toBe('unknown');
  });
});
