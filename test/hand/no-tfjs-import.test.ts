/**
 * The hand path must not touch TensorFlow.js: if it did, comparing it with the layer path would prove nothing.
 * Reads every file under src/hand/ and looks for any module specifier starting with @tensorflow/
 * (import ... from, import(), require(), export ... from).
 */
import * as fs from 'fs';
import * as path from 'path';

const HAND_DIR = path.join(__dirname, '..', '..', 'src', 'hand');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

describe('src/hand imports no tfjs', () => {
  const files = filesUnder(HAND_DIR);

  test('the directory holds the hand path (the check is not vacuous)', () => {
    const names = files.map((f) => path.basename(f));
    expect(names).toEqual(expect.arrayContaining(['forward.ts', 'linalg.ts', 'lstm.ts', 'gru.ts', 'simple-rnn.ts']));
  });

  test.each(filesUnder(HAND_DIR).map((f) => [path.relative(HAND_DIR, f), f]))('%s', (_name, file) => {
    const text = fs.readFileSync(file, 'utf8');
    // any string literal naming a @tensorflow package: '@tensorflow/tfjs-core', "@tensorflow/tfjs-node", ...
    expect(text).not.toMatch(/['"`]@tensorflow\//);
    // and no import or require of a module whose name merely mentions tfjs
    expect(text).not.toMatch(/(?:from|require\(|import\()\s*['"`][^'"`]*tfjs/);
  });
});
