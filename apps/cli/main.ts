/**
 * rnn-parity's command line. `rnn-parity --seed 42` runs the default command, the parity check.
 * Exit codes (apps/cli/exit-codes.ts): 0 agree, 1 disagree, 2 bad usage or input, 3 backend unavailable.
 */
import yargs, { type Argv } from 'yargs';
import { EXIT_CODES } from './exit-codes';
import { processIo, type CliIo } from './io';
import { withCheckOptions, type CheckArgs } from './options';
import { checkCommand } from './commands/check';
import { trainMnistCommand, withTrainMnistOptions, type TrainMnistArgs } from './commands/train-mnist';

/** Thrown by .fail() to stop yargs after a usage error has been reported. */
class UsageReported extends Error {}

/**
 * The yargs program. Handlers set process.exitCode; they never call process.exit, so tests can
 * parse in-process: `await buildCli(io).parseAsync(['--seed', '42'])`.
 */
function buildCli(io: CliIo = processIo, rawArgv: readonly string[] = []): Argv {
  return yargs()
    .scriptName('rnn-parity')
    .usage(
      '$0 [--seed S] [--cell simple|lstm|gru] [--backend auto|tensorflow|cpu|wasm|cuda|all] [...]\n\nProve that a TensorFlow.js RNN layer and a hand-written forward pass compute the same thing.',
    )
    .command(
      '$0',
      'check parity: the tfjs layer path against the hand path (the default command)',
      (y) => withCheckOptions(y),
      async (args) => {
        process.exitCode = await checkCommand(args as unknown as CheckArgs, rawArgv, io);
      },
    )
    .command(
      'train-mnist',
      "seed 002: train LSTM(128) on MNIST rows, score it on the test set, check the trained model's parity, save it",
      (y) => withTrainMnistOptions(y),
      async (args) => {
        process.exitCode = await trainMnistCommand(args as unknown as TrainMnistArgs, io, undefined, ['rnn-parity', ...rawArgv].join(' '));
      },
    )
    .example('$0 --seed 42', "seed 003's notebook: SimpleRNN(5) + Dense(2) on [1, 10, 3]")
    .example('$0 --cell lstm --units 128 --features 28 --timesteps 28 --outputs 10 --batch 16', "seed 002's LSTM shape")
    .example('$0 --backend all', 'the same check on every backend, one table')
    .example('$0 --keras model.keras --input x.npy --expect y.npy', "a Keras 3 model: tfjs, the hand path and Keras's own output compared")
    .strict()
    .help()
    .version()
    .wrap(Math.min(120, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error instanceof UsageReported) throw error;
      const oneLine = String(message ?? error?.message).replace(/\s*\n\s*/g, ' ');
      io.stderr(`rnn-parity: ${oneLine} (see rnn-parity --help)\n`);
      process.exitCode = EXIT_CODES.usage;
      throw new UsageReported(message ?? error?.message);
    });
}

/** Entry point of bin/rnn-parity. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<void> {
  try {
    await buildCli(io, argv).parseAsync(argv as string[]);
  } catch (error) {
    if (!(error instanceof UsageReported)) {
      io.stderr(`rnn-parity: internal error: ${(error as Error).message}\n`);
      process.exitCode = EXIT_CODES.internal;
    }
  }
}
