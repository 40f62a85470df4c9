// The module's persistent state (provisioning, anchors, revocations,
// anti-rollback counters, event sequence) kept by the host as a sealed blob
// in a file. The module seals and checks the blob (HMAC-SHA256 with the
// sealing key); the host only stores it.
//
// Where the sealing key comes from matters: a real gateway keeps it in a
// secure element or TPM and passes it to openStateStore. The CLI's default, a
// key file beside the state file (seal.key, mode 0600), protects only against
// edits by someone who cannot read that file. And a sealed file can always be
// replaced by an older copy of itself (a rollback of the blob, which brings
// back lower counters) unless the platform binds the blob to a hardware
// monotonic counter or keeps it in storage the attacker cannot write.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FirmwareError, type Firmware, type StatePersister } from './firmware.js';

export interface StateStoreOptions {
  /** The state file (the sealed blob). */
  path: string;
  /** 32 bytes from the platform's secure storage. */
  sealKey: Uint8Array;
  /** Save after every change or decision the module records (default true). */
  autosave?: boolean;
}

export interface StateStore extends StatePersister {
  readonly path: string;
  /** True when a blob was read from the file at open. */
  readonly imported: boolean;
}

/** The state file could not be used: a corrupted or wrongly keyed blob is refused, never replaced. */
export class StateStoreError extends Error {
  readonly path: string;
  readonly cause?: unknown;
  constructor(path: string, message: string, cause?: unknown) {
    super(`${path}: ${message}`);
    this.name = 'StateStoreError';
    this.path = path;
    this.cause = cause;
  }
}

/** Writes a file atomically: temporary file (0600), fsync, rename, fsync of the directory. */
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

/**
 * Opens the state file for a fresh module: sets the sealing key, imports the
 * blob if the file exists (any refusal by the module is thrown as
 * StateStoreError with the module's FirmwareError as cause), and attaches
 * itself to `fw` so state is saved after each change.
 */
export async function openStateStore(fw: Firmware, options: StateStoreOptions): Promise<StateStore> {
  const { path, sealKey } = options;
  fw.setSealKey(sealKey);
  let blob: Uint8Array | undefined;
  try {
    blob = new Uint8Array(await readFile(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateStoreError(path, (e as Error).message, e);
  }
  if (blob) {
    try {
      fw.importState(blob);
    } catch (e) {
      if (e instanceof FirmwareError) throw new StateStoreError(path, `refused by the module: ${e.reason} (${e.status})`, e);
      throw e;
    }
  }
  const store: StateStore = {
    path,
    imported: blob !== undefined,
    async save() {
      await writeFileAtomic(path, fw.exportState());
    },
  };
  if (options.autosave ?? true) fw.setPersister(store);
  return store;
}

/** The CLI's files under a state directory. */
export function statePaths(dir: string): { dir: string; state: string; sealKey: string } {
  return { dir, state: join(dir, 'state.bin'), sealKey: join(dir, 'seal.key') };
}

/**
 * Reads a 32-byte sealing key file; with `create`, makes a new random one
 * (0600) when missing. A key file others can read or write is refused.
 */
export async function readSealKeyFile(path: string, create = false): Promise<Uint8Array> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!create) throw new StateStoreError(path, 'the sealing key file is missing');
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const key = new Uint8Array(randomBytes(32));
    await writeFile(path, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
  if ((st.mode & 0o077) !== 0) {
    throw new StateStoreError(path, `the sealing key file is accessible to others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
  }
  const key = new Uint8Array(await readFile(path));
  if (key.byteLength !== 32) throw new StateStoreError(path, `a sealing key file holds 32 bytes (this one ${key.byteLength})`);
  return key;
}
