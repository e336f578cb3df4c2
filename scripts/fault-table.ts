/**
 * npm run faults: does the harness catch real bugs? Every fault of apps/faults/catalogue.ts (bugs people
 * write in hand RNN code, injected into a copy of the hand path) against the real layer path, on the
 * default checks of apps/faults/default-checks.ts, on each local backend, at the default tolerance.
 *
 *   npm run faults [-- --backend tensorflow|cpu|wasm|all]     (setup.mjs builds dist/, then dist/scripts/fault-table.js)
 *
 * Prints one table row per fault and cell variant:
 *   fault | cell | caught by (n of m checks) | min error / max error | weakest catch | tolerance (atol)
 * where m counts the checks (times backends) the fault applies to, "error" is max |layer - faulty hand|,
 * and "weakest catch" is the smallest error / allowed ratio (> 1x means every check caught it).
 * A second table shows the resolution probes: perturbations near the float32 noise level, which the default
 * tolerance is not meant to resolve; they show where it stops.
 * Progress goes to stderr. Exit codes: 0 every fault caught somewhere and the correct hand path passes
 * every check; 1 a fault escaped every check, or the correct hand path failed a check (a false alarm makes
 * the table meaningless); 2 bad flag; 3 backend unavailable.
 */
import type { BackendName } from '../src/backends';
import { scriptCli } from './script-cli';
import { EXIT_CODES, exitCodeFor } from '../apps/cli/exit-codes';
import { FAULTS, RESOLUTION_PROBES } from '../apps/faults/catalogue';
import { DEFAULT_CHECKS } from '../apps/faults/default-checks';
import { faultRows, runFaultSuite, type FaultRow } from '../apps/faults/run-faults';
import { formatSmall, formatTable } from '../apps/faults/text-table';

const LOCAL_BACKENDS = ['tensorflow', 'cpu', 'wasm'] as const;

function parseArgs(argv: readonly string[]): { backends: BackendName[] } {
  const args = scriptCli(
    argv,
    'fault-table',
    '$0 [--backend tensorflow|cpu|wasm|all]\n\nEvery catalogued hand-path fault against the layer path on the default checks.',
  )
    .option('backend', { choices: [...LOCAL_BACKENDS, 'all'] as const, default: 'all' as const, describe: 'all: tensorflow, cpu and wasm' })
    .parseSync();
  return { backends: args.backend === 'all' ? [...LOCAL_BACKENDS] : [args.backend] };
}

function tableLines(rows: readonly FaultRow[]): string[] {
  const header = ['fault', 'cell', 'caught by (n of m checks)', 'min error / max error', 'weakest catch', 'tolerance (atol)'];
  const body = rows.map((r) => [
    r.fault,
    r.cell,
    `${r.caught} of ${r.applicable}`,
    `${formatSmall(r.minError)} / ${formatSmall(r.maxError)}`,
    `${r.minRatio >= 100 ? r.minRatio.toExponential(1) : r.minRatio.toFixed(1)}x`,
    r.atolMin === r.atolMax ? formatSmall(r.atolMin) : `${formatSmall(r.atolMin)}..${formatSmall(r.atolMax)}`,
  ]);
  return formatTable(header, body);
}

async function main(argv: readonly string[]): Promise<number> {
  const { backends } = parseArgs(argv);
  process.stderr.write(`fault-table: ${FAULTS.length} faults x ${DEFAULT_CHECKS.length} checks on ${backends.join(', ')}\n`);
  const { outcomes, baselines } = await runFaultSuite({
    backends,
    faults: [...FAULTS, ...RESOLUTION_PROBES],
    onCheckDone: (check, backend, done, total) => process.stderr.write(`  [${done}/${total}] ${backend}: ${check.name}\n`),
  });
  const rows = faultRows(outcomes, FAULTS);
  console.log(`Faults caught by the default checks (${DEFAULT_CHECKS.length} checks x ${backends.join(', ')}; default tolerance rtol 1e-6)\n`);
  for (const line of tableLines(rows)) console.log(line);
  console.log(
    '\nResolution probes: perturbations near the float32 noise level, where the default tolerance stops resolving (RESOLUTION_PROBES; not in the exit code)\n',
  );
  for (const line of tableLines(faultRows(outcomes, RESOLUTION_PROBES))) console.log(line);

  const escaped = FAULTS.filter((f) => !outcomes.some((o) => o.fault === f.id && o.caught)).map((f) => f.id);
  const partial = rows.filter((r) => r.caught > 0 && r.caught < r.applicable);
  const falseAlarms = baselines.filter((b) => !b.pass);
  const worstBaseline = Math.max(...baselines.map((b) => b.ratio));
  console.log('\nWhat each fault does to the hand path:');
  for (const f of [...FAULTS, ...RESOLUTION_PROBES]) console.log(`  ${f.id}: ${f.description}`);
  const faultRuns = outcomes.filter((o) => FAULTS.some((f) => f.id === o.fault));
  console.log(`\n${FAULTS.length} faults, ${rows.length} rows, ${faultRuns.length} fault runs; ${faultRuns.filter((o) => o.caught).length} caught.`);
  console.log(
    `Correct hand path: ${baselines.length - falseAlarms.length} of ${baselines.length} checks pass; worst error / allowed ${worstBaseline.toFixed(3)}.`,
  );
  for (const r of partial) console.log(`Partly caught: ${r.fault} (${r.cell}) escaped ${r.escapes.join('; ')}`);
  for (const b of falseAlarms) console.log(`FALSE ALARM: correct hand path fails ${b.check} on ${b.backend} (max error ${formatSmall(b.maxAbsError)})`);
  for (const id of escaped) console.log(`ESCAPED: ${id} is caught by no check`);
  return escaped.length > 0 || falseAlarms.length > 0 ? EXIT_CODES.toleranceExceeded : EXIT_CODES.pass;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`fault-table: ${(error as Error).message}\n`);
    process.exitCode = exitCodeFor(error);
  },
);
