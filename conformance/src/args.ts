import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command as users type it (`pnpm conformance` runs the same thing in the keras-ts repository). */
export const COMMAND = 'keras-ts-conformance';

/** The CLI's help text. */
export const USAGE = `usage: ${COMMAND} [options]
       (in the keras-ts repository: pnpm conformance [options])

  --backend NAME|MODULE  ts, tfjs (cpu), tfjs-wasm, onnx, all (default), or a module that exports a Backend
                         (default export, createBackend(), or 'backend'): a path or a package name;
                         repeatable, or a,b
  --cases DIR            a directory of keras-golden/1 cases; repeatable
                         (default: the goldens and hand-written cases shipped with this package)
  --filter GLOB          only case ids matching (* within a segment, ** across; no wildcard =
                         prefix); repeatable
  --skips FILE           use this skip list instead of the package's skips/<backend name>.json
  --no-skips             ignore skip lists (run everything)
  --json FILE            write the per-case results as JSON
  --html FILE            write a self-contained HTML report
  --junit FILE           write JUnit XML (one testsuite per backend) for CI test reports
  --browser              run the backends in headless Chromium (in the keras-ts repository; Chromium
                         at /usr/bin/chromium or KERAS_TS_CHROMIUM): ts, tfjs-wasm, tfjs-webgl, all (default)
  --list                 list the selected case ids and exit
  --verbose, -v          print every case as it runs
  --help, -h             this text

Paths resolve against the directory the command was run from (INIT_CWD under pnpm). Exits 1
when a case fails, 2 on a usage or loading error.`;

/** The parsed command line. */
export interface CliArgs {
  readonly backends: string[];
  readonly cases: string[];
  readonly filters: string[];
  readonly json?: string;
  readonly html?: string;
  readonly junit?: string;
  readonly skips?: string;
  readonly noSkips: boolean;
  readonly list: boolean;
  /** Run the backends in headless Chromium (set only when given). */
  readonly browser?: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

const OPTIONS = {
  backend: { type: 'string', multiple: true },
  cases: { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  skips: { type: 'string' },
  'no-skips': { type: 'boolean' },
  json: { type: 'string' },
  html: { type: 'string' },
  junit: { type: 'string' },
  list: { type: 'boolean' },
  browser: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options'];

/** util.parseArgs' error for a bad command line, as one short line. */
function usageError(e: unknown, argv: readonly string[]): string {
  const { code, message } = e as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unknown argument ${quoted ?? message}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /^Option '(-\w, )?(--[\w-]+)/.exec(message)?.[2] ?? quoted ?? '';
      if (/does not take an argument/.test(message)) return `${flag} takes no value`;
      const name = flag.replace(/^--/, '') as keyof typeof OPTIONS;
      return Object.hasOwn(OPTIONS, name) && OPTIONS[name].type === 'string' ? `${flag} needs a value` : message.split('\n')[0];
    }
    default:
      return `${message.split('\n')[0]} (arguments: ${argv.join(' ')})`;
  }
}

/**
 * Parses the CLI's arguments with util.parseArgs: `--opt value` or `--opt=value`, options that
 * take a file or a glob need a non-empty value, `--backend a,b` is split at commas. Returns the
 * arguments, or the usage error as a string.
 *
 * @example
 * parseCliArgs(['--backend', 'ts,onnx', '--junit', 'report.xml']); // { backends: ['ts', 'onnx'], junit: 'report.xml', ... }
 */
export function parseCliArgs(argv: readonly string[]): CliArgs | string {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (e) {
    return usageError(e, argv);
  }
  for (const name of ['backend', 'cases', 'filter', 'skips', 'json', 'html', 'junit'] as const) {
    const v = values[name];
    if (v !== undefined && (Array.isArray(v) ? v : [v]).some((s) => s === '')) return `--${name} needs a value`;
  }
  return {
    backends: (values.backend ?? []).flatMap((v) => v.split(',')).filter((s) => s !== ''),
    cases: values.cases ?? [],
    filters: values.filter ?? [],
    json: values.json,
    html: values.html,
    junit: values.junit,
    skips: values.skips,
    noSkips: values['no-skips'] ?? false,
    list: values.list ?? false,
    browser: values.browser,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
}
