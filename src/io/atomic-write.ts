/**
 * Writes that never leave half a file: data goes to a temporary file beside the target, is flushed
 * to disk, then renamed over the target in one step, and the directory is flushed so that the rename
 * itself survives a crash. On any failure the temporary files are removed and whatever was at the
 * targets before is untouched.
 *
 * Several files that belong together (model.json and the weights.bin it describes) are written as one:
 * every temporary file is written and flushed before the first rename, and if a later rename fails the
 * earlier ones are rolled back, so a failed save leaves the old pair, never a new file beside an old one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One file of a group written together. */
interface AtomicFile {
  readonly target: string;
  readonly bytes: Uint8Array | string;
}

/**
 * A fresh name in the target's own directory (rename is atomic only within a filesystem): the pid and
 * 64 random bits, opened with 'wx' so that even a collision fails instead of sharing a file.
 */
function temporaryPathFor(target: string, suffix: 'tmp' | 'old'): string {
  const random = crypto.randomBytes(8).toString('hex');
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${random}.${suffix}`);
}

/** Runs cleanup steps that must not hide the error being reported: their own errors are dropped. */
function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // The caller is already reporting the error that matters.
  }
}

/** Writes `bytes` to a new temporary file beside `target` and flushes it; returns its path. */
function stage(file: AtomicFile): string {
  const temporary = temporaryPathFor(file.target, 'tmp');
  // If even the exclusive create fails (EEXIST: a name collision), the file there is not ours to remove.
  const fd = fs.openSync(temporary, 'wx', 0o644);
  let open = true;
  try {
    fs.writeFileSync(fd, file.bytes);
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    return temporary;
  } catch (error) {
    if (open) quietly(() => fs.closeSync(fd));
    quietly(() => fs.rmSync(temporary, { force: true }));
    throw error;
  }
}

/**
 * Keeps the current content of `target` under a temporary name (a hard link, or a copy where links
 * are not supported), so that a later failure can put it back. Returns undefined when there is none.
 */
function keepOld(target: string): string | undefined {
  if (!fs.existsSync(target)) return undefined;
  const old = temporaryPathFor(target, 'old');
  try {
    fs.linkSync(target, old);
  } catch {
    try {
      fs.copyFileSync(target, old, fs.constants.COPYFILE_EXCL);
    } catch (error) {
      quietly(() => fs.rmSync(old, { force: true }));
      throw error;
    }
  }
  return old;
}

/**
 * Flushes a directory's entries (the renames) to disk. Best effort: some platforms (Windows) and
 * filesystems cannot open or fsync a directory, and the data itself is already flushed.
 */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // EISDIR, EPERM, EINVAL...: nothing more can be done here.
  } finally {
    const open = fd;
    if (open !== undefined) quietly(() => fs.closeSync(open));
  }
}

/**
 * Atomically replaces each target with its bytes, all or none: the files are staged first, renamed in
 * order, and a failed rename rolls back the ones before it. Put the file that "commits" the group
 * (model.json) last.
 * @throws the first underlying fs error (ENOENT for a missing directory, EACCES, ENOSPC...); every
 *   target is as it was before the call.
 */
export function writeFilesAtomic(files: readonly AtomicFile[]): void {
  const staged: string[] = [];
  const kept: (string | undefined)[] = [];
  let renamed = 0;
  try {
    for (const file of files) staged.push(stage(file));
    files.forEach((file, i) => {
      // The last rename needs no way back: nothing after it can fail.
      kept.push(i < files.length - 1 ? keepOld(file.target) : undefined);
      fs.renameSync(staged[i], file.target);
      renamed++;
    });
  } catch (error) {
    for (let i = renamed - 1; i >= 0; i--) {
      const old = kept[i];
      const target = files[i].target;
      try {
        if (old !== undefined) fs.renameSync(old, target);
        else fs.rmSync(target, { force: true });
      } catch {
        // Keep the old content where it is (a hidden .old file beside the target) rather than lose it.
        kept[i] = undefined;
      }
    }
    for (const temporary of staged.slice(renamed)) quietly(() => fs.rmSync(temporary, { force: true }));
    throw error;
  } finally {
    for (const old of kept) if (old !== undefined) quietly(() => fs.rmSync(old, { force: true }));
  }
  for (const dir of new Set(files.map((file) => path.dirname(path.resolve(file.target))))) fsyncDirectory(dir);
}

/**
 * Atomically replaces `target` with `bytes`.
 * @throws the underlying fs error (ENOENT for a missing directory, EACCES, ENOSPC...); the target is unchanged.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array | string): void {
  writeFilesAtomic([{ target, bytes }]);
}

/** A file written piece by piece under a temporary name, put in place by commit() (see createAtomicStream). */
interface AtomicStream {
  write(bytes: Uint8Array): void;
  /** Flushes, renames over the target in one step and flushes the directory. */
  commit(): void;
  /** Closes and removes the temporary file; the target stays as it was. Does nothing after commit. */
  abort(): void;
}

/**
 * Starts a file that is too large to hold in memory at once (a streamed .npy): pieces go to a temporary file
 * beside `target` as they come, and only commit() puts it in place, atomically as writeFileAtomic does.
 * @throws fs errors from creating the temporary file (ENOENT for a missing directory, EACCES...)
 */
export function createAtomicStream(target: string): AtomicStream {
  const temporary = temporaryPathFor(target, 'tmp');
  const fd = fs.openSync(temporary, 'wx', 0o644);
  let state: 'open' | 'committed' | 'aborted' = 'open';
  const abort = (): void => {
    if (state !== 'open') return;
    state = 'aborted';
    quietly(() => fs.closeSync(fd));
    quietly(() => fs.rmSync(temporary, { force: true }));
  };
  return {
    write(bytes) {
      if (state !== 'open') throw new Error(`${target}: write after ${state}`);
      try {
        for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      } catch (error) {
        abort();
        throw error;
      }
    },
    commit() {
      if (state !== 'open') throw new Error(`${target}: commit after ${state}`);
      try {
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        state = 'committed';
        fs.renameSync(temporary, target);
      } catch (error) {
        state = 'open';
        abort();
        quietly(() => fs.rmSync(temporary, { force: true }));
        throw error;
      }
      fsyncDirectory(path.dirname(path.resolve(target)));
    },
    abort,
  };
}
