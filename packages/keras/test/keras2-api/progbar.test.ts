import { describe, expect, it, vi } from 'vitest';
import { Progbar } from '../../src/callbacks/progbar.js';
import { mlp, linearData } from '../engine/helpers.js';

/** A bar on a fake clock, collecting what it writes. */
function bar(target: number | null, verbose = 1) {
  let t = 100;
  const out: string[] = [];
  const b = new Progbar({ target, verbose, now: () => t, write: (s) => out.push(s) });
  return { b, out, tick: (s: number) => (t += s) };
}

/** What a terminal shows after the writes: backspaces and carriage returns redraw the line. */
function screen(writes: readonly string[]): string[] {
  const lines: string[] = [''];
  for (const w of writes) {
    for (const ch of w) {
      if (ch === '\b') continue;
      if (ch === '\r') lines[lines.length - 1] = '';
      else if (ch === '\n') lines.push('');
      else lines[lines.length - 1] += ch;
    }
  }
  return lines;
}

describe('Progbar, as Keras 2 prints it', () => {
  it('the finished line: whole seconds, then the time per step, then the values', () => {
    const { b, out, tick } = bar(4);
    for (let i = 1; i <= 4; i++) {
      tick(0.25);
      b.update(i, [['loss', 1 / i]]);
    }
    // Keras 2: " - 1s" elapsed (%.0f), per step measured after the first step: 0.25 s -> 250ms/step.
    expect(screen(out)[0]).toBe('4/4 [==============================] - 1s 250ms/step - loss: 0.5208');
    // Each write starts by backspacing over the previous width, then a carriage return.
    expect(out[1].startsWith('\b'.repeat(out[0].length - 1) + '\r')).toBe(true);
  });

  it('the ETA leaves out the first step (compile time) and prints m:ss above a minute', () => {
    const { b, out, tick } = bar(100);
    tick(30); // step 1 takes 30 s (tracing and compiling)
    b.update(1);
    expect(out.at(-1)).toContain(' - ETA: 49:30'); // first step: 30 s x 99 left
    tick(2); // then 2 s a step
    b.update(2);
    expect(out.at(-1)).toMatch(/ - ETA: 3:16 *$/); // 2 s x 98 = 196 s = 3:16
    tick(2 * 90);
    b.update(92);
    expect(out.at(-1)).toMatch(/ - ETA: 16s *$/);
  });

  it('us/step for fast steps and h:mm:ss for long ETAs', () => {
    const fast = bar(3);
    for (let i = 1; i <= 3; i++) {
      fast.tick(0.0004);
      fast.b.update(i);
    }
    expect(screen(fast.out)[0]).toBe('3/3 [==============================] - 0s 400us/step');
    const slow = bar(10000);
    slow.tick(2);
    slow.b.update(1);
    slow.tick(2);
    slow.b.update(2);
    expect(slow.out.at(-1)).toMatch(/ - ETA: 5:33:16 *$/); // 2 s x 9998
  });

  it('pads a line that got shorter, and redraws no faster than every 50 ms unless finished', () => {
    const { b, out, tick } = bar(20);
    tick(1);
    b.update(1, [['loss', 123.456789]]);
    const n = out.length;
    tick(0.01);
    b.update(2, [['loss', 1]]);
    expect(out.length).toBe(n); // within the interval: not drawn
    tick(0.1);
    b.update(3, [['loss', 0.5]]);
    const prev = out[n - 1].replace(/^[\b\r]+/, '');
    const last = out.at(-1)!.replace(/^[\b\r]+/, '');
    // The loss is averaged over steps (not stateful): and the line is padded to the previous width.
    expect(last.length).toBeGreaterThanOrEqual(prev.length);
    expect(last).toMatch(/^ 3\/20 \[===>\.+\] - ETA: \ds - loss: \d+\.\d{4} *$/);
  });

  it('stateful values are shown as given; small ones as %.4e', () => {
    const { b, out, tick } = bar(2);
    b.setStatefulMetrics(['acc']);
    tick(1);
    b.update(1, [['acc', 0.5], ['tiny', 0.0001]]);
    tick(1);
    b.update(2, [['acc', 0.75], ['tiny', 0.0001]]);
    expect(screen(out)[0]).toBe('2/2 [==============================] - 2s 1s/step - acc: 0.7500 - tiny: 1.0000e-04');
  });

  it('an unknown target counts steps; verbose 2 prints only the finished line', () => {
    const u = bar(null);
    u.tick(0.5);
    u.b.update(5);
    expect(screen(u.out)[0]).toBe('      5/Unknown - 0s 100ms/step');
    const v2 = bar(2, 2);
    v2.tick(0.2);
    v2.b.update(1, [['loss', 2]]);
    expect(v2.out).toEqual([]);
    v2.tick(0.2);
    v2.b.update(2, [['loss', 4]]);
    expect(v2.out).toEqual(['2/2 - 0s - loss: 3.0000 - 400ms/epoch - 200ms/step\n']);
  });
});

describe('evaluate and predict with verbose 1 print Keras 2\'s bar', () => {
  async function capture(run: () => Promise<unknown>): Promise<string> {
    let text = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((text += String(s)), true));
    try {
      await run();
    } finally {
      spy.mockRestore();
    }
    return text;
  }
  it("evaluate: the steps, time and the logs; predict: the steps and time; Keras 2's default 'auto' is 1, verbose 0 is silent", async () => {
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const { x, y } = linearData(10, 4);
    const ev = screen([await capture(() => m.evaluate(x, y, { batchSize: 4, verbose: 1 }))]);
    expect(ev.at(-2)).toMatch(/^3\/3 \[==============================\] - \d+s \d+(s|ms|us)\/step - loss: \d+\.\d{4} - mae: \d+\.\d{4}$/);
    const pr = screen([await capture(() => m.predict(x, { batchSize: 4, verbose: 1 }))]);
    expect(pr.at(-2)).toMatch(/^3\/3 \[==============================\] - \d+s \d+(s|ms|us)\/step$/);
    expect(screen([await capture(() => m.predict(x, { batchSize: 4 }))]).at(-2)).toMatch(/^3\/3 \[=+\] - \d+s \d+(s|ms|us)\/step$/);
    expect(screen([await capture(() => m.evaluate(x, y, { batchSize: 4, verbose: 'auto' }))]).at(-2)).toMatch(/^3\/3 \[=+\] - .* - loss: \d+\.\d{4} - mae: \d+\.\d{4}$/);
    expect(await capture(() => m.predict(x, { verbose: 0 }))).toBe('');
    expect(await capture(() => m.evaluate(x, y, { verbose: 0 }))).toBe('');
    // The generator methods keep Keras 2's verbose=0 default; trainOnBatch and friends print nothing.
    expect(await capture(() => m.predictGenerator([x]))).toBe('');
    expect(await capture(() => m.testOnBatch(x, y))).toBe('');
    expect(screen([await capture(() => m.evaluateGenerator([[x, y]], { verbose: 1 }))]).at(-2)).toMatch(/^1\/1 \[=+\] - .* - loss: /);
    const ev2 = await capture(() => m.evaluate(x, y, { batchSize: 4, verbose: 2 }));
    expect(ev2).toMatch(/^3\/3 - \ds - loss: \d+\.\d{4} - mae: \d+\.\d{4} - \d+(s|ms|us)\/epoch - \d+(s|ms|us)\/step\n$/);
  });
});
