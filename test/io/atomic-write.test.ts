/**
 * Atomic writes: a target is replaced whole or not at all, whatever fails (open, write, fsync, close,
 * rename), no temporary file is left behind, and the error reported is the one that happened. Failures
 * are injected with jest spies on node:fs, which src/io/atomic-write.ts calls through the module object.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from '../../src/io/atomic-write';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-atomic-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const errno = (code: string) => Object.assign(new Error(`${code}: injected`), { code });
const listing = () => fs.readdirSync(dir).sort();
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** Makes fs[method] throw `code` when `when(args)` holds; other calls go through. */
function failWhen(
  method: 'openSync' | 'writeFileSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'linkSync',
  code: string,
  when: (...args: any[]) => boolean = () => true,
) {
  const original = fs[method] as (...args: any[]) => any;
  return jest.spyOn(fs, method).mockImplementation(((...args: any[]) => {
    if (!when(...args)) return original(...args);
    // A failed close still releases the descriptor (POSIX), so the test leaks none.
    if (method === 'closeSync') original(...args);
    throw errno(code);
  }) as any);
}

test('writes a new file and replaces an existing one whole, leaving only the target', () => {
  const target = path.join(dir, 'out.npy');
  writeFileAtomic(target, 'first');
  writeFileAtomic(target, new Uint8Array(Buffer.from('second, longer')));
  expect(read('out.npy')).toBe('second, longer');
  expect(listing()).toEqual(['out.npy']);
});

describe('a failure at any step leaves the old file byte-identical and no temporary file', () => {
  test.each([
    ['open', 'openSync', 'EMFILE'],
    ['write', 'writeFileSync', 'ENOSPC'],
    ['fsync', 'fsyncSync', 'EIO'],
    ['close', 'closeSync', 'EIO'],
    ['rename', 'renameSync', 'EXDEV'],
  ] as const)('%s fails (%s -> %s)', (_step, method, code) => {
    const target = path.join(dir, 'out.npy');
    fs.writeFileSync(target, 'old bytes');
    failWhen(method, code, method === 'openSync' || method === 'renameSync' ? (file: unknown) => String(file).endsWith('.tmp') : () => true);
    expect(() => writeFileAtomic(target, 'new bytes')).toThrow(expect.objectContaining({ code }));
    jest.restoreAllMocks();
    expect(read('out.npy')).toBe('old bytes');
    expect(listing()).toEqual(['out.npy']);
  });

  test('the original error is reported when closing the temporary file fails too', () => {
    // Before: closeSync's EBADF in the error path replaced the ENOSPC that actually happened.
    const target = path.join(dir, 'out.npy');
    fs.writeFileSync(target, 'old bytes');
    failWhen('writeFileSync', 'ENOSPC');
    failWhen('closeSync', 'EBADF');
    expect(() => writeFileAtomic(target, 'new bytes')).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    jest.restoreAllMocks();
    expect(read('out.npy')).toBe('old bytes');
    expect(listing()).toEqual(['out.npy']);
  });

  test('a parent that is a file (ENOTDIR) and a missing directory (ENOENT) create nothing', () => {
    fs.writeFileSync(path.join(dir, 'file'), 'x');
    expect(() => writeFileAtomic(path.join(dir, 'file', 'out.npy'), 'y')).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => writeFileAtomic(path.join(dir, 'missing', 'out.npy'), 'y')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(listing()).toEqual(['file']);
  });
});

describe('several files as one (model.json and weights.bin)', () => {
  const pair = (json: string, bin: string) => [
    { target: path.join(dir, 'weights.bin'), bytes: bin },
    { target: path.join(dir, 'model.json'), bytes: json },
  ];

  beforeEach(() => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'old weights');
    fs.writeFileSync(path.join(dir, 'model.json'), 'old model');
  });

  test('both are replaced', () => {
    writeFilesAtomic(pair('new model', 'new weights'));
    expect([read('model.json'), read('weights.bin')]).toEqual(['new model', 'new weights']);
    expect(listing()).toEqual(['model.json', 'weights.bin']);
  });

  test('writing the second fails: nothing is renamed, both old files stay', () => {
    failWhen('openSync', 'ENOSPC', (file: unknown) => /\.model\.json\..*\.tmp$/.test(String(file)));
    expect(() => writeFilesAtomic(pair('new model', 'new weights'))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
    jest.restoreAllMocks();
    expect([read('model.json'), read('weights.bin')]).toEqual(['old model', 'old weights']);
    expect(listing()).toEqual(['model.json', 'weights.bin']);
  });

  test('renaming the second fails after the first was renamed: the first is rolled back', () => {
    // Before: weights.bin was already replaced, leaving new weights beside the old model.json.
    failWhen('renameSync', 'EIO', (from: unknown, to: unknown) => String(from).endsWith('.tmp') && String(to).endsWith('model.json'));
    expect(() => writeFilesAtomic(pair('new model', 'new weights'))).toThrow(expect.objectContaining({ code: 'EIO' }));
    jest.restoreAllMocks();
    expect([read('model.json'), read('weights.bin')]).toEqual(['old model', 'old weights']);
    expect(listing()).toEqual(['model.json', 'weights.bin']);
  });

  test('into an empty directory, a failed second rename removes the first new file', () => {
    fs.rmSync(path.join(dir, 'weights.bin'));
    fs.rmSync(path.join(dir, 'model.json'));
    failWhen('renameSync', 'EIO', (_from: unknown, to: unknown) => String(to).endsWith('model.json'));
    expect(() => writeFilesAtomic(pair('new model', 'new weights'))).toThrow(expect.objectContaining({ code: 'EIO' }));
    jest.restoreAllMocks();
    expect(listing()).toEqual([]);
  });

  test('where hard links are refused, the old file is kept by a copy instead', () => {
    failWhen('linkSync', 'EPERM');
    failWhen('renameSync', 'EIO', (from: unknown, to: unknown) => String(from).endsWith('.tmp') && String(to).endsWith('model.json'));
    expect(() => writeFilesAtomic(pair('new model', 'new weights'))).toThrow(expect.objectContaining({ code: 'EIO' }));
    jest.restoreAllMocks();
    expect([read('model.json'), read('weights.bin')]).toEqual(['old model', 'old weights']);
    expect(listing()).toEqual(['model.json', 'weights.bin']);
  });
});

describe('durability', () => {
  test('the directory is fsynced after the rename, so the rename itself survives a crash', () => {
    const calls: string[] = [];
    const openSync = fs.openSync;
    const opened = new Map<number, string>();
    jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: any[]) => {
      const fd = (openSync as any)(file, ...rest);
      opened.set(fd, String(file));
      return fd;
    }) as any);
    const renameSync = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      calls.push(`rename -> ${path.basename(String(to))}`);
      renameSync(from, to);
    });
    const fsyncSync = fs.fsyncSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      const file = opened.get(fd as number) ?? '?';
      calls.push(`fsync ${file === dir ? 'dir' : path.extname(file)}`);
      fsyncSync(fd);
    });
    writeFileAtomic(path.join(dir, 'out.npy'), 'bytes');
    expect(calls).toEqual(['fsync .tmp', 'rename -> out.npy', 'fsync dir']);
  });

  test('a directory that cannot be fsynced (EINVAL on some filesystems, EISDIR on Windows) does not fail the write', () => {
    const fsyncSync = fs.fsyncSync;
    let n = 0;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      if (n++ === 1) throw errno('EINVAL'); // the second fsync is the directory's
      fsyncSync(fd);
    });
    writeFileAtomic(path.join(dir, 'out.npy'), 'bytes');
    expect(read('out.npy')).toBe('bytes');
    expect(listing()).toEqual(['out.npy']);
  });
});

describe('temporary names', () => {
  test('are hidden, beside the target, and carry the pid and 64 random bits', () => {
    const seen: string[] = [];
    const openSync = fs.openSync;
    jest.spyOn(fs, 'openSync').mockImplementation(((file: fs.PathLike, ...rest: any[]) => {
      seen.push(String(file));
      return (openSync as any)(file, ...rest);
    }) as any);
    writeFileAtomic(path.join(dir, 'out.npy'), 'bytes');
    expect(path.dirname(seen[0])).toBe(dir);
    expect(path.basename(seen[0])).toMatch(new RegExp(`^\\.out\\.npy\\.${process.pid}\\.[0-9a-f]{16}\\.tmp$`));
  });

  test('a collision fails (exclusive create) and never touches the file that was there', () => {
    // Math.random().toString(36).slice(2, 10), used before, gives fewer than 8 characters now and then.
    jest.spyOn(crypto, 'randomBytes').mockImplementation((() => Buffer.alloc(8, 0xab)) as any);
    const squatter = path.join(dir, `.out.npy.${process.pid}.abababababababab.tmp`);
    fs.writeFileSync(squatter, 'someone else');
    expect(() => writeFileAtomic(path.join(dir, 'out.npy'), 'bytes')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(fs.readFileSync(squatter, 'utf8')).toBe('someone else');
    expect(listing()).toEqual([path.basename(squatter)]);
  });
});
