/** Runs the CLI in-process (as c8 tests its argument parsing), capturing what it writes and its exit code. */
import type { CliIo } from '../../apps/cli/io';
import { main } from '../../apps/cli/main';

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number | undefined;
}

/** `rnn-parity ...args`; leaves process.exitCode as it found it (undefined). */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  const captured = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (text) => {
      captured.stdout += text;
    },
    stderr: (text) => {
      captured.stderr += text;
    },
  };
  process.exitCode = undefined;
  await main(args, io);
  const exitCode = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { ...captured, exitCode };
}
