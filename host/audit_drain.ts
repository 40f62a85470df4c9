// Drains the module's audit ring (CR 6.1 RE1) into an append-only local
// file with size-based rotation: each drain exports everything from the
// first unacknowledged record to the checkpoint that closes the export,
// writes it to the file and syncs it, then acknowledges it to the module (so
// the module may overwrite those records) and persists the module state.
// Only complete exports reach the file: a file always ends with a signed
// checkpoint over its last record, and each file verifies on its own.

import { mkdir, open, readFile, rename, stat, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { STATUS } from '../bindings/abi.js';
import { AuditError, type Audit } from './audit.js';
import { exportItems } from './audit_verify.js';
import { parseCheckpoint } from './audit_note.js';

export interface DrainOptions {
  /** Directory of the log files. */
  dir: string;
  /** File name (default audit.cbor); rotated files are NAME.1 (newest) .. NAME.N. */
  name?: string;
  /** Rotate once the file reaches this size (default 16 MiB). */
  maxFileBytes?: number;
  /** Rotated files kept (default 16); older ones are deleted. */
  keepFiles?: number;
  /** Called with each complete export after it is stored (the syslog forwarder takes it from here). */
  onExport?: (bytes: Uint8Array) => void;
  /** Persists the module state after an acknowledgement (the sealed state store's save). */
  persist?: () => Promise<void>;
}

export interface DrainResult { bytes: number; next: bigint }

export class AuditDrain {
  readonly path: string;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private tailChecked = false;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly audit: Audit, private readonly options: DrainOptions) {
    this.path = join(options.dir, options.name ?? 'audit.cbor');
    this.maxBytes = options.maxFileBytes ?? 16 * 1024 * 1024;
    this.keep = options.keepFiles ?? 16;
  }

  /** Exports, stores, acknowledges; calls are queued, never run at once. */
  drain(): Promise<DrainResult> {
    const run = this.chain.then(() => this.drainNow());
    this.chain = run.catch(() => {});
    return run;
  }

  /** Drains every intervalMs until stop(); errors go to onError (default: stderr). */
  start(intervalMs: number, onError: (e: unknown) => void = (e) => process.stderr.write(`iacsec audit drain: ${String(e)}\n`)): void {
    this.stop();
    this.timer = setInterval(() => { this.drain().catch(onError); }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private exportComplete(): { bytes: Uint8Array; next: bigint } {
    // A chunked export is kept only whole; if records were overwritten between
    // calls (ERR_AUDIT_STALE), the export starts again from the oldest: the
    // module records the loss.
    for (let attempt = 0; attempt < 8; attempt++) {
      const parts: Uint8Array[] = [];
      let c = 0n;
      try {
        for (;;) {
          const ch = this.audit.exportChunk(c);
          if (ch.bytes.length) parts.push(ch.bytes);
          c = ch.next;
          if (!ch.more) return { bytes: Buffer.concat(parts), next: c };
        }
      } catch (e) {
        if (e instanceof AuditError && e.code === STATUS.ERR_AUDIT_STALE.code) continue;
        throw e;
      }
    }
    throw new Error('audit export: records kept being overwritten during the export');
  }

  /**
   * A process killed while it appended can leave a torn last export. Before its
   * first write, a drain finds where the last whole export ends; bytes after it
   * move to NAME.torn (kept as evidence) and the file is cut there, so later
   * exports follow a whole item. Those bytes were never acknowledged: the
   * module that exported them records the loss when it restarts.
   */
  private async repairTail(): Promise<void> {
    let data: Buffer;
    try { data = await readFile(this.path); } catch { return; }
    // Whole up to the end of the last complete export (its closing checkpoint).
    let end = 0;
    try {
      for (const it of exportItems(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) {
        if (it.kind === 'checkpoint' && parseCheckpoint(it.note!).export) end = it.end;
      }
    } catch { /* a torn or damaged item: the file is whole up to end */ }
    if (end === data.length) return;
    const torn = await open(`${this.path}.torn`, 'a', 0o600);
    try { await torn.write(data.subarray(end)); await torn.sync(); } finally { await torn.close(); }
    await truncate(this.path, end);
  }

  private async drainNow(): Promise<DrainResult> {
    const { bytes, next } = this.exportComplete();
    if (bytes.length === 0) return { bytes: 0, next };
    await mkdir(this.options.dir, { recursive: true, mode: 0o700 });
    if (!this.tailChecked) {
      await this.repairTail();
      this.tailChecked = true;
    }
    await this.rotateIfNeeded(bytes.length);
    const fh = await open(this.path, 'a', 0o600);
    try {
      await fh.write(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.audit.ack(next);
    if (this.options.persist) await this.options.persist();
    this.options.onExport?.(bytes);
    return { bytes: bytes.length, next };
  }

  private async rotateIfNeeded(adding: number): Promise<void> {
    let size = 0;
    try { size = (await stat(this.path)).size; } catch { return; }
    if (size === 0 || size + adding <= this.maxBytes) return;
    if (this.keep === 0) { await unlink(this.path); return; }
    await unlink(`${this.path}.${this.keep}`).catch(() => {});
    for (let i = this.keep - 1; i >= 1; i--) await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch(() => {});
    await rename(this.path, `${this.path}.1`);
  }
}

/** The files of a drained log, oldest first (NAME.N .. NAME.1, NAME). */
export async function drainFiles(dir: string, name = 'audit.cbor'): Promise<string[]> {
  const out: string[] = [];
  for (let i = 64; i >= 1; i--) {
    try { await stat(join(dir, `${name}.${i}`)); out.push(join(dir, `${name}.${i}`)); } catch { /* none */ }
  }
  try { await stat(join(dir, name)); out.push(join(dir, name)); } catch { /* none */ }
  return out;
}
