import { matmulF32 } from '../../../packages/backend-ts/src/kernels/matmul-core';
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const shapes = [[100352, 16, 27], [100352, 48, 8], [25088, 48, 8], [25088, 8, 48], [6272, 96, 16], [6272, 16, 96], [1568, 144, 24], [1568, 24, 144], [392, 1280, 112], [512, 512, 512], [32, 512, 784], [784, 512, 32]];
for (const [M, N, K] of shapes) {
  const a = rnd(M * K), b = rnd(K * N), o = new Float32Array(M * N);
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage();
    matmulF32(a, b, o, 1, M, N, K, false, false, 0, 0);
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000);
  }
  console.log(`M=${M} N=${N} K=${K}: ${best.toFixed(2)} ms cpu, ${(2 * M * N * K / best / 1e6).toFixed(2)} GFLOP/s`);
}
