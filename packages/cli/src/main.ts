#!/usr/bin/env node
/**
 * keras-ts on the command line: `summary`, `predict` and `convert` for Keras model files.
 * `main(argv, io)` runs one command in-process and returns its exit code; running this file
 * runs it on the process's arguments.
 */
import { getLimits, printable, setLimits } from '@keras-ts/keras';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { convertCommand, CONVERT_USAGE } from './commands/convert.js';
import { predictCommand, PREDICT_USAGE } from './commands/predict.js';
import { summaryCommand, SUMMARY_USAGE } from './commands/summary.js';
import { LIMIT_USAGE, takeLimits } from './limits.js';
import { CliError, oneLine, UsageError, type CliIO, type Ctx } from './util.js';

export type { CliIO } from './util.js';

export const USAGE = `usage: keras-ts COMMAND [options]

  summary FILE                        print Keras' summary table of a model file
  predict FILE --input T.json         run the model on JSON tensors; print or write its outputs
  convert IN OUT                      convert between .keras, .h5, .weights.h5, TF.js model.json,
                                      Keras JSON and .onnx

Model files: .keras archives, legacy .h5 models, TF.js model.json, Keras JSON (model.to_json()).
Run 'keras-ts COMMAND --help' for a command's options. Relative paths resolve against the
directory the command was run from (INIT_CWD under pnpm). Exits 0 on success, 1 on an error,
2 on a usage error; errors are one line on stderr.

Model files are read as untrusted: sizes, counts and depths past a limit are refused with the
limit's name and how to raise it (--limit NAME=VALUE).
${LIMIT_USAGE}`;

const COMMANDS: Record<string, { run: (argv: readonly string[], ctx: Ctx) => Promise<number>; usage: string }> = {
  summary: { run: summaryCommand, usage: SUMMARY_USAGE },
  predict: { run: predictCommand, usage: PREDICT_USAGE },
  convert: { run: convertCommand, usage: CONVERT_USAGE },
};

/**
 * Runs the CLI with `argv` (without the program name) and returns its exit code: 0 on success,
 * 1 when the command failed (missing file, unknown format, bad input...), 2 on a usage error.
 * Failures print one line, `keras-ts: ...`, to `io.err`.
 *
 * @example process.exitCode = await main(['summary', 'model.keras']);
 */
export async function main(argv: readonly string[], io: CliIO = {}): Promise<number> {
  const base = {
    cwd: io.cwd ?? process.env.INIT_CWD ?? process.cwd(),
    out: io.out ?? ((s: string) => process.stdout.write(`${s}\n`)),
    err: io.err ?? ((s: string) => process.stderr.write(`${s}\n`)),
  };
  const [name, ...given] = argv;
  let taken: ReturnType<typeof takeLimits>;
  try {
    taken = takeLimits(given);
  } catch (e) {
    base.err(`keras-ts ${name ?? ''}: ${(e as Error).message} (see keras-ts --help)`);
    return 2;
  }
  const rest = taken.rest;
  const ctx: Ctx = { ...base, inputBytes: taken.limits.inputBytes };
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) {
      ctx.err(`keras-ts: unknown command '${topic}' (expected ${Object.keys(COMMANDS).join(', ')})`);
      return 2;
    }
    if (name === undefined) {
      ctx.err(USAGE);
      return 2;
    }
    ctx.out(topic ? COMMANDS[topic].usage : USAGE);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    ctx.err(`keras-ts: unknown command '${name}' (expected ${Object.keys(COMMANDS).join(', ')}; see keras-ts --help)`);
    return 2;
  }
  // The limits given hold for this command only (main may run several commands in one process).
  const before = getLimits();
  try {
    setLimits(taken.limits.model);
    return await COMMANDS[name].run(rest, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.err(`keras-ts ${name}: ${e.message} (see keras-ts ${name} --help)`);
      return 2;
    }
    // Messages quote names and paths from files: control characters are escaped.
    ctx.err(printable(`keras-ts ${name}: ${oneLine(e)}`));
    if (!(e instanceof CliError) && process.env.KERAS_TS_DEBUG) ctx.err(String((e as Error).stack));
    return 1;
  } finally {
    setLimits(before);
  }
}

const isMain = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
})();
if (isMain) process.exitCode = await main(process.argv.slice(2));
