/**
 * A bench tool's command line that it cannot run: an unknown argument, a missing or bad value, a
 * combination it refuses. The message names the argument as it was typed (and the usage). Like the
 * CLI's `UsageError`, it is the tool's own error, printed to the terminal, not a `KerasError`.
 *
 * @example throw new UsageError(`unknown argument ${typed}\n${USAGE}`);
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
