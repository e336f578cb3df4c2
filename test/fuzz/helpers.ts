/**
 * Shared pieces of the fuzz suite: what every hostile input must get (a typed error with a one-line
 * message, within a second; exit code 2 from the CLI), a seeded byte generator, and temp directories.
 *
 * Every fast-check run is seeded (FUZZ_SEED, printed by fast-check on failure with the shrunk case), so
 * a failure reproduces with the same command. Set FUZZ_RUNS_SCALE=10 for a longer local run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Parameters as FcParameters } from 'fast-check';
import type { CliRun } from '../helpers/run-cli';
import { ConfigError, FileFormatError, ShapeError } from '../../src/errors';

/** The seed of every property in test/fuzz. */
const FUZZ_SEED = 20260711;

/** fast-check parameters: seeded, `runs` scaled by FUZZ_RUNS_SCALE (default 1). */
export function fuzzRuns(runs: number): FcParameters<unknown> {
  const scale = Number(process.env.FUZZ_RUNS_SCALE ?? '1');
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(runs * (Number.isFinite(scale) ? scale : 1))) };
}

/**
 * The one second in which every hostile input must be refused, measured as this process's CPU time:
 * a hang or a runaway loop burns CPU, while a shared CI machine's other jobs stretch wall time but not
 * CPU time. (A read that blocks without burning CPU, as open() on a FIFO does, hits jest's timeout.)
 */
const REFUSAL_MS = 1000;
/** Wall-time backstop for the same reads, generous for a loaded machine. */
const WALL_MS = 15000;

/** Milliseconds of CPU (user + system) this process has used. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Throws unless the time since `start` is within the budget. */
function checkTime(start: { cpu: number; wall: number }, what: string): void {
  const cpu = cpuMs() - start.cpu;
  const wall = performance.now() - start.wall;
  if (cpu > REFUSAL_MS || wall > WALL_MS) {
    throw new Error(`${what}: expected an answer within ${REFUSAL_MS} ms of CPU, took ${cpu.toFixed(0)} ms of CPU (${wall.toFixed(0)} ms wall)`);
  }
}

/** Starts a timer for checkTime. */
export function startTimer(): { cpu: number; wall: number } {
  return { cpu: cpuMs(), wall: performance.now() };
}

/** Throws unless `start` was less than the refusal budget ago (CPU time; see REFUSAL_MS). */
export function expectWithinBudget(start: { cpu: number; wall: number }, what = 'read'): void {
  checkTime(start, what);
}

const TYPED = [ConfigError, ShapeError, FileFormatError] as const;

/** The error classes that map to exit code 2, the only ones a bad file may produce at library level. */
export function isTypedInputError(error: unknown): error is Error {
  return TYPED.some((type) => error instanceof type);
}

/** Fails (with the case named) unless `error` is a typed input error with a one-line message. */
export function expectTypedOneLine(error: unknown, what: string): void {
  if (!isTypedInputError(error)) {
    throw new Error(
      `${what}: expected ConfigError, ShapeError or FileFormatError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
    );
  }
  if (error.message.includes('\n') || error.message.length === 0) {
    throw new Error(`${what}: expected a one-line message, got ${JSON.stringify(error.message)}`);
  }
}

/**
 * Runs `read` on hostile input: it must throw a typed input error with a one-line message within a
 * second. Returns the error, for message checks.
 */
export function refusal(read: () => unknown, what = 'hostile input'): Error {
  const start = startTimer();
  let caught: unknown;
  try {
    read();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`${what}: expected a refusal, got a successful read`);
  expectTypedOneLine(caught, what);
  checkTime(start, what);
  return caught as Error;
}

/** The same for async readers (loadModelArtifacts). */
export async function asyncRefusal(read: () => Promise<unknown>, what = 'hostile input'): Promise<Error> {
  const start = startTimer();
  let caught: unknown;
  try {
    await read();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error(`${what}: expected a refusal, got a successful read`);
  expectTypedOneLine(caught, what);
  checkTime(start, what);
  return caught as Error;
}

/**
 * Runs `read` on possibly hostile input: a typed one-line error or a successful read, within a
 * second, never any other error. Returns the outcome's name ('read' or the error class).
 */
export function typedOrRead(read: () => unknown, what = 'fuzzed input'): string {
  const start = startTimer();
  let outcome = 'read';
  try {
    read();
  } catch (error) {
    expectTypedOneLine(error, what);
    outcome = (error as Error).name;
  }
  checkTime(start, what);
  return outcome;
}

/** Asserts a CLI refusal: exit code 2, one line on stderr containing `message`, no stack, nothing on stdout. */
export function expectCliRefusal(run: CliRun, message: string | RegExp): void {
  expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 2, stderr: expect.stringMatching(/^rnn-parity: /) });
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  if (typeof message === 'string') expect(run.stderr).toContain(message);
  else expect(run.stderr).toMatch(message);
  expect(run.stdout).toBe('');
}

/** Reproducible bytes from a 32-bit LCG (the same generator as test/keras/helpers.ts). */
export function seededBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

/** `count` distinct lengths in [0, length), always including the first and last few, the rest seeded. */
export function samplePrefixLengths(length: number, count: number, seed: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  const picked = new Set<number>([0, 1, 2, 3, length - 3, length - 2, length - 1]);
  const random = seededBytes(4 * count, seed);
  const view = new DataView(random.buffer);
  for (let i = 0; picked.size < count && i < count; i++) picked.add(view.getUint32(4 * i, true) % length);
  return [...picked].sort((a, b) => a - b);
}

/** A fresh temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rnn-parity-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every entry of `dir` with its size and SHA-256, for "byte-identical, nothing added" checks. */
export function snapshotDirectory(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) {
      out[name] = '<dir>';
    } else {
      const bytes = fs.readFileSync(file);
      out[name] = `${bytes.length} bytes, sha256 ${crypto.createHash('sha256').update(bytes).digest('hex')}`;
    }
  }
  return out;
}
