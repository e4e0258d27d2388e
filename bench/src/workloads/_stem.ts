import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
const be = createTsBackend();
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const mode = process.argv[2] ?? 'all';
const [xs, ws, o] = mode.startsWith('exp') ? [[8, 112, 112, 8], [1, 1, 8, 48], {}] : [[8, 224, 224, 3], [3, 3, 3, 16], { strides: 2, padding: 'same' as const }];
const C = ws[3];
for (const ep of ['none', 'bn', 'bnrelu6']) {
  const exe = be.compile(trace((x, w, s, t) => { const y = ops.conv(x, w, o); if (ep === 'none') return y; const z = ops.add(ops.mul(y, s), t); return ep === 'bn' ? z : ops.clip(ops.relu(z), 0, 6); }, [{ shape: xs, dtype: 'float32' }, { shape: ws, dtype: 'float32' }, { shape: [C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }]));
  const ins = [{ shape: xs, dtype: 'float32' as const, data: rnd(xs.reduce((a, b) => a * b)) }, { shape: ws, dtype: 'float32' as const, data: rnd(ws.reduce((a, b) => a * b)) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }];
  let best = Infinity;
  for (let r = 0; r < 10; r++) { const c0 = process.cpuUsage(); exe.runSync(ins); const c = process.cpuUsage(c0); best = Math.min(best, (c.user + c.system) / 1000); }
  console.log(mode, ep.padEnd(8), best.toFixed(2), 'ms cpu');
}
