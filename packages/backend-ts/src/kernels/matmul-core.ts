// Placeholder written by the lead so that the backend loads while the tuned kernel is written:
// a plain, correct loop. Replace wholesale.
export function matmulF32(
  a: Float32Array, b: Float32Array, out: Float32Array,
  batch: number, M: number, N: number, K: number,
  transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number,
  _scratch?: (size: number) => Float32Array,
): void {
  for (let p = 0; p < batch; p++) {
    const ao = p * aBatchStride;
    const bo = p * bBatchStride;
    const oo = p * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[ao + (transA ? k * M + i : i * K + k)] * b[bo + (transB ? j * K + k : k * N + j)];
        out[oo + i * N + j] = s;
      }
    }
  }
}
