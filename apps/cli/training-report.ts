/**
 * The training section of the report (--train-steps), for people and for --json, and the --train-plot file.
 *
 *   Training steps: K x <optimizer> (<form> form: hyperparameters) on the <loss> loss (targets), backend
 *   what trains and what does not
 *   one row per step (the first 5, then every K/10th, and the last; all of them in --json): both losses, the worst
 *     weight tensor, its scaled and normwise difference, the tolerance, ok / FAIL
 *   the worst element of the first failing step, the loss after the last step, the tolerance and its reason
 *   TRAINING PASS / FAIL
 */
import { writeFileSync } from 'fs';
import { formatError } from '../../src/compare/summary';
import { ConfigError } from '../../src/errors';
import { unravelIndex } from '../../src/io/finite';
import type { ResolvedOptimizerConfig } from '../../src/optimizers/types';
import { formatShape } from '../../src/tensor';
import { driftChartSvg } from '../../src/training/drift-svg';
import type { TrainStepParityResult, TrainingStepRow } from '../../src/training/train-step-parity';

/** The default tolerance of a step, before any widening. */
function defaultAt(result: TrainStepParityResult, step: number): number {
  return result.tolerance.growth === 'sqrt' ? result.tolerance.base * Math.sqrt(step) : result.tolerance.base;
}

/** Steps shown in the text table: all up to this many, else a selection. */
const ALL_ROWS_UP_TO = 20;

/** `adam (keras form: learningRate 0.001, beta1 0.9, ...)`. */
function describeOptimizer(form: string, config: ResolvedOptimizerConfig): string {
  const { name, ...rest } = config;
  return `${name} (${form} form: ${Object.entries(rest)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(', ')})`;
}

function targetText(result: TrainStepParityResult, targetFiles: readonly string[]): string {
  if (result.targetSource === 'none') return 'no targets';
  if (result.targetSource === 'given') return `targets ${targetFiles.join(', ')}`;
  return `seeded targets (np.random.seed(${result.seed} + 1000 + k) per output k)`;
}

/** The steps the text table shows: every step up to 20, else steps 1-5, every K/10th, and the failing ones' first. */
function shownSteps(result: TrainStepParityResult): TrainingStepRow[] {
  const rows = result.rows;
  if (rows.length <= ALL_ROWS_UP_TO) return rows.slice();
  const every = Math.ceil(rows.length / 10);
  const firstFail = rows.find((r) => !r.pass)?.step;
  return rows.filter((r) => r.step <= 5 || r.step % every === 0 || r.step === rows.length || r.step === firstFail);
}

function table(header: readonly string[], body: readonly string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)];
}

/** The first failing step's worst element, in words. */
function failureLine(result: TrainStepParityResult): string | undefined {
  const row = result.rows.find((r) => !r.pass);
  if (!row) return undefined;
  const failing = row.tensors.filter((t) => !t.difference.pass);
  const worst = failing.reduce((a, b) => (b.difference.scaledMaxError > a.difference.scaledMaxError ? b : a));
  const d = worst.difference;
  const shape = result.trainable.find((t) => t.name === worst.name)?.shape ?? [];
  const where = d.worstIndex < 0 ? '' : ` at ${formatShape(unravelIndex(d.worstIndex, shape))}`;
  return (
    `  first failure: step ${row.step}, ${worst.name}${where}: layer ${d.worstActual}, hand ${d.worstExpected} ` +
    `(|diff| ${formatError(d.maxAbsError)}, max |w| ${formatError(d.scale)}${d.nonFinite > 0 ? `, ${d.nonFinite} non-finite` : ''}); ` +
    `${failing.length} of ${row.tensors.length} tensors over tolerance`
  );
}

/** The text section. */
export function formatTrainingReport(result: TrainStepParityResult, targetFiles: readonly string[] = []): string {
  const out: string[] = [];
  const values = result.trainable.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
  out.push(
    `Training steps: ${result.steps} x ${describeOptimizer(result.optimizer.form, result.optimizer.config)} on the ${result.loss} loss ` +
      `(${targetText(result, targetFiles)}), ${result.batches === 1 ? 'the same batch every step' : `${result.batches} batches in turn`}, ` +
      `backend ${result.backend.name}`,
  );
  if (result.handOptimizer)
    out.push(`hand path's optimizer (a deliberate difference): ${describeOptimizer(result.handOptimizer.form, result.handOptimizer.config)}`);
  out.push(
    `trained: ${result.trainable.length} weight tensors (${values} values)` +
      (result.nonTrainable.length > 0 ? `; not trained (Keras: trainable=False): ${result.nonTrainable.join(', ')}` : ''),
  );
  const shown = shownSteps(result);
  const body = shown.map((r) => [
    String(r.step),
    String(r.loss.hand),
    String(r.loss.layer),
    r.worst.name,
    formatError(r.worst.scaledMaxError),
    formatError(r.worst.relativeNormError),
    `${formatError(r.tolerance)}${r.float32Floor !== undefined && r.tolerance > defaultAt(result, r.step) ? ' (floor)' : ''} ${r.pass ? 'ok' : 'FAIL'}`,
  ]);
  out.push(...table(['step', 'loss before (hand)', 'loss before (layer)', 'worst weight', 'max |layer - hand| / max |hand|', 'norm', 'tolerance'], body));
  if (shown.length < result.rows.length) out.push(`  (${shown.length} of ${result.rows.length} steps shown; --json has every step)`);
  const failure = failureLine(result);
  if (failure) out.push(failure);
  if (result.layerPathError !== undefined) {
    out.push(`layer path: ${result.layerPathError} at step ${result.rows.length + 1} (a tfjs user cannot train this model on this backend)`);
  }
  out.push(`loss after ${result.steps} steps: hand ${result.lossAfter.hand} (float64), layer ${result.lossAfter.layer} (float32)`);
  const t = result.tolerance;
  out.push(
    t.userSet
      ? `tolerance (max |a - b| / running max |b| per weight tensor): ${formatError(t.base)} at every step (given)`
      : `tolerance (max |a - b| / running max |b| per weight tensor): ${formatError(t.base)} x sqrt(step) (float32 rounding of weights and gradients accumulating over the steps; measured, docs/training-parity.md)`,
  );
  if (t.widenedSteps > 0) {
    out.push(
      `  widened at ${t.widenedSteps} steps to ${t.floorFactor} x the float32 floor (floor): the hand path in float32 drifts that far from the float64 one there (the training is unstable: float32 cannot follow it)`,
    );
  }
  const failed = result.rows.filter((r) => !r.pass).length;
  if (result.pass) {
    const worst = result.rows.reduce((a, b) => (b.worst.scaledMaxError > a.worst.scaledMaxError ? b : a));
    out.push(
      `TRAINING PASS  all ${result.steps} steps within tolerance (largest drift ${formatError(worst.worst.scaledMaxError)} after step ${worst.step}, ${worst.worst.name})`,
    );
  } else if (result.layerPathError !== undefined) {
    out.push(`TRAINING FAIL  the layer path cannot be differentiated; ${failed} of ${result.rows.length} steps before it over tolerance`);
  } else {
    out.push(`TRAINING FAIL  ${failed} of ${result.steps} steps over tolerance${failed === 0 ? ' (the loss after the last step is not finite)' : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `training` field of the --json report: every step, every tensor. */
export function trainingReportObject(result: TrainStepParityResult, targetFiles: readonly string[] = []): Record<string, unknown> {
  return {
    pass: result.pass,
    steps: result.steps,
    optimizer: { form: result.optimizer.form, ...result.optimizer.config },
    ...(result.handOptimizer ? { handOptimizer: { form: result.handOptimizer.form, ...result.handOptimizer.config } } : {}),
    loss: result.loss,
    targets: result.targetSource === 'given' ? { from: targetFiles } : { from: result.targetSource },
    batches: result.batches,
    backend: result.backend.name,
    trainable: result.trainable,
    nonTrainable: result.nonTrainable,
    tolerance: result.tolerance,
    drift: result.drift,
    lossAfter: result.lossAfter,
    ...(result.layerPathError !== undefined ? { layerPathError: result.layerPathError } : {}),
    rows: result.rows.map((r) => ({
      step: r.step,
      loss: r.loss,
      worst: r.worst,
      tolerance: r.tolerance,
      ...(r.float32Floor !== undefined ? { float32Floor: r.float32Floor } : {}),
      pass: r.pass,
      tensors: r.tensors.map((t) => ({ name: t.name, ...t.difference })),
    })),
    timingsMs: result.timingsMs,
  };
}

/**
 * Writes the --train-plot SVG.
 * @throws ConfigError when the file cannot be written
 */
export function writeTrainingPlot(file: string, result: TrainStepParityResult, title: string): void {
  const svg = driftChartSvg({
    title,
    subtitle: `${describeOptimizer(result.optimizer.form, result.optimizer.config)}, ${result.loss} loss, backend ${result.backend.name}`,
    drift: result.drift,
    tolerance: result.rows.map((r) => r.tolerance),
    loss: { hand: [...result.rows.map((r) => r.loss.hand), result.lossAfter.hand], layer: [...result.rows.map((r) => r.loss.layer), result.lossAfter.layer] },
  });
  try {
    writeFileSync(file, svg);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConfigError(`--train-plot: expected a writable path at ${file}, got ${code}`);
  }
}
