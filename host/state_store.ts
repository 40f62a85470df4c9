// The module's persistent state (provisioning, anchors, revocations, grants,
// anti-rollback counters, event sequence, and every later part's section)
// kept by the host as one sealed blob in a file. The module seals and checks
// the blob (HMAC-SHA256 with the sealing key); the host stores it:
//  - under an exclusive lock (state_lock.ts) held from reading the state to
//    its durable write, so concurrent processes and callers never lose an
//    update: each works on the state the previous one left (CR 3.4);
//  - crash-safe: temporary file, write, fsync, rename, fsync of the
//    directory (atomic_file.ts); the blob carries a version and its seal;
//    what a killed writer left (a temporary cut off before its rename) is
//    removed by the next one to open the state;
//  - with a high-water mark of its generation outside the file
//    (high_water.ts): an older state, or a missing one where a state
//    existed, is refused as a rollback of state;
//  - fail-secure: a state that fails to load is never replaced by a fresh
//    one; the module refuses every change (ERR_FAILSECURE) until a backup is
//    restored or the damaged state is explicitly discarded (`iacsec state
//    restore` / `iacsec state recover`).
//
// Where the sealing key and device secret come from matters: a real gateway
// keeps them in a secure element or TPM and passes them to openStateStore.
// The CLI's default, key files beside the state file (mode 0600), protects
// only against edits by someone who cannot read those files.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SIZES, STATUS } from '../bindings/abi.js';
import { FirmwareError, type Firmware } from './firmware.js';
import type { StatePersister } from './module_gate.js';
import { acquireLock, StateLockError, type HeldLock } from './state_lock.js';
import { FileHighWaterMark, type HighWaterMark } from './high_water.js';
import { readFileBounded, removeLeftovers, writeFileAtomic, FileTooLargeError } from './atomic_file.js';
import { StoreAudit, type StoreAuditOptions } from './state_audit.js';

export { writeFileAtomic };

export interface StateStoreOptions {
  /** The state file (the sealed blob); its lock is PATH.lock. */
  path: string;
  /** 32 bytes from the platform's secure storage. */
  sealKey: Uint8Array;
  /** 32 bytes from which the module derives its device key (needed for backups). */
  deviceSecret?: Uint8Array;
  /** Where the generation's high-water mark lives (default: the file PATH.hwm). */
  highWater?: HighWaterMark;
  /** Save after every change or decision the module records (default true). */
  autosave?: boolean;
  /** Open even when the stored state fails to load (the module is then fail-secure), for recovery. */
  allowFailSecure?: boolean;
  /** How long to wait for another process's lock (default 15 s). */
  lockTimeoutMs?: number;
  /**
   * The audit files of this state (state_audit.ts): every transaction that
   * saves drains the module's audit ring there first. Needs the device secret
   * (exports end with a checkpoint signed by the device key).
   */
  audit?: StoreAuditOptions;
}

export interface StateStore extends StatePersister {
  readonly path: string;
  readonly highWater: HighWaterMark;
  /** True when a blob was read from the file at open. */
  readonly imported: boolean;
  /** Why the stored state failed to load, when the module is fail-secure. */
  readonly failure: FirmwareError | undefined;
  /** Saves the module's state now, under the lock (draining the audit ring first, when configured). */
  save(): Promise<void>;
  /** The audit files' drain, when the store has one. */
  readonly audit: StoreAudit | undefined;
}

/** The state file could not be used: a corrupted or wrongly keyed blob is refused, never replaced. */
export class StateStoreError extends Error {
  readonly path: string;
  readonly cause?: unknown;
  /** True when the module was left fail-secure. */
  readonly failSecure: boolean;
  constructor(path: string, message: string, cause?: unknown, failSecure = false) {
    super(`${path}: ${message}`);
    this.name = 'StateStoreError';
    this.path = path;
    this.cause = cause;
    this.failSecure = failSecure;
  }
}

const MAGIC = 0x53434149;

/** The generation written in a blob's header, or undefined for something that is not a blob. */
function peekGeneration(blob: Uint8Array): bigint | undefined {
  if (blob.byteLength < 24) return undefined;
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  return dv.getUint32(0, true) === MAGIC ? dv.getBigUint64(8, true) : undefined;
}

async function readStateFile(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFileBounded(path, SIZES.STATE_MAX_BYTES);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Too long: still handed to the module, which refuses it as malformed (and becomes fail-secure).
    if (e instanceof FileTooLargeError) return new Uint8Array(SIZES.STATE_MAX_BYTES + 1);
    throw new StateStoreError(path, `cannot read the state: ${(e as Error).message}`, e);
  }
}

/**
 * Opens the state file for a fresh module: sets the sealing key (and device
 * secret), loads the stored state under the lock, and attaches itself to
 * `fw` so every later operation runs as a transaction on the newest state.
 * A state that fails to load throws StateStoreError (failSecure true), unless
 * allowFailSecure, which returns the store with the module fail-secure.
 */
export async function openStateStore(fw: Firmware, options: StateStoreOptions): Promise<StateStore> {
  const { path, sealKey } = options;
  const highWater = options.highWater ?? new FileHighWaterMark(`${path}.hwm`);
  const lockPath = `${path}.lock`;
  const lockOptions = { timeoutMs: options.lockTimeoutMs };
  fw.setSealKey(sealKey);
  if (options.deviceSecret) fw.setDeviceSecret(options.deviceSecret);
  let failure: FirmwareError | undefined;
  let imported = false;

  /** Brings the module up to the stored state (under the lock). */
  const sync = async (): Promise<void> => {
    const blob = await readStateFile(path);
    let mark: bigint;
    try {
      mark = await highWater.read();
    } catch (e) {
      throw new StateStoreError(path, `cannot read the high-water mark: ${(e as Error).message}`, e);
    }
    if (blob !== undefined && peekGeneration(blob) === fw.generation() && fw.generation() !== 0n) return;
    if (blob === undefined && mark === 0n) return; // never had a state: factory-fresh
    try {
      fw.importState(blob ?? new Uint8Array(0), mark);
      failure = undefined;
      if (blob) imported = true;
    } catch (e) {
      if (!(e instanceof FirmwareError)) throw e;
      if (e.code === STATUS.ERR_STATE.code && !fw.failSecure()) return; // the file is not newer than the state held
      failure = e;
      const what = blob === undefined
        ? `the state file is missing, but a state of generation ${mark} existed (high-water mark: ${highWater.describe})`
        : `refused by the module: ${e.reason} (${e.status})`;
      throw new StateStoreError(path, `${what}; the module is fail-secure until \`iacsec state restore\` or \`iacsec state recover\``, e, true);
    }
  };

  const trail = options.audit ? new StoreAudit(fw.api, options.audit) : undefined;

  const write = async (lock: HeldLock): Promise<void> => {
    if (fw.failSecure()) return; // a damaged state stays as it is, as evidence
    if (!(await lock.held())) throw new StateStoreError(path, 'the state lock was lost before the write; nothing was saved');
    if (trail) {
      try {
        await trail.drain();
      } catch (e) {
        throw new StateStoreError(path, `could not store the audit records (${(e as Error).message}); the state was not saved, the records stay in the module`, e);
      }
    }
    const blob = fw.exportState();
    try {
      await writeFileAtomic(path, blob);
    } catch (e) {
      throw new StateStoreError(path, `could not save the state (${(e as Error).message}); the previous state file is intact`, e);
    }
    const gen = peekGeneration(blob)!;
    try {
      await highWater.advance(gen);
    } catch (e) {
      throw new StateStoreError(path, `saved, but could not raise the high-water mark to ${gen}: ${(e as Error).message}`, e);
    }
  };

  const withLock = async <T>(fn: (lock: HeldLock) => Promise<T>): Promise<T> => {
    let lock: HeldLock;
    try {
      lock = await acquireLock(lockPath, lockOptions);
    } catch (e) {
      if (e instanceof StateLockError) throw new StateStoreError(path, e.message.replace(`${lockPath}: `, ''), e);
      throw e;
    }
    try {
      return await fn(lock);
    } finally {
      await lock.release();
    }
  };

  const autosave = options.autosave ?? true;
  const store: StateStore = {
    path,
    highWater,
    get imported() { return imported; },
    get failure() { return failure; },
    audit: trail,
    async transaction<T>(fn: () => Promise<{ value: T; changed: boolean }>): Promise<T> {
      return withLock(async (lock) => {
        await sync().catch((e) => { if (!(e instanceof StateStoreError && e.failSecure && options.allowFailSecure)) throw e; });
        const r = await fn();
        if (r.changed && autosave) await write(lock);
        return r.value;
      });
    },
    async save() {
      await withLock(async (lock) => { await write(lock); });
    },
  };

  /** Files killed writers left (a temporary cut off before its rename, a lock's temporary, a lock moved aside): removed under the lock. */
  const removeLeftoversOfKilledWriters = async (): Promise<void> => {
    await removeLeftovers(path, 'tmp');
    if (highWater instanceof FileHighWaterMark) await removeLeftovers(highWater.path, 'tmp');
    await removeLeftovers(lockPath, 'tmp');
    await removeLeftovers(lockPath, 'stale');
  };

  try {
    await withLock(async () => {
      await removeLeftoversOfKilledWriters();
      await sync();
    });
  } catch (e) {
    if (!(e instanceof StateStoreError && e.failSecure && options.allowFailSecure)) throw e;
  }
  fw.setPersister(store);
  return store;
}

/** The CLI's files under a state directory. */
export function statePaths(dir: string): { dir: string; state: string; sealKey: string; deviceSecret: string } {
  return { dir, state: join(dir, 'state.bin'), sealKey: join(dir, 'seal.key'), deviceSecret: join(dir, 'device.key') };
}

/**
 * Reads a 32-byte key file; with `create`, makes a new random one (0600)
 * when missing. A key file others can read or write is refused.
 */
export async function readSealKeyFile(path: string, create = false): Promise<Uint8Array> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StateStoreError(path, (e as Error).message, e);
    if (!create) throw new StateStoreError(path, 'the key file is missing');
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const key = new Uint8Array(randomBytes(32));
    await writeFile(path, key, { mode: 0o600, flag: 'wx' });
    return key;
  }
  if (!st.isFile()) throw new StateStoreError(path, 'the key file is not a regular file');
  if ((st.mode & 0o077) !== 0) {
    throw new StateStoreError(path, `the key file is accessible to others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
  }
  const key = new Uint8Array(await readFile(path));
  if (key.byteLength !== 32) throw new StateStoreError(path, `a key file holds 32 bytes (this one ${key.byteLength})`);
  return key;
}
