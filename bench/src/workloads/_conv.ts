import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
const be = createTsBackend();
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const cases: [string, number[], number[], ops.ConvOptions][] = [
  ['lenet conv1', [256, 28, 28, 1], [5, 5, 1, 6], {}],
  ['lenet conv2', [256, 12, 12, 6], [5, 5, 6, 16], {}],
  ['mnv2 stem', [8, 224, 224, 3], [3, 3, 3, 16], { strides: 2, padding: 'same' }],
  ['3x3x32 same', [1, 64, 64, 32], [3, 3, 32, 32], { padding: 'same' }],
  ['3x3x64 same', [4, 32, 32, 64], [3, 3, 64, 64], { padding: 'same' }],
];
for (const [name, xs, ws, o] of cases) {
  const exe = be.compile(trace((x, w) => ops.conv(x, w, o), [{ shape: xs, dtype: 'float32' }, { shape: ws, dtype: 'float32' }]));
  const ins = [{ shape: xs, dtype: 'float32' as const, data: rnd(xs.reduce((a, b) => a * b)) }, { shape: ws, dtype: 'float32' as const, data: rnd(ws.reduce((a, b) => a * b)) }];
  let best = Infinity; let flops = 0;
  for (let r = 0; r < 10; r++) { const c0 = process.cpuUsage(); const [y] = exe.runSync(ins); const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000); flops = 2 * y.data.length * ws[0] * ws[1] * ws[2]; }
  console.log(name.padEnd(14), best.toFixed(2), 'ms cpu', (flops / best / 1e6).toFixed(2), 'GFLOP/s');
}
