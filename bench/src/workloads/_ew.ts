import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
const be = createTsBackend();
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const C = Number(process.argv[2] ?? 48); const N = 8 * 112 * 112;
const g = trace((x, s, t) => ops.clip(ops.relu(ops.add(ops.mul(x, s), t)), 0, 6), [{ shape: [N, C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }]);
const exe = be.compile(g);
const ins = [{ shape: [N, C], dtype: 'float32' as const, data: rnd(N * C) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }];
let best = Infinity;
for (let r = 0; r < 12; r++) { const c0 = process.cpuUsage(); exe.runSync(ins); const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000); }
console.log('C', C, best.toFixed(1), 'ms cpu', (best * 1e6 / (N * C)).toFixed(2), 'ns/elem (incl. output copy)');
const g2 = trace((x) => ops.neg(x), [{ shape: [N, C], dtype: 'float32' }]);
const e2 = be.compile(g2); best = Infinity;
for (let r = 0; r < 12; r++) { const c0 = process.cpuUsage(); e2.runSync([ins[0]]); const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000); }
console.log('neg', best.toFixed(1), 'ms cpu', (best * 1e6 / (N * C)).toFixed(2), 'ns/elem');
