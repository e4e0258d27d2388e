/** The command line of the bench's profiling tools (profile, tfjs-profile, onnx-profile, ablation), read with Node's `util.parseArgs`. */
import { parseArgs } from 'node:util';
import { UsageError } from '../usage-error.js';

/** A tool's options: each `--name value` (a string) or `--name` alone (a boolean). */
export type ToolOptions = Readonly<Record<string, 'string' | 'boolean'>>;

/** The values read: a string per string option given, true per boolean option given. */
export type ToolValues<O extends ToolOptions> = { [K in keyof O]?: O[K] extends 'string' ? string : boolean };

/**
 * Reads `argv` (`--name value` or `--name=value`; a `--`, which pnpm may pass through, is
 * ignored). Throws naming the argument for an unknown one, a positional, a string option without
 * a value and a boolean one given a value, followed by `usage`.
 *
 * @example toolArgs(['--filter', 'lenet', '--nodes'], { filter: 'string', nodes: 'boolean' }, usage) // { filter: 'lenet', nodes: true }
 */
export function toolArgs<O extends ToolOptions>(argv: readonly string[], options: O, usage: string): ToolValues<O> {
  const args = argv.filter((a) => a !== '--');
  const config = Object.fromEntries(Object.entries(options).map(([name, type]) => [name, { type }]));
  // Not strict: each token is checked here, so every refusal names the argument as it was typed.
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | boolean> = {};
  for (const t of tokens) {
    const typed = args[t.index];
    if (t.kind !== 'option' || !Object.hasOwn(options, t.name) || t.rawName !== `--${t.name}`) throw new UsageError(`unknown argument ${typed}\n${usage}`);
    if (options[t.name] === 'boolean') {
      if (t.inlineValue) throw new UsageError(`${t.rawName} takes no value, got '${typed}'\n${usage}`);
      values[t.name] = true;
    } else {
      if (t.value === undefined) throw new UsageError(`${t.rawName} needs a value\n${usage}`);
      values[t.name] = t.value;
    }
  }
  return values as ToolValues<O>;
}
