/**
 * What every hostile model file must get from readModelFile / readKerasZip: a typed input error
 * (FileFormatError, ShapeError or ConfigError, UnsupportedModelError included: exit code 2) whose message
 * names the file, within the refusal budget (helpers.ts: one second of CPU), never a crash, a hang or
 * another error type.
 *
 * The message is one line, except an UnsupportedModelError's with several blockers: a first line
 * "<file>: expected a model rnn-parity can check, got N blockers:" then exactly one "  - ..." line per
 * blocker (so the CLI prints each on a line of its own) and nothing else. One blocker is one line.
 */
import { UnsupportedModelError } from '../../src/graph/unsupported';
import { expectWithinBudget, isTypedInputError, startTimer } from './helpers';

/** Throws (naming the case) unless `error` is a typed input error whose message names `label` as above. */
function expectModelError(error: unknown, label: string, what: string): asserts error is Error {
  if (!isTypedInputError(error)) {
    throw new Error(
      `${what}: expected ConfigError, ShapeError or FileFormatError, got ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`,
    );
  }
  const [first, ...rest] = error.message.split('\n');
  if (!first.startsWith(`${label}: `) || first.length === label.length + 2) {
    throw new Error(`${what}: expected a message starting "${label}: ", got ${JSON.stringify(error.message.slice(0, 300))}`);
  }
  if (error instanceof UnsupportedModelError) {
    const count = error.blockers.length;
    // One blocker is one line; several are a summary line and one "  - " line each.
    const summary = `${label}: expected a model rnn-parity can check, got ${count === 1 ? '1 blocker: ' : `${count} blockers:`}`;
    const single = count === 1 && first.startsWith(summary) && first.length > summary.length && rest.length === 0;
    const several = count > 1 && first === summary && rest.length === count && rest.every((line) => /^ {2}- \S/.test(line));
    if (!single && !several) {
      throw new Error(`${what}: expected "${summary}" and one "  - " line per blocker, got ${JSON.stringify(error.message.slice(0, 600))}`);
    }
  } else if (rest.length > 0) {
    throw new Error(`${what}: expected a one-line message, got ${JSON.stringify(error.message.slice(0, 600))}`);
  }
}

/** `read` must throw a typed error naming `label` within the budget. Returns the error, for message checks. */
export function modelRefusal(read: () => unknown, label: string, what = 'hostile model file'): Error {
  const start = startTimer();
  let caught: unknown;
  let threw = false;
  try {
    read();
  } catch (error) {
    caught = error;
    threw = true;
  }
  if (!threw) throw new Error(`${what}: expected a refusal, got a successful read`);
  expectModelError(caught, label, what);
  expectWithinBudget(start, what);
  return caught;
}

/** `read` must return or throw a typed error naming `label`, within the budget. Returns 'read' or the error's name. */
export function modelTypedOrRead(read: () => unknown, label: string, what = 'fuzzed model file'): string {
  const start = startTimer();
  let outcome = 'read';
  try {
    read();
  } catch (error) {
    expectModelError(error, label, what);
    outcome = error.name;
  }
  expectWithinBudget(start, what);
  return outcome;
}
