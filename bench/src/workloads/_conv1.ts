import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
const be = createTsBackend();
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const xs = [256, 28, 28, 1], ws = [5, 5, 1, 6];
const exe = be.compile(trace((x, w) => ops.conv(x, w, {}), [{ shape: xs, dtype: 'float32' }, { shape: ws, dtype: 'float32' }]));
const ins = [{ shape: xs, dtype: 'float32' as const, data: rnd(xs.reduce((a, b) => a * b)) }, { shape: ws, dtype: 'float32' as const, data: rnd(ws.reduce((a, b) => a * b)) }];
for (let r = 0; r < 60; r++) exe.runSync(ins);
