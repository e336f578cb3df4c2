/** The yargs set-up the scripts share (demo, faults, sweeps, bench): strict flags, --help, one-line errors. */
import yargs, { type Argv } from 'yargs';
import { ConfigError } from '../src/errors';

/**
 * A yargs parser for `argv`; add options, then call parseSync().
 * @throws ConfigError (from parseSync) for an unknown flag or a bad choice, with yargs' message on one line.
 */
export function scriptCli(argv: readonly string[], name: string, usage: string): Argv {
  return yargs([...argv])
    .scriptName(name)
    .usage(usage)
    .strict()
    .help()
    .version(false)
    .fail((message, error) => {
      throw error ?? new ConfigError(String(message).replace(/\s*\n\s*/g, ' '));
    });
}
