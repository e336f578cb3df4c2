/**
 * The no-false-alarm sweep's spec generator: valid specs inside the documented bounds, the same list for
 * the same sweep seed, every cell variant, and a reproduce command the CLI reads back as the same check.
 */
import { main } from '../../apps/cli/main';
import type { CliIo } from '../../apps/cli/io';
import { cellVariant, CELL_VARIANTS } from '../../apps/faults/default-checks';
import { RANDOM_SPEC_BOUNDS, RandomSpecs, reproduceCommand } from '../../apps/faults/random-spec';
import { validateSpec } from '../../src/spec';

const draws = (seed: number, n: number) => {
  const specs = new RandomSpecs(seed);
  return Array.from({ length: n }, () => specs.next());
};

test('400 draws: valid, within bounds, every cell variant, short and long sequences', () => {
  const checks = draws(1, 400);
  for (const { spec, seed } of checks) {
    expect(validateSpec(spec)).toEqual(spec);
    for (const [field, [min, max]] of Object.entries(RANDOM_SPEC_BOUNDS)) {
      const value = spec[field as keyof typeof RANDOM_SPEC_BOUNDS];
      expect(value).toBeGreaterThanOrEqual(min);
      expect(value).toBeLessThanOrEqual(max);
    }
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 - 1).toBe(true);
  }
  expect(new Set(checks.map((c) => cellVariant(c.spec)))).toEqual(new Set(CELL_VARIANTS));
  const steps = checks.map((c) => c.spec.timeSteps);
  // log-uniform on 1..1000: P(T <= 9) = 1/3, P(T >= 300) = 0.17
  expect(steps.filter((t) => t <= 9).length).toBeGreaterThan(100);
  expect(steps.filter((t) => t >= 300).length).toBeGreaterThan(40);
});

test('the same sweep seed gives the same specs; another seed others', () => {
  expect(draws(3, 20)).toEqual(draws(3, 20));
  expect(draws(4, 20)).not.toEqual(draws(3, 20));
});

test('reproduceCommand runs the same spec and seed through the CLI', async () => {
  // A small LSTM and GRU reset_before from the stream, so the flags for both cells' options are exercised.
  const picks = draws(1, 400).filter((c) => c.spec.timeSteps * c.spec.units * c.spec.layers < 2000);
  const lstm = picks.find((c) => c.spec.cell === 'lstm' && !c.spec.unitForgetBias);
  const gru = picks.find((c) => c.spec.cell === 'gru' && !c.spec.resetAfter && c.spec.goBackwards);
  for (const check of [lstm, gru]) {
    expect(check).toBeDefined();
    if (check === undefined) continue;
    const args = reproduceCommand(check, 'cpu').split(' ').slice(1);
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => undefined,
    };
    await main([...args, '--json'], io);
    process.exitCode = undefined;
    const report = JSON.parse(stdout) as { seed: number; source: { spec: Record<string, unknown> } };
    expect(report.seed).toBe(check.seed);
    expect(report.source.spec).toEqual(expect.objectContaining({ ...check.spec }));
  }
});
