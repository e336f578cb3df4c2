/**
 * UnsupportedModelError: a model outside what both paths check, with every blocker found, not only the first.
 * Exit code 2 (a ConfigError). Its message's first line sums up; each blocker follows on a line of its own.
 */
import { ConfigError } from '../errors';
import { formatBlocker, type Blocker } from '../layers/read-context';

export class UnsupportedModelError extends ConfigError {
  override name = 'UnsupportedModelError';

  constructor(
    readonly source: string,
    readonly blockers: readonly Blocker[],
  ) {
    // One blocker reads as one line; several as a summary line and one line each.
    super(
      blockers.length === 1
        ? `${source}: expected a model rnn-parity can check, got 1 blocker: ${formatBlocker(blockers[0])}`
        : `${source}: expected a model rnn-parity can check, got ${blockers.length} blockers:\n${blockers.map((b) => `  - ${formatBlocker(b)}`).join('\n')}`,
    );
  }
}

/** @throws UnsupportedModelError when `blockers` holds any. */
export function throwIfBlocked(source: string, blockers: readonly Blocker[]): void {
  if (blockers.length > 0) throw new UnsupportedModelError(source, blockers);
}
