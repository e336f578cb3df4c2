/**
 * JSON output helpers (--json); the check's report object is in model-report.ts (schema version 2, README "JSON report").
 * JSON has no NaN or Infinity: non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
 */
import type { ExitCode } from './exit-codes';

export const JSON_SCHEMA_VERSION = 2;
/** Outputs with at most this many elements are included in full; larger ones are left out. */
export const MAX_JSON_OUTPUT_ELEMENTS = 4096;

/** JSON.stringify replacer: typed arrays as lists, non-finite numbers as strings. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  return value;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/** The report of a check that could not run: the error, its class and the exit code. */
export function errorReportObject(error: Error, exitCode: ExitCode, backend?: string): Record<string, unknown> {
  const blockers = (error as { blockers?: unknown }).blockers;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    pass: false,
    exitCode,
    ...(backend ? { backend: { name: backend } } : {}),
    error: { type: error.name, message: error.message, ...(Array.isArray(blockers) ? { blockers } : {}) },
  };
}
