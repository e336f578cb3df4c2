/** The CLI's outcomes, mapped once. Library code throws typed errors; only the CLI turns them into codes. */
import { BackendUnavailableError, ConfigError, FileFormatError, ShapeError } from '../../src/errors';

export const EXIT_CODES = {
  /** Parity holds: every element within tolerance. */
  pass: 0,
  /** The check ran and some element is over tolerance (or NaN/Inf, or shapes differ). */
  toleranceExceeded: 1,
  /** Bad usage or input: a flag, a spec, a file. */
  usage: 2,
  /** The backend cannot run here (no tfjs-node binding, no GPU for cuda). */
  backendUnavailable: 3,
  /** A bug in rnn-parity itself: please report it with the output of --verbose. */
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** The exit code for an error thrown by a check. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof BackendUnavailableError) return EXIT_CODES.backendUnavailable;
  if (error instanceof ConfigError || error instanceof ShapeError || error instanceof FileFormatError) return EXIT_CODES.usage;
  return EXIT_CODES.internal;
}
