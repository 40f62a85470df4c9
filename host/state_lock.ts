// An exclusive lock on a state directory, across processes and within one
// (CR 3.4: two writers must never both load the old state and the last one
// win). The lock is a file that names its owner: process
// id, the process's start time (so a reused pid is not taken for the owner),
// host name, the machine's boot id and a random nonce. A lock whose owner
// process is gone (killed, crashed, a zombie not yet reaped, or from before
// a power cut) is stale and is broken at once; a live owner is waited for,
// with a bound and a clear message when the wait gives up.
//
// The lock file appears whole: the owner record is written to a temporary
// file that is then hard-linked to the lock path (link fails if the lock
// exists). A process killed while taking the lock so leaves either no lock
// or a complete one naming it, never an empty file that others must wait
// out. Where the file system has no hard links (FAT), the lock file is
// created with O_EXCL and written; an empty or garbage lock file is then
// taken for one being written until it is WRITE_GRACE_MS old.
//
// Processes that find a stale lock break it one at a time (a mutex the
// kernel frees when its holder dies: breakerMutex), each only if the lock
// still holds the stale record it read. The owner checks that it still
// holds the lock before its durable write (`held()`). The lock is not
// fsynced: it only ever stands between live processes, and none outlives a
// power cut.

import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import { basename, dirname } from 'node:path';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  timeoutMs?: number;
}

/** The lock could not be taken: held by a live process past the timeout, or the lock file is unusable. */
export class StateLockError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'StateLockError';
    this.path = path;
  }
}

interface Owner { pid: number; start: string; host: string; nonce: string; since: string; boot?: string }

export interface HeldLock {
  readonly path: string;
  /** True while the lock file is still this holder's. */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

/** Fields 3.. of /proc/PID/stat (state, ppid, ..., start time at [19]), or undefined where /proc is not there. */
function processStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The start time of a process (field 22 of /proc/PID/stat), or '' where /proc is not there. */
function processStart(pid: number): string {
  return processStat(pid)?.[19] ?? '';
}

/** This boot of the machine (Linux), or '' where it cannot be told. */
function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}
const BOOT = bootId();

function alive(o: Owner): boolean {
  if (o.host !== hostname()) return true; // another machine's lock is never taken for stale
  // Written before the machine restarted (a power cut): its owner is gone, even if its pid and start time came again.
  if (BOOT !== '' && typeof o.boot === 'string' && o.boot !== '' && o.boot !== BOOT) return false;
  try {
    process.kill(o.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = processStat(o.pid);
  if (stat === undefined) return true;
  // A zombie (killed, not yet reaped by its parent) can never release the lock.
  if (stat[0] === 'Z' || stat[0] === 'X') return false;
  const start = stat[19] ?? '';
  return start === '' || o.start === '' || start === o.start;
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Owner;
    if (Number.isSafeInteger(o.pid) && o.pid > 0 && typeof o.nonce === 'string' && typeof o.host === 'string') return o;
  } catch { /* garbage */ }
  return undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A lock file younger than this may still be being written by its creator. */
const WRITE_GRACE_MS = 2000;

/**
 * The mutex of the processes of this machine that break stale locks of the
 * lock file at `path`: a Linux abstract socket named after the lock's
 * directory (device and inode) and name. It is no file, so there is nothing
 * to go stale: the kernel frees it when its holder dies, even by SIGKILL.
 * Undefined where there are no abstract sockets (not Linux, or sockets
 * forbidden).
 */
async function breakerMutex(path: string, deadline: number): Promise<Server | undefined> {
  if (process.platform !== 'linux') return undefined;
  let dir;
  try {
    dir = await stat(dirname(path));
  } catch {
    return undefined;
  }
  const id = createHash('sha256').update(`${dir.dev}:${dir.ino}:${basename(path)}`).digest('hex').slice(0, 32);
  for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
    const server = createServer();
    const r = await new Promise<'held' | 'busy' | 'none'>((resolve) => {
      server.once('error', (e) => resolve((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'busy' : 'none'));
      server.listen({ path: `\0iacsec-lock-breaker-${id}` }, () => resolve('held'));
    });
    if (r === 'held') {
      server.unref();
      return server;
    }
    if (r === 'none') return undefined;
    if (Date.now() >= deadline) throw new StateLockError(path, 'gave up waiting for another process breaking a stale lock');
    await sleep(wait * Math.random() + 1);
  }
}

/**
 * Removes the stale lock read as `staleText`. Several processes may find the
 * same stale lock at once; if each removed "the lock" after its own look, one
 * would remove the fresh lock another had just taken, and both would change
 * the state (a lost update: seen when many processes wait on one stale
 * lock, tests/host/state_lock.test.js). So
 * breakers take turns (breakerMutex) and each removes the lock only if it
 * still holds the stale record: while they take turns, nothing else can
 * change it (its owner is gone, and no lock is created over an existing one).
 * Without the mutex, the lock is renamed aside and checked, and put back if
 * it was a fresh one (a narrower race that remains).
 */
async function breakStale(path: string, staleText: string, deadline: number): Promise<void> {
  const mutex = await breakerMutex(path, deadline);
  if (mutex) {
    try {
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now !== staleText) return; // broken by another, or a new lock: the caller looks again
      if (parseOwner(now) === undefined) {
        // Garbage: still old enough? A new lock file being written (no hard links) would be young.
        const st = await stat(path).catch(() => undefined);
        if (!st || !(Math.abs(Date.now() - st.mtimeMs) > WRITE_GRACE_MS)) return;
      }
      await unlink(path).catch(() => {});
    } finally {
      await new Promise<void>((resolve) => mutex.close(() => resolve()));
    }
    return;
  }
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else broke it
    throw e;
  }
  const moved = await readFile(aside, 'utf8').catch(() => '');
  if (moved !== staleText) {
    // A racing breaker's fresh lock: put it back where it was.
    await link(aside, path).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

/** Takes the exclusive lock at `path` (a file beside the state). */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  const me: Owner = {
    pid: process.pid, start: processStart(process.pid), host: hostname(),
    nonce: randomBytes(16).toString('hex'), since: new Date().toISOString(), boot: BOOT,
  };
  const text = JSON.stringify(me);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw new StateLockError(path, `cannot create the lock file: ${(e as Error).message}`);
  }
  try {
    return await takeLock(path, tmp, text, timeoutMs, deadline);
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

/** Error codes of a file system without hard links. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Creates the lock file with its content; false when a lock file exists. */
async function createLock(path: string, tmp: string, text: string, links: { ok: boolean }): Promise<boolean> {
  if (links.ok) {
    try {
      await link(tmp, path);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') return false;
      if (!NO_LINKS.has(code)) throw new StateLockError(path, `cannot create the lock file: ${(e as Error).message}`);
      links.ok = false;
    }
  }
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StateLockError(path, `cannot create the lock file: ${(e as Error).message}`);
  }
}

async function takeLock(path: string, tmp: string, text: string, timeoutMs: number, deadline: number): Promise<HeldLock> {
  const links = { ok: true };
  let wait = 2;
  let holder = '';
  for (;;) {
    if (await createLock(path, tmp, text, links)) break;
    let current: string;
    let age = 0;
    try {
      current = await readFile(path, 'utf8');
      age = Date.now() - (await stat(path)).mtimeMs;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') {
        throw new StateLockError(path, 'the lock path is a directory, not a lock file: remove it if no iacsec process runs');
      }
      throw new StateLockError(path, `cannot read the lock file: ${(e as Error).message}`);
    }
    const owner = parseOwner(current);
    // A garbage lock's age counts either way: after a restart without a real-time clock, the clock may lie behind its mtime.
    if (owner ? !alive(owner) : Math.abs(age) > WRITE_GRACE_MS) {
      await breakStale(path, current, deadline);
      continue;
    }
    holder = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.since})` : 'a lock file being written';
    if (Date.now() >= deadline) {
      throw new StateLockError(path, `the state is locked by ${holder}; gave up after ${timeoutMs} ms`);
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 50);
  }
  return {
    path,
    async held() {
      return (await readFile(path, 'utf8').catch(() => '')) === text;
    },
    async release() {
      if ((await readFile(path, 'utf8').catch(() => '')) === text) await unlink(path).catch(() => {});
    },
  };
}
