/**
 * docs/optimizers.md's table of measured gaps between the forms is what the code measures: the rows between its
 * form-gaps markers must equal formGapRows() (on failure, the message holds the rows to paste).
 */
import * as fs from 'fs';
import * as path from 'path';
import { formGapRows } from './form-gaps';

const DOC = path.join(__dirname, '..', '..', 'docs', 'optimizers.md');

test('docs/optimizers.md shows the measured gaps', () => {
  const text = fs.readFileSync(DOC, 'utf8');
  const begin = text.indexOf('<!-- form-gaps:begin -->');
  const end = text.indexOf('<!-- form-gaps:end -->');
  expect(begin).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(begin);
  const documented = text
    .slice(begin, end)
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| case') && !line.startsWith('| ---'));
  expect(documented.join('\n')).toBe(formGapRows().join('\n'));
});
