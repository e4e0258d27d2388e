/**
 * Imported first by main.ts, before backend-ts loads: with `--profile` on the command line,
 * backend-ts times each step of its graphs (it reads KERAS_TS_PROFILE when it loads), in process
 * CPU time unless the caller set KERAS_TS_PROFILE already.
 */
function profileEnv(argv: readonly string[], env: Record<string, string | undefined>): void {
  if (argv.includes('--profile')) env.KERAS_TS_PROFILE ??= 'cpu';
}

profileEnv(process.argv.slice(2), process.env);
