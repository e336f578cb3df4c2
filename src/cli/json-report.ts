/**
 * The machine-readable report (--json). Schema version 1, documented in README.md ("JSON report").
 * JSON has no NaN or Infinity: non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
 */
import type { CheckResult } from '../check';
import type { ExitCode } from './exit-codes';

export const JSON_SCHEMA_VERSION = 1;
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

/** The report of one check as a plain object (schema version 1). */
export function checkReportObject(result: CheckResult, exitCode: ExitCode): Record<string, unknown> {
  const small = result.layerOutput.data.length <= MAX_JSON_OUTPUT_ELEMENTS;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    pass: result.report.pass,
    exitCode,
    backend: result.backend,
    spec: result.spec,
    seed: result.seed,
    precision: result.precision,
    inputShape: result.input.shape,
    parameters: { total: result.totalParameters, layers: result.layers },
    report: result.report,
    ...(result.float32Floor !== undefined ? { float32Floor: result.float32Floor } : {}),
    timingsMs: result.timingsMs,
    outputs: small
      ? { included: true, layer: result.layerOutput, hand: result.manualOutput }
      : { included: false, reason: `more than ${MAX_JSON_OUTPUT_ELEMENTS} elements`, shape: result.layerOutput.shape },
  };
}

/** The report of a check that could not run: the error, its class and the exit code. */
export function errorReportObject(error: Error, exitCode: ExitCode, backend?: string): Record<string, unknown> {
  return { schemaVersion: JSON_SCHEMA_VERSION, pass: false, exitCode, ...(backend ? { backend: { name: backend } } : {}), error: { type: error.name, message: error.message } };
}
