/**
 * In a browser build (`#platform` resolving to platform/browser.ts) the TensorBoard callback
 * fails when it is made, saying why, instead of failing at the first write or breaking the bundle.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('#platform', () => import('../../src/platform/browser.js'));

describe('TensorBoard in a browser build', () => {
  it('refuses to be made: there is no file system', async () => {
    const { TensorBoard } = await import('../../src/callbacks/tensorboard/tensorboard.js');
    expect(() => new TensorBoard('logs')).toThrow(/^TensorBoard: writing event files needs a file system, and this build has none \(a browser\)/);
  });
});
