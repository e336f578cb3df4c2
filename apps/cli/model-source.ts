/**
 * Where the checked model comes from: a file (--model PATH; --keras FILE and --weights DIR are its older
 * names, and each takes every format), or the flags preset (--cell --units ...). Also the arrays named by
 * --input and --expect, which work with every source.
 */
import { selectBackend, type BackendChoice } from '../../src/backends';
import { MAX_SEED } from '../../src/data/numpy-random';
import { ConfigError, FileFormatError } from '../../src/errors';
import { readModelFile } from '../../src/formats/read-model';
import type { ModelFile } from '../../src/formats/keras-model';
import type { GraphModel } from '../../src/graph/model';
import { readArchitecture } from '../../src/graph/read-config';
import { throwIfBlocked } from '../../src/graph/unsupported';
import { readNpyFile } from '../../src/io/npy';
import { openNpyFile, type NpyFile } from '../../src/io/npy-stream';
import type { Blocker } from '../../src/layers/read-context';
import { presetKerasConfig, presetModel } from '../../src/presets/flags';
import type { ModelSpec } from '../../src/spec';
import type { NdArray } from '../../src/tensor';
import { ARCHITECTURE_FLAGS, parseInteger, specFromArgs, type CheckArgs } from './options';

export interface ModelSource {
  readonly model: GraphModel;
  /** 'flags' for the preset, else the file's format. */
  readonly format: 'flags' | ModelFile['format'];
  /** The path given, for files. */
  readonly path?: string;
  readonly writer?: string;
  /** The preset's spec (flags only, or the architecture of a bare .weights.h5). */
  readonly spec?: ModelSpec;
}

/** Boolean architecture flags: they have defaults, so only the raw argv tells whether they were typed. */
const BOOLEAN_ARCHITECTURE_FLAGS = ['return-sequences', 'go-backwards', 'unit-forget-bias'];

/** The architecture flags the user typed, as typed: value flags from the parsed args, boolean ones from argv. */
function typedArchitectureFlags(args: CheckArgs, rawArgv: readonly string[]): string[] {
  // --timesteps sets a seeded input's length; the model may fix it (then it must agree) or accept any.
  const valued = ARCHITECTURE_FLAGS.filter((flag) => flag !== 'timesteps' && args[flag] !== undefined).map((flag) => `--${flag} ${String(args[flag])}`);
  const booleans = rawArgv.filter((arg) => {
    const name = arg
      .slice(2)
      .split('=')[0]
      .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
      .replace(/^no-/, '');
    return arg.startsWith('--') && BOOLEAN_ARCHITECTURE_FLAGS.includes(name);
  });
  return [...valued, ...booleans];
}

/** The one model file flag given (--model, --keras or --weights), if any. @throws ConfigError for two. */
function modelPathFlag(args: CheckArgs): { flag: 'model' | 'keras' | 'weights'; path: string } | undefined {
  const given = (['model', 'keras', 'weights'] as const).filter((flag) => args[flag] !== undefined);
  if (given.length > 1) {
    throw new ConfigError(`--${given[1]}: expected one model source, got --${given[0]} ${args[given[0]]} and --${given[1]} ${args[given[1]]}`);
  }
  return given.length === 1 ? { flag: given[0], path: String(args[given[0]]) } : undefined;
}

/**
 * Reads or makes the model. The preset needs the backend (its initializers run on it), so it is selected here.
 * @throws ConfigError naming the flag; FileFormatError, ShapeError, UnsupportedModelError for files.
 */
export async function modelFromArgs(args: CheckArgs, rawArgv: readonly string[], backend: BackendChoice): Promise<ModelSource> {
  const file = modelPathFlag(args);
  if (file === undefined) {
    const spec = specFromArgs(args);
    await selectBackend(backend);
    return { model: presetModel(spec, seedOf(args)), format: 'flags', spec };
  }
  const typed = typedArchitectureFlags(args, rawArgv);
  const read = readModelFile(file.path, {
    architecture: () => {
      // A bare .weights.h5 holds no architecture: the flags describe it.
      const blockers: Blocker[] = [];
      const architecture = readArchitecture(presetKerasConfig(specFromArgs(args)), 'keras', blockers);
      throwIfBlocked('the architecture flags', blockers);
      return architecture;
    },
  });
  if (read.format !== 'weights.h5' && typed.length > 0) {
    throw new ConfigError(
      `${typed[0].split(/[ =]/)[0]}: expected no architecture flags with --${file.flag} (the architecture comes from ${file.path}), got ${typed[0]}`,
    );
  }
  return {
    model: read.model,
    format: read.format,
    path: file.path,
    ...(read.writer ? { writer: read.writer } : {}),
    ...(read.format === 'weights.h5' ? { spec: specFromArgs(args) } : {}),
  };
}

export function seedOf(args: CheckArgs): number {
  return parseInteger('seed', String(args.seed), 0, MAX_SEED);
}

/** The files a repeatable flag names: `--input a.npy --input b.npy` (one per model input, in order). */
export function listFlag(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Reads a .npy named by a flag; a missing file is a usage error naming the flag. */
export function readNpyFlag(flag: string, file: string): NdArray {
  try {
    return readNpyFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`--${flag}: expected a readable .npy file at ${file}, got ${code}`);
  }
}

/** Opens a .npy named by a flag for reading in chunks; a missing file is a usage error naming the flag. */
export function openNpyFlag(flag: string, file: string): NpyFile {
  try {
    return openNpyFile(file);
  } catch (error) {
    if (error instanceof FileFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`--${flag}: expected a readable .npy file at ${file}, got ${code}`);
  }
}
