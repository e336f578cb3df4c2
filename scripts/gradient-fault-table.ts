/**
 * npm run gradient-faults: do the gradient and optimizer checks catch real bugs, and do they raise no false alarms?
 *
 *   npm run gradient-faults [-- --per-kind 100] [--seed 42] [--no-sweep]
 *
 * 1. Gradient faults (apps/faults/gradients/catalogue.ts, injected through the hand backward's fault seam) on
 *    small models: checkGradients on the cpu backend at the default tolerances; which comparisons caught each,
 *    and by how much (worst error / allowed: > 1 caught). The correct code on the same models first.
 * 2. Resolution probes: a recurrent kernel's gradient scaled by 1 + delta, to show where each comparison stops
 *    resolving (not in the exit code).
 * 3. Optimizer faults (apps/faults/gradients/optimizer-faults.ts): K steps against the correct optimizer of the
 *    same form, at training-step parity's tolerance; and each correct optimizer's float32 rounding against it.
 * 4. No false alarms: the correct code through checkGradients (cpu, default tolerances, losses in turn) on
 *    random graphs (test/helpers/random-graph.ts) drawn until every kind it builds is in --per-kind models, and on
 *    masked token and Masking models until Embedding and Masking are; the worst error / allowed per comparison.
 *
 * Progress goes to stderr. Exit codes: 0 every fault caught (gradient faults by both comparisons, optimizer faults
 * on some gradient source), the correct code passing on every fault model and every sweep model; 1 otherwise;
 * 2 bad flag; 3 backend unavailable.
 */
import fc from 'fast-check';
import { EXIT_CODES, exitCodeFor } from '../apps/cli/exit-codes';
import { NumpyRandomState } from '../src/data/numpy-random';
import { GRADIENT_FAULTS, RESOLUTION_PROBES, type GradientFault } from '../apps/faults/gradients/catalogue';
import { knownIssues } from '../apps/faults/gradients/known-issues';
import { buildMaskedModel, drawMaskedModelChoice } from '../apps/faults/gradients/masked-models';
import { sweepNoFalseAlarms, type SweepModel, type SweepSummary, type SweepWorst } from '../apps/faults/gradients/no-false-alarms';
import { OPTIMIZER_FAULTS, OPTIMIZER_STEPS, roundingFloor, runOptimizerFaults, type OptimizerOutcome } from '../apps/faults/gradients/optimizer-faults';
import { formatRatio, pairRatios } from '../apps/faults/gradients/ratios';
import { NO_FAULT, runGradientFaults, type GradientFaultOutcome } from '../apps/faults/gradients/run-gradient-faults';
import { formatTable } from '../apps/faults/text-table';
import { checkModel } from '../src/graph/check';
import { checkGradients, type GradientPair } from '../src/graph/gradient-check';
import { trainingTolerance } from '../src/training/tolerance';
import { buildRandomGraph, GENERATED, graphChoiceArb } from '../test/helpers/random-graph';
import { scriptCli } from './script-cli';

interface Args {
  readonly perKind: number;
  readonly seed: number;
  readonly sweep: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args = scriptCli(
    argv,
    'gradient-fault-table',
    '$0 [--per-kind N] [--seed S] [--no-sweep]\n\nThe gradient and optimizer fault tables, and the no-false-alarm sweep.',
  )
    .option('per-kind', { type: 'number', default: 100, describe: 'sweep models per layer kind (at least)' })
    .option('seed', { type: 'number', default: 42, describe: "the sweep's fast-check and NumPy seed" })
    .option('sweep', { type: 'boolean', default: true, describe: 'run the no-false-alarm sweep (--no-sweep: the fault tables only)' })
    .parseSync();
  return { perKind: args['per-kind'], seed: args.seed, sweep: args.sweep };
}

const PAIRS: readonly GradientPair[] = ['layer vs hand', 'hand vs finite differences'];

function gradientTable(outcomes: readonly GradientFaultOutcome[], faults: readonly GradientFault[]): string[] {
  const ids = new Set(faults.map((f) => f.id));
  const rows = outcomes
    .filter((o) => ids.has(o.fault))
    .map((o) => {
      const pair = (p: GradientPair) => o.pairs.find((x) => x.pair === p);
      const caughtBy = o.pairs.filter((p) => p.caught).map((p) => p.pair);
      return [
        o.fault,
        o.model,
        caughtBy.length === 0 ? 'ESCAPED' : caughtBy.length === PAIRS.length ? 'both' : caughtBy.join(', '),
        ...PAIRS.map((p) => {
          const x = pair(p);
          return x ? `${formatRatio(x.ratio)} (${x.tensor})` : '-';
        }),
        o.changed.toExponential(1),
      ];
    });
  return formatTable(['fault', 'model', 'caught by', 'layer vs hand: error / allowed', 'hand vs FD: error / allowed', 'gradient changed'], rows);
}

function optimizerTable(outcomes: readonly OptimizerOutcome[]): string[] {
  return formatTable(
    ['fault', 'gradients', 'caught', 'worst error / allowed (step, tensor)', `after step ${OPTIMIZER_STEPS}`],
    outcomes.map((o) => [o.fault, o.source, o.caught ? 'yes' : 'no', `${formatRatio(o.ratio)} (step ${o.step}, ${o.tensor})`, formatRatio(o.lastStepRatio)]),
  );
}

/** Random graphs until every generated kind is in `perKind` models (graphs adding nothing new are skipped). */
function* randomGraphModels(perKind: number, seed: number): Generator<SweepModel> {
  const counts = new Map<string, number>();
  const short = (kind: string): boolean => (counts.get(kind) ?? 0) < perKind;
  for (let chunk = 0; chunk < 100 && GENERATED.some((g) => short(g.kind)); chunk++) {
    for (const [i, choice] of fc.sample(graphChoiceArb, { numRuns: 500, seed: seed + chunk }).entries()) {
      const graph = buildRandomGraph(choice);
      const kinds = new Set(graph.model.layers.map((l) => l.kind));
      if (![...kinds].some(short)) continue;
      for (const kind of kinds) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      yield {
        name: `random graph ${i} of fc.sample(graphChoiceArb, { numRuns: 500, seed: ${seed + chunk} })`,
        model: graph.model,
        batch: graph.batch,
        describe: graph.describe,
        outputWidths: graph.model.outputs.map((o) => graph.shapes.get(o)?.at(-1) as number),
      };
    }
  }
}

/** Masked token and Masking models until each of Embedding and Masking is in `perKind` models. */
function* maskedModels(perKind: number, seed: number): Generator<SweepModel> {
  const random = new NumpyRandomState(seed);
  const counts = { tokens: 0, masking: 0 };
  for (let i = 0; counts.tokens < perKind || counts.masking < perKind; i++) {
    const choice = drawMaskedModelChoice(random);
    counts[choice.tokens ? 'tokens' : 'masking']++;
    const { model, input } = buildMaskedModel(choice);
    yield {
      name: `masked model ${i} (NumPy seed ${seed})`,
      model,
      batch: choice.batch,
      inputs: [input],
      outputWidths: [2],
      describe: () => JSON.stringify(choice),
    };
  }
}

function sweepLines(title: string, summary: SweepSummary): string[] {
  const kinds = [...summary.kinds].sort((a, b) => a[1] - b[1]);
  const where = (w: SweepWorst | undefined) => (w ? `${formatRatio(w.ratio)} (${w.tensor} of ${w.model}, ${w.loss})` : '-');
  const lines = [
    `${title}: ${summary.models} models; models per kind (fewest first): ${kinds.map(([k, n]) => `${k} ${n}`).join(', ')}`,
    '',
    ...formatTable(
      ['comparison', 'worst error / allowed, every model', 'worst among the passing comparisons'],
      [...summary.worst].map(([pair, w]) => [pair, where(w), where(summary.worstPassing.get(pair))]),
    ),
    '',
    `Failing comparisons by cause (apps/faults/gradients/diagnose.ts): ${[...summary.causes].map(([cause, n]) => `${cause} ${n}`).join(', ') || 'none'}`,
  ];
  for (const f of summary.failures) {
    lines.push(`  ${f.model} (${f.loss}, seed ${f.seed}): ${f.diagnoses.map((d) => `${d.tensor} ${d.pair}: ${d.cause} [${d.detail}]`).join('; ')}`);
    if (f.diagnoses.some((d) => d.cause === 'unexplained')) lines.push(...f.description.split('\n').map((l) => `      ${l}`));
  }
  for (const e of summary.layerPathErrors) {
    lines.push(`tfjs cannot differentiate ${e.count} model(s) (kinds in all of them: ${e.commonKinds.join(', ') || 'none'}; e.g. ${e.example}): ${e.message}`);
  }
  for (const e of summary.errors) lines.push(`ERROR ${e.model}: ${e.message}`);
  return lines;
}

/** Each known layer-path issue's reproducer (apps/faults/gradients/known-issues.ts): does it still fail? */
async function knownIssueLines(): Promise<string[]> {
  const lines: string[] = [];
  for (const issue of knownIssues()) {
    const forward = await checkModel({ model: issue.model, backend: 'cpu', precision: 'float64', seed: issue.seed, inputs: issue.inputs });
    const gradients = await checkGradients({ model: issue.model, backend: 'cpu', loss: issue.loss, seed: issue.seed, inputs: issue.inputs });
    const report = forward.comparisons[0].report;
    const layer = pairRatios(gradients).get('layer vs hand');
    const state = report.pass && gradients.pass ? 'FIXED (passes now: lift its exclusion or diagnosis)' : 'still fails';
    const how = [
      `forward ${report.pass ? 'passes' : `fails (max |diff| ${report.maxAbsError.toExponential(1)})`}`,
      gradients.layerPathError !== undefined
        ? `gradients: ${gradients.layerPathError.split('\n')[0]}`
        : `layer vs hand ${layer ? formatRatio(layer.ratio) : '-'}`,
    ];
    lines.push(`  ${issue.id}: ${state}; ${how.join('; ')}. ${issue.summary}`);
  }
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const progress = (what: string) => (name: string, done: number, total: number) => process.stderr.write(`  ${what} [${done}/${total}] ${name}\n`);

  process.stderr.write(`gradient-fault-table: ${GRADIENT_FAULTS.length} gradient faults, ${RESOLUTION_PROBES.length} resolution probes on cpu\n`);
  const outcomes = await runGradientFaults({ faults: [...GRADIENT_FAULTS, ...RESOLUTION_PROBES], onModelDone: progress('fault models') });
  const baselines = outcomes.filter((o) => o.fault === NO_FAULT);
  const faultOutcomes = outcomes.filter((o) => GRADIENT_FAULTS.some((f) => f.id === o.fault));
  console.log('Gradient faults: checkGradients (cpu, mse, default tolerances) with each fault in the hand backward\n');
  for (const line of gradientTable(outcomes, GRADIENT_FAULTS)) console.log(line);
  console.log('\nThe correct code on the same models:\n');
  for (const line of gradientTable(baselines, [{ id: NO_FAULT, description: '', models: [], faults: {} }])) console.log(line);
  console.log('\nResolution probes (not bugs; not in the exit code):\n');
  for (const line of gradientTable(outcomes, RESOLUTION_PROBES)) console.log(line);
  console.log('\nWhat each fault does:');
  for (const f of [...GRADIENT_FAULTS, ...RESOLUTION_PROBES]) console.log(`  ${f.id}: ${f.description}`);

  const tolerance = trainingTolerance();
  console.log(
    `\nOptimizer faults: ${OPTIMIZER_STEPS} steps against the correct optimizer of the same form (float64 both), scaled max error per tensor at training-step parity's tolerance (${tolerance.summary.base} x step)\n`,
  );
  const optimizerOutcomes = runOptimizerFaults();
  for (const line of optimizerTable(optimizerOutcomes)) console.log(line);
  console.log('\nRounding floor: each correct optimizer in float32 (tfjs arithmetic, bit for bit) against float64, same measure\n');
  const floor = roundingFloor();
  for (const line of optimizerTable(floor)) console.log(line);
  console.log('\nWhat each optimizer fault does:');
  for (const f of OPTIMIZER_FAULTS) console.log(`  ${f.id}: ${f.description}`);

  const escapes = faultOutcomes.filter((o) => !o.pairs.every((p) => p.caught));
  const optimizerEscapes = OPTIMIZER_FAULTS.filter((f) => !optimizerOutcomes.some((o) => o.fault === f.id && o.caught));
  const falseBaselines = baselines.filter((o) => o.caught);
  const floorFails = floor.filter((o) => o.caught);
  console.log(
    `\n${faultOutcomes.length} gradient fault runs: ${faultOutcomes.length - escapes.length} caught by both comparisons; correct code passes ${baselines.length - falseBaselines.length} of ${baselines.length} fault models.`,
  );
  console.log(
    `${OPTIMIZER_FAULTS.length} optimizer faults: ${OPTIMIZER_FAULTS.length - optimizerEscapes.length} caught on some gradient source; worst rounding floor ${formatRatio(Math.max(...floor.map((o) => o.ratio)))} of the tolerance.`,
  );
  for (const o of escapes) console.log(`ESCAPED: ${o.fault} on ${o.model} (${o.pairs.map((p) => `${p.pair} ${formatRatio(p.ratio)}`).join(', ')})`);
  for (const f of optimizerEscapes) console.log(`ESCAPED: ${f.id} on every gradient source`);
  for (const o of falseBaselines) console.log(`FALSE ALARM: the correct code fails on fault model ${o.model}`);
  for (const o of floorFails) console.log(`TOLERANCE TOO TIGHT: ${o.fault} on ${o.source} (${formatRatio(o.ratio)})`);

  let sweepFailed = false;
  if (args.sweep) {
    console.log('\nNo false alarms: the correct code through checkGradients (cpu, default tolerances, the four losses in turn)\n');
    let done = 0;
    const onModelDone = () => {
      if (++done % 50 === 0) process.stderr.write(`  sweep: ${done} models\n`);
    };
    const random = await sweepNoFalseAlarms(randomGraphModels(args.perKind, args.seed), { seed: args.seed, onModelDone });
    for (const line of sweepLines('Random graphs', random)) console.log(line);
    console.log('');
    const masked = await sweepNoFalseAlarms(maskedModels(args.perKind, args.seed), { seed: args.seed, onModelDone });
    for (const line of sweepLines('Masked models (Embedding(mask_zero) or Masking, padded samples)', masked)) console.log(line);
    console.log('\nKnown layer-path issues (apps/faults/gradients/known-issues.ts), by their reproducers:');
    for (const line of await knownIssueLines()) console.log(line);
    // Failures with a diagnosed cause are findings (tfjs bugs, tolerance gaps), printed above; unexplained ones fail the run.
    sweepFailed = [random, masked].some((s) => (s.causes.get('unexplained') ?? 0) > 0 || s.errors.length > 0);
  }
  const failed = escapes.length > 0 || optimizerEscapes.length > 0 || falseBaselines.length > 0 || floorFails.length > 0 || sweepFailed;
  return failed ? EXIT_CODES.toleranceExceeded : EXIT_CODES.pass;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`gradient-fault-table: ${(error as Error).message}\n`);
    process.exitCode = exitCodeFor(error);
  },
);
