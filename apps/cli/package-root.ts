/** Finds rnn-parity's own folder from wherever this file was loaded (src/ under ts-jest, dist/src/ when built). */
import fs from 'node:fs';
import path from 'node:path';

export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'rnn-parity') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`rnn-parity's package.json was not found above ${__dirname}`);
    dir = parent;
  }
}

/** The CLI's executable, bin/rnn-parity, for running a check in a child process. */
export function cliBinPath(): string {
  return path.join(packageRoot(), 'bin', 'rnn-parity');
}
