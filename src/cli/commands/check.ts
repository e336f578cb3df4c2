/** The default command: one parity check (or one per backend with --backend all), printed for people or as JSON. */
import { runCheck } from '../../check';
import { EXIT_CODES, exitCodeFor, type ExitCode } from '../exit-codes';
import { formatCheckReport } from '../format-report';
import type { CliIo } from '../io';
import { checkReportObject, errorReportObject, toJson } from '../json-report';
import { checkOptionsFromArgs, type CheckArgs } from '../options';
import { runCheckOnAllBackends } from './check-all';
import { kerasCommand } from './keras';

/**
 * Runs the check the flags describe and writes its report. Never throws: every error becomes one
 * line on stderr (the stack too with --verbose) and an exit code, also in --json mode.
 */
export async function checkCommand(args: CheckArgs, rawArgv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    if (args.keras !== undefined) return await kerasCommand(args, rawArgv, io);
    if (args.backend === 'all') return runCheckOnAllBackends(rawArgv, args.json, io);
    const result = await runCheck(checkOptionsFromArgs(args, args.backend));
    const exitCode = result.report.pass ? EXIT_CODES.pass : EXIT_CODES.toleranceExceeded;
    io.stdout(args.json ? `${toJson(checkReportObject(result, exitCode))}\n` : formatCheckReport(result));
    if (args['save-weights']) {
      io.stderr(
        result.report.pass
          ? `rnn-parity: saved the model to ${args['save-weights']}/model.json and weights.bin\n`
          : `rnn-parity: the check failed, so nothing was saved to ${args['save-weights']}\n`,
      );
    }
    return exitCode;
  } catch (caught) {
    const error = caught instanceof Error ? caught : new Error(String(caught));
    const exitCode = exitCodeFor(error);
    const prefix = exitCode === EXIT_CODES.internal ? 'internal error (please report it, with --verbose output): ' : '';
    io.stderr(`rnn-parity: ${prefix}${error.message.split('\n')[0]}\n`);
    if (args.verbose && error.stack) io.stderr(`${error.stack}\n`);
    if (args.json) io.stdout(`${toJson(errorReportObject(error, exitCode, args.backend))}\n`);
    return exitCode;
  }
}
