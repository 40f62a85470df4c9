// The command line's device state directory (--state DIR): DIR/state.bin
// (the sealed state), DIR/state.bin.hwm (its high-water mark),
// DIR/state.bin.lock (the lock while a command runs), DIR/audit.cbor (the
// audit records, drained at every save: state_audit.ts), DIR/seal.key and
// DIR/device.key (32-byte secrets, 0600, created by provision). Checked
// before any work, so every problem gets a message that names it.

import { constants } from 'node:fs';
import { join } from 'node:path';
import { access, lstat, stat } from 'node:fs/promises';
import { loadModule } from './index.js';
import { Firmware, type FirmwareEvent } from './firmware.js';
import { readFileBounded } from './atomic_file.js';
import { openStateStore, readSealKeyFile, statePaths, StateStoreError, type StateStore } from './state_store.js';
import { StateUseError, UsageError, type Values } from './cli_args.js';

export interface OpenState {
  fw: Firmware;
  store: StateStore;
  paths: ReturnType<typeof statePaths> & { hwm: string; lock: string; audit: string };
}

export interface OpenStateOptions {
  /** The command saves state: the directory must be writable. Without it nothing is saved (read-only commands). */
  write?: boolean;
  /** Save the decisions a read-only command records (their event sequence), as verify-boot does. */
  saveEvents?: boolean;
  /** Open a damaged state (the module is then fail-secure): for restore and recover. */
  allowFailSecure?: boolean;
  /** Create missing key files (provision). */
  create?: boolean;
  /** The device key is needed (backup, restore). */
  deviceKey?: boolean;
}

export function paths(dir: string): OpenState['paths'] {
  const p = statePaths(dir);
  return { ...p, hwm: `${p.state}.hwm`, lock: `${p.state}.lock`, audit: join(dir, 'audit.cbor') };
}

const exists = (path: string) => lstat(path).then(() => true, () => false);

/** What is at DIR: nothing, or a directory (anything else is a usage error). */
export async function checkStateDir(dir: string): Promise<'missing' | 'directory'> {
  let st;
  try {
    st = await stat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`--state ${dir}: a part of the path is not a directory`);
    throw new UsageError(`--state ${dir}: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) throw new UsageError(`--state ${dir}: is a file, not a state directory`);
  return 'directory';
}

/** True when DIR holds a state, or once held one (its high-water mark is there). */
export async function hasState(dir: string): Promise<boolean> {
  const p = paths(dir);
  return (await exists(p.state)) || (await exists(p.hwm));
}

/** A lock path that is not a lock file stops the command; a garbage lock file is noted (it is broken as stale). */
async function checkLock(lock: string): Promise<void> {
  let st;
  try { st = await lstat(lock); } catch { return; }
  if (!st.isFile()) {
    throw new StateUseError(`${lock}: is ${st.isDirectory() ? 'a directory' : 'not a regular file'}, not a lock file: remove it if no iacsec process is running`);
  }
  const text = Buffer.from(await readFileBounded(lock, 4096).catch(() => new Uint8Array(0))).toString('utf8');
  let owner: unknown;
  try { owner = JSON.parse(text); } catch { /* garbage */ }
  const valid = typeof owner === 'object' && owner !== null && Number.isSafeInteger((owner as { pid?: unknown }).pid);
  if (!valid && (text.length > 0 || Date.now() - st.mtimeMs > 2000)) {
    process.stderr.write(`iacsec: note: ${lock} names no lock owner (garbage, or left by a crash while it was written); it is treated as stale and replaced\n`);
  }
}

/** Loads the module (--module or the bundled build) for the firmware commands. */
export async function newFirmware(v: Values): Promise<Firmware> {
  const api = await loadModule({ path: v.module as string | undefined });
  return new Firmware(api);
}

/**
 * Opens DIR's state for a fresh module, after checking the directory, the
 * lock and the key files. A state that cannot be used is a StateUseError
 * (exit 3) naming the cause; a damaged one names restore and recover.
 */
export async function openState(v: Values, dir: string, o: OpenStateOptions = {}): Promise<OpenState> {
  const p = paths(dir);
  const kind = await checkStateDir(dir);
  if (!o.create && (kind === 'missing' || !(await hasState(dir)))) {
    throw new StateUseError(`${dir}: no device state here: run \`iacsec provision --state ${dir} ...\` first`);
  }
  if (kind === 'directory') {
    try {
      await access(dir, constants.W_OK | constants.X_OK);
    } catch {
      throw new StateUseError(`${dir}: the state directory is not writable${o.write ? ', so the state cannot be saved' : ' (every command takes its lock file there)'}; nothing was changed`);
    }
    await checkLock(p.lock);
  }
  const fw = await newFirmware(v);
  let store: StateStore;
  try {
    const sealKey = await readSealKeyFile(p.sealKey, o.create ?? false);
    let deviceSecret: Uint8Array | undefined;
    if (o.create || (await exists(p.deviceSecret))) deviceSecret = await readSealKeyFile(p.deviceSecret, o.create ?? false);
    else if (o.deviceKey) throw new StateUseError(`${p.deviceSecret}: the device key file is missing (backups are signed and checked with the device key)`);
    store = await openStateStore(fw, { path: p.state, sealKey, deviceSecret, allowFailSecure: o.allowFailSecure, autosave: (o.write || o.saveEvents) ?? false, audit: { dir } });
  } catch (e) {
    if (e instanceof StateStoreError) throw new StateUseError(e.message);
    throw e;
  }
  return { fw, store, paths: p };
}

/** The events an operation queued: those drained after index `from`. */
export function eventsSince(fw: Firmware, from: number): FirmwareEvent[] {
  return fw.events.slice(from);
}

/** One line per change of state an event records, for "what changed" reports. */
export function describeChange(e: FirmwareEvent): string | undefined {
  const kid = e.kid ? `kid ${e.kid}` : '';
  switch (e.type) {
    case 'COUNTER_RAISED': return `security counter of '${e.component}' raised from ${e.a} to ${e.b}`;
    case 'COUNTER_SET': return `security counter of '${e.component}' set from ${e.a} to ${e.b} (statement signed by ${kid})`;
    case 'ANCHOR_ADDED': return `${e.role ?? ''} anchor ${kid} added${e.role === 'owner' ? ` (granted ${e.a} component${e.a === 1n ? '' : 's'})` : ''}`.trim();
    case 'ANCHOR_REVOKED': return `${kid} revoked${e.role ? ` (${e.role} anchor)` : ''}`;
    case 'PROVISIONING_CLOSED': return 'provisioning closed';
    case 'STATE_RESTORED': return `state restored from a backup of generation ${e.a}`;
    case 'STATE_RECOVERED': return `damaged state discarded: the module is factory-fresh (generation ${e.a})`;
    default: return undefined;
  }
}

/** The changes an operation made, as JSON-friendly records. */
export function changeRecords(events: FirmwareEvent[]): { event: string; text: string; component?: string; kid?: string; from?: bigint; to?: bigint }[] {
  const out = [];
  for (const e of events) {
    const text = describeChange(e);
    if (!text) continue;
    const r: { event: string; text: string; component?: string; kid?: string; from?: bigint; to?: bigint } = { event: e.type, text };
    if (e.component) r.component = e.component;
    if (e.kid) r.kid = e.kid;
    if (e.type === 'COUNTER_RAISED' || e.type === 'COUNTER_SET') { r.from = e.a; r.to = e.b; }
    out.push(r);
  }
  return out;
}
