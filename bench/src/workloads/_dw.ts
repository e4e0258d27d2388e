import { createTsBackend } from '@keras-ts/backend-ts';
import { ops, trace } from '@keras-ts/spec';
const be = createTsBackend();
function rnd(n: number) { const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5; return a; }
const B = 8, H = 112, W = 112, C = 48;
for (const fuse of [false, true]) {
  const g = trace((x, w, s, t) => {
    const y = ops.depthwiseConv(x, w, { padding: 'same' });
    return fuse ? ops.clip(ops.relu(ops.add(ops.mul(y, s), t)), 0, 6) : y;
  }, [{ shape: [B, H, W, C], dtype: 'float32' }, { shape: [3, 3, C, 1], dtype: 'float32' }, { shape: [C], dtype: 'float32' }, { shape: [C], dtype: 'float32' }]);
  const exe = be.compile(g);
  const ins = [{ shape: [B, H, W, C], dtype: 'float32' as const, data: rnd(B * H * W * C) }, { shape: [3, 3, C, 1], dtype: 'float32' as const, data: rnd(9 * C) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }, { shape: [C], dtype: 'float32' as const, data: rnd(C) }];
  let best = Infinity; for (let r = 0; r < 12; r++) {
    const c0 = process.cpuUsage(); const t0 = performance.now();
    exe.runSync(ins);
    const c = process.cpuUsage(c0);
    const flops = 2 * B * H * W * C * 9;
    best = Math.min(best, (c.user + c.system) / 1000); void flops; void t0;
  }
  console.log(fuse ? 'fused' : 'plain', best.toFixed(1), 'ms cpu (min of 12)');
}
