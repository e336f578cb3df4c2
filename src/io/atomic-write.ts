/**
 * Writes that never leave half a file: data goes to a temporary file beside the target, is flushed
 * to disk, then renamed over the target in one step. On any failure the temporary file is removed
 * and whatever was at the target before is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A unique temporary name in the target's own directory (rename is atomic only within a filesystem). */
function temporaryPathFor(target: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${random}.tmp`);
}

/**
 * Atomically replaces `target` with `bytes`.
 * @throws the underlying fs error (ENOENT for a missing directory, EACCES, ENOSPC...); the target is unchanged.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array | string): void {
  const temporary = temporaryPathFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, 'wx', 0o644);
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
