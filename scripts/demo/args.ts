/** The demo's one flag, --backend, parsed with yargs like the CLI's (apps/cli/options.ts). */
import { BACKEND_CHOICES, type BackendChoice } from '../../src/backends/types';
import { scriptCli } from '../script-cli';

interface DemoArgs {
  readonly backend: BackendChoice;
}

/**
 * Parses `[--backend auto|tensorflow|cpu|wasm|cuda]`; `--help` prints usage and exits 0.
 * @throws ConfigError for an unknown flag or backend, with yargs' message on one line.
 */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const args = scriptCli(
    argv,
    'demo',
    '$0 [--backend auto|tensorflow|cpu|wasm|cuda]\n\nThe seed notebooks, walked through: tfjs RNN layers against hand-written loops.',
  )
    .option('backend', { choices: BACKEND_CHOICES, default: 'auto' as BackendChoice, describe: 'auto: tensorflow if tfjs-node loads, else cpu' })
    .parseSync();
  return { backend: args.backend };
}
