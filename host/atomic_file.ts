// Durable file writes and bounded reads.

import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes a file atomically: temporary file (0600), write, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
  const dir = await open(dirname(path), 'r');
  try { await dir.sync(); } catch { /* some file systems refuse fsync on a directory */ } finally { await dir.close(); }
}

/** True when a process with this id exists on this machine (EPERM: it does, under another user). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what killed writers left beside `path`: files named
 * PATH.KIND-PID-HEX (KIND 'tmp': a temporary of writeFileAtomic cut off
 * before its rename; 'stale': a lock moved aside and not yet removed) whose
 * process is gone. A kill or power cut at the wrong moment leaves one each
 * time; without this they pile up until the disk is full and the state can
 * no longer be saved. Call only while holding the lock every writer of
 * `path` holds. Returns the names removed; a file that cannot be removed is
 * left for the next time.
 */
export async function removeLeftovers(path: string, kind: 'tmp' | 'stale'): Promise<string[]> {
  const prefix = `${basename(path)}.${kind}-`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^([0-9]{1,10})-[0-9a-f]{8}$/.exec(name.slice(prefix.length));
    if (!m || processExists(Number(m[1]))) continue;
    try {
      await unlink(join(dirname(path), name));
      removed.push(name);
    } catch { /* gone already, or not ours to remove */ }
  }
  return removed;
}

/** The input is longer than the reader accepts. */
export class FileTooLargeError extends Error {
  readonly path: string;
  readonly limit: number;
  constructor(path: string, limit: number) {
    super(`${path}: longer than ${limit} bytes`);
    this.name = 'FileTooLargeError';
    this.path = path;
    this.limit = limit;
  }
}

/**
 * Reads at most `limit` bytes of a regular file; a longer one is refused
 * after reading limit + 1 bytes, never read whole. A FIFO, device or
 * directory is refused without reading (opened non-blocking, so a FIFO
 * with no writer cannot hang the reader).
 */
export async function readFileBounded(path: string, limit: number): Promise<Uint8Array> {
  const { constants } = await import('node:fs');
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw Object.assign(new Error(`${path}: is a directory`), { code: 'EISDIR' });
    if (!st.isFile()) throw Object.assign(new Error(`${path}: not a regular file`), { code: 'ENOTREG' });
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.byteLength - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > limit) throw new FileTooLargeError(path, limit);
    }
    return new Uint8Array(buf.subarray(0, n));
  } finally {
    await fh.close();
  }
}
