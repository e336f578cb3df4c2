/**
 * Typed errors. Each message reads "expected X, got Y" and names the value received.
 * The CLI maps them to exit codes once, in apps/cli/exit-codes.ts; library code only throws.
 */

/** A model spec, flag or option that is not valid. Exit code 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An array, tensor or weight whose shape is not the one required. Exit code 2. */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

/** A file that cannot be read as what it claims to be (.npy, weights, .keras). Exit code 2. */
export class FileFormatError extends Error {
  override name = 'FileFormatError';
}

/** A backend that cannot run here (no native binding, no GPU). Exit code 3. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}
