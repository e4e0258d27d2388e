/** The element types every backend knows. `bool` is stored one byte per element (0 or 1). */
export type DType = 'float32' | 'int32' | 'bool';

/** Every dtype, in a fixed order. */
export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The flat, row-major storage of a tensor of each dtype. */
export type DataArray = Float32Array | Int32Array | Uint8Array;

/** Allocates zeroed storage for `size` elements of `dtype`. */
export function allocData(dtype: DType, size: number): DataArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

/** The dtype a typed array stores. */
export function dtypeOfData(data: DataArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

/** Whether `dtype` is a floating-point dtype (only float32 is). */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}
