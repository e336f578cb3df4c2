/**
 * The plain-TypeScript optimizers must not load TensorFlow.js: they are the hand path's optimizers and the reference
 * the tfjs ones are checked against. Every file of src/optimizers/ except the tfjs-*.ts ones: no module specifier
 * naming @tensorflow or tfjs (so none of the tfjs-*.ts files either), and no import leaving the folder but
 * ../errors.
 */
import * as fs from 'fs';
import * as path from 'path';

const DIR = path.join(__dirname, '..', '..', 'src', 'optimizers');
const PLAIN = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.startsWith('tfjs-'));

function specifiersOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^\s*import\s+)['"`]([^'"`]+)['"`]/gm)].map((m) => m[1]);
}

describe('src/optimizers (plain TypeScript) imports no tfjs', () => {
  test('the check is not vacuous', () => {
    expect(PLAIN).toEqual(expect.arrayContaining(['adam.ts', 'sgd.ts', 'rmsprop.ts', 'index.ts', 'read-options.ts']));
    expect(specifiersOf(fs.readFileSync(path.join(DIR, 'tfjs-keras-adam.ts'), 'utf8'))).toContain('@tensorflow/tfjs');
  });

  test.each(PLAIN)('%s', (file) => {
    const specifiers = specifiersOf(fs.readFileSync(path.join(DIR, file), 'utf8'));
    expect(specifiers.filter((s) => /@tensorflow|tfjs/.test(s))).toEqual([]);
    expect(specifiers.filter((s) => !s.startsWith('./') && s !== '../errors')).toEqual([]);
  });
});
