// Forwards the audit log to a syslog collector (CR 6.2 continuous monitoring;
// central collection): every export item as an RFC 5424 message
// (syslog_format.ts) over TCP with octet-counting framing (RFC 6587 section
// 3.4.1), optionally TLS (RFC 5425). It never blocks the caller: enqueue()
// only queues; a bounded queue drops its oldest messages when full and counts
// them. It reconnects with exponential backoff.
//
// TCP syslog has no acknowledgement. The forwarder keeps the messages it
// wrote on a connection, up to resendBytes; after a reconnect it sends them
// again (a collector recognises duplicates by sequence number), then the
// queue. The sequence number of the oldest kept record is the cursor: saved
// to cursorPath, so a restarted forwarder resumes from the drained files
// there (resumeFrom).

import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './state_store.js';
import { exportItems, type ExportItem } from './audit_verify.js';
import { decodeRecord } from './audit_record.js';
import { formatItem, frame, type SyslogFormatOptions } from './syslog_format.js';

export interface SyslogOptions extends SyslogFormatOptions {
  host: string;
  port: number;
  /** TLS (RFC 5425) with these options (ca, cert, key, servername, ...); plain TCP when absent. */
  tls?: ConnectionOptions;
  /** Most messages queued (default 100,000); beyond, the oldest are dropped and counted. */
  maxQueue?: number;
  /** Bytes of sent messages kept for sending again after a reconnect (default 8 MiB). */
  resendBytes?: number;
  /** Backoff between connection attempts: first and largest delay, ms (default 100, 30,000). */
  backoffMs?: [number, number];
  /** Where the cursor (sequence number to resume from) is saved. */
  cursorPath?: string;
  onError?: (e: Error) => void;
}

interface Msg { seq: bigint; data: Buffer }

export class SyslogForwarder {
  private queue: Msg[] = [];
  private sent: Msg[] = [];
  private sentBytes = 0;
  private socket: Socket | undefined;
  private connected = false;
  private closed = false;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private lastSeq = 0n;
  private cursorSaved = -1n;
  private saving = false;
  /** Messages dropped because the queue was full. */
  dropped = 0;
  /** Connections made (the first one included). */
  connections = 0;
  /** Messages written to a socket (resent ones included). */
  written = 0;

  constructor(private readonly o: SyslogOptions) {
    this.delay = o.backoffMs?.[0] ?? 100;
  }

  /** Connects (in the background) and keeps connecting until close(). */
  start(): this {
    this.connect();
    return this;
  }

  /** Queues every item of an export (as AuditDrain's onExport gives them); returns at once. */
  enqueue(exported: Uint8Array): void {
    let prevSeq = this.lastSeq;
    for (const it of exportItems(exported)) {
      const seq = it.kind === 'record' ? decodeRecord(it.record!).seq : prevSeq;
      prevSeq = seq;
      this.push({ seq, data: frame(formatItem(it, this.o)) });
    }
    this.lastSeq = prevSeq;
    this.flush();
  }

  /** Queues the items of drained files from record seq on (after a restart: the saved cursor). */
  async resumeFrom(files: string[], seq?: bigint): Promise<void> {
    const from = seq ?? await this.savedCursor();
    if (from === undefined) return;
    for (const f of files) {
      const bytes = new Uint8Array(await readFile(f));
      let prev: ExportItem | undefined;
      let on = false;
      for (const it of exportItems(bytes)) {
        if (!on && it.kind === 'record' && decodeRecord(it.record!).seq >= from) {
          on = true;
          // Restate the chain head before the first record sent, as an export would.
          if (prev && prev.kind === 'record') {
            const ps = decodeRecord(prev.record!).seq;
            this.push({ seq: ps, data: frame(formatItem({ kind: 'start', item: 0, offset: 0, end: 0, seq: ps, head: prev.head }, this.o)) });
          }
        }
        if (on) {
          const s = it.kind === 'record' ? decodeRecord(it.record!).seq : this.lastSeq;
          this.lastSeq = s;
          this.push({ seq: s, data: frame(formatItem(it, this.o)) });
        } else if (it.kind === 'start' && it.seq! + 1n >= from) {
          on = true;
          this.push({ seq: it.seq!, data: frame(formatItem(it, this.o)) });
        }
        prev = it;
      }
    }
    this.flush();
  }

  async savedCursor(): Promise<bigint | undefined> {
    if (!this.o.cursorPath) return undefined;
    try { return BigInt(JSON.parse(await readFile(this.o.cursorPath, 'utf8')).seq); } catch { return undefined; }
  }

  /** Messages waiting (not yet written). */
  get pending(): number { return this.queue.length; }

  /** Resolves once the queue is empty and written, or after timeoutMs (false). */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.queue.length === 0 && this.connected && (this.socket?.writableLength ?? 0) === 0) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.saveCursor();
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((r) => { s.end(() => r()); setTimeout(r, 1000).unref(); });
    s?.destroy();
  }

  private push(m: Msg): void {
    const max = this.o.maxQueue ?? 100_000;
    if (this.queue.length >= max) { this.queue.shift(); this.dropped++; }
    this.queue.push(m);
  }

  private connect(): void {
    if (this.closed) return;
    const onConnect = () => {
      this.connected = true;
      this.connections++;
      this.delay = this.o.backoffMs?.[0] ?? 100;
      // Send again what the last connection may have lost, then the queue.
      if (this.sent.length) {
        this.queue = [...this.sent, ...this.queue];
        this.sent = [];
        this.sentBytes = 0;
      }
      this.flush();
    };
    const s = this.o.tls
      ? tlsConnect({ host: this.o.host, port: this.o.port, ...this.o.tls }, onConnect)
      : netConnect({ host: this.o.host, port: this.o.port }, onConnect);
    s.setNoDelay(true);
    s.on('error', (e) => this.o.onError?.(e));
    s.on('close', () => {
      this.connected = false;
      if (this.socket === s) this.socket = undefined;
      this.retry();
    });
    s.on('drain', () => this.flush());
    this.socket = s;
  }

  private retry(): void {
    if (this.closed || this.timer) return;
    const d = this.delay;
    this.delay = Math.min(this.delay * 2, this.o.backoffMs?.[1] ?? 30_000);
    this.timer = setTimeout(() => { this.timer = undefined; this.connect(); }, d);
    this.timer.unref();
  }

  private flush(): void {
    const s = this.socket;
    if (!s || !this.connected) return;
    const keep = this.o.resendBytes ?? 8 * 1024 * 1024;
    while (this.queue.length) {
      const m = this.queue.shift()!;
      this.sent.push(m);
      this.sentBytes += m.data.length;
      while (this.sentBytes > keep && this.sent.length > 1) this.sentBytes -= this.sent.shift()!.data.length;
      this.written++;
      if (!s.write(m.data)) break;   // wait for 'drain'
    }
    void this.saveCursor();
  }

  private async saveCursor(): Promise<void> {
    if (!this.o.cursorPath || this.saving) return;
    const oldest = this.sent[0]?.seq ?? this.queue[0]?.seq;
    if (oldest === undefined || oldest === this.cursorSaved) return;
    this.saving = true;
    try {
      await writeFileAtomic(this.o.cursorPath, new TextEncoder().encode(JSON.stringify({ seq: oldest.toString() })));
      this.cursorSaved = oldest;
    } catch (e) {
      this.o.onError?.(e as Error);
    } finally {
      this.saving = false;
    }
  }
}
