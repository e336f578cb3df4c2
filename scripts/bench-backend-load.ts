/**
 * Prints how long each backend takes to load, in a fresh process each time (a benchmark, not a test):
 *   npm run build && node dist/scripts/bench-backend-load.js [runs]
 * "select" is selectBackend() inside the process; "process" is the whole node process, start to exit.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BACKEND_NAMES } from '../src/backends/types';

const runs = Number(process.argv[2] ?? 3);
const backendsModule = path.join(__dirname, '..', 'src', 'backends');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

console.log(`backend load time, median of ${runs} fresh processes`);
console.log('backend     select ms  process ms  result');
for (const backend of BACKEND_NAMES) {
  const select: number[] = [];
  const whole: number[] = [];
  let result = '';
  for (let i = 0; i < runs; i++) {
    const script =
      `const t=performance.now();require(${JSON.stringify(backendsModule)}).selectBackend(${JSON.stringify(backend)})` +
      `.then(i=>console.log(JSON.stringify({ms:performance.now()-t,ok:i.tfjsBackend})),e=>console.log(JSON.stringify({ms:performance.now()-t,error:e.name})))`;
    const started = performance.now();
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    whole.push(performance.now() - started);
    const line = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}');
    select.push(line.ms);
    result = line.ok ? `ok (${line.ok})` : `unavailable (${line.error})`;
  }
  console.log(`${backend.padEnd(10)}  ${median(select).toFixed(0).padStart(9)}  ${median(whole).toFixed(0).padStart(10)}  ${result}`);
}
