// Audit export items as RFC 5424 syslog messages, and back. Each message
// carries its item whole in structured data under an SD-ID with a private
// enterprise number (RFC 5424 section 7.2.2; 32473 is the number RFC 5612
// reserves for documentation), so a collector's copy of the log re-verifies:
//
//   record:     MSGID = category; [iacsec@PEN seq hash type outcome sync iface peer subject cbor]
//   checkpoint: MSGID "checkpoint"; [iacsec@PEN item="checkpoint" index seq seal note]
//   start:      MSGID "start"; [iacsec@PEN item="start" seq hash]
//
// hash is the chain head after the record (hex), cbor the record (base64),
// note the signed checkpoint (base64). Facility 13 (log audit).

import { hostname } from 'node:os';
import { decodeRecord } from './audit_record.js';
import { parseCheckpoint } from './audit_note.js';
import type { ExportItem } from './audit_verify.js';
import { head } from './audit_cbor.js';

export interface SyslogFormatOptions {
  /** Private enterprise number of the SD-ID (default 32473, for documentation). */
  enterpriseNumber?: number;
  hostname?: string;
  appName?: string;
}

const FACILITY_LOG_AUDIT = 13;
const SEVERITY = { success: 6, denied: 4, failure: 3 } as const;   // informational, warning, error

/** RFC 5424 section 6.3.3: '"', '\' and ']' are escaped in a PARAM-VALUE. */
function sdValue(s: string): string { return s.replace(/[\\"\]]/g, (c) => `\\${c}`); }

/** PRINTUSASCII without spaces, at most n characters (HOSTNAME, APP-NAME, MSGID). */
function token(s: string, n: number): string {
  const t = s.replace(/[^\x21-\x7e]/g, '').slice(0, n);
  return t.length ? t : '-';
}

export function sdId(pen = 32473): string { return `iacsec@${pen}`; }

/** The message for one export item (text, UTF-8). */
export function formatItem(it: ExportItem, o: SyslogFormatOptions = {}): string {
  const id = sdId(o.enterpriseNumber);
  const host = token(o.hostname ?? hostname(), 255);
  const app = token(o.appName ?? 'iacsec', 48);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
  if (it.kind === 'record') {
    const r = decodeRecord(it.record!);
    const pri = FACILITY_LOG_AUDIT * 8 + (r.category === 'integrity_event' && r.outcome !== 'success' ? 2 : SEVERITY[r.outcome]);
    const params = [`seq="${r.seq}"`, `hash="${hex(it.head!)}"`, `type="${r.type}"`, `outcome="${r.outcome}"`, `sync="${r.clockSync}"`];
    if (r.iface) params.push(`iface="${sdValue(r.iface)}"`);
    if (r.peer) params.push(`peer="${sdValue(r.peer)}"`);
    if (r.subject) params.push(`subject="${sdValue(r.subject)}"`);
    params.push(`cbor="${b64(it.record!)}"`);
    const msg = `${r.category} ${r.typeName ?? `type ${r.type}`} ${r.outcome}${r.subject ? ` subject ${r.subject}` : ''}${r.peer ? ` peer ${r.peer}` : ''}`;
    return `<${pri}>1 ${new Date(r.time).toISOString()} ${host} ${app} - ${token(r.category, 32)} [${id} ${params.join(' ')}] ${msg}`;
  }
  const now = new Date().toISOString();
  if (it.kind === 'checkpoint') {
    const cp = parseCheckpoint(it.note!);
    return `<${FACILITY_LOG_AUDIT * 8 + 5}>1 ${now} ${host} ${app} - checkpoint [${id} item="checkpoint" index="${cp.index}" seq="${cp.size}" seal="${hex(it.seal!)}" note="${b64(it.note!)}"] checkpoint ${cp.index} covers record ${cp.size}${cp.export ? ' (export)' : ''}`;
  }
  return `<${FACILITY_LOG_AUDIT * 8 + 7}>1 ${now} ${host} ${app} - start [${id} item="start" seq="${it.seq}" hash="${hex(it.head!)}"] export continues after record ${it.seq}`;
}

/** Octet-counting framing (RFC 6587 section 3.4.1): MSG-LEN SP SYSLOG-MSG. */
export function frame(msg: string): Buffer {
  const b = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${b.length} `), b]);
}

export interface ParsedMessage {
  pri: number;
  timestamp: string;
  hostname: string;
  appName: string;
  msgId: string;
  params: Record<string, string>;
  msg: string;
}

/** Parses an RFC 5424 message with one SD element of this SD-ID; throws Error when it is not one. */
export function parseMessage(line: string, pen = 32473): ParsedMessage {
  const m = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) \[(\S+)((?: [^=\s\]]+="(?:[^"\\\]]|\\.)*")*)\](?: (.*))?$/s.exec(line);
  if (!m) throw new Error('not an RFC 5424 message with structured data');
  if (m[7] !== sdId(pen)) throw new Error(`SD-ID ${m[7]} is not ${sdId(pen)}`);
  const params: Record<string, string> = {};
  for (const p of m[8].matchAll(/ ([^=\s\]]+)="((?:[^"\\\]]|\\.)*)"/g)) params[p[1]] = p[2].replace(/\\(.)/g, '$1');
  return { pri: Number(m[1]), timestamp: m[2], hostname: m[3], appName: m[4], msgId: m[6], params, msg: m[9] ?? '' };
}

/**
 * Rebuilds an export (CBOR sequence) from messages a collector kept, in any
 * order and with duplicates: records by sequence number, checkpoints after
 * the record they cover (by index), start items before the record after them.
 */
export function rebuildExport(messages: ParsedMessage[]): Uint8Array {
  type Entry = { order: [bigint, number, bigint]; bytes: Buffer };
  const entries = new Map<string, Entry>();
  const bstr = (b: Uint8Array) => Buffer.concat([head(2, b.length), b]);
  const tstr = (s: string) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([head(3, b.length), b]); };
  for (const m of messages) {
    const p = m.params;
    const item = p.item ?? 'record';
    if (item === 'record') {
      const seq = BigInt(p.seq);
      const rec = Buffer.from(p.cbor, 'base64');
      entries.set(`r${seq}`, { order: [seq, 1, 0n], bytes: Buffer.concat([Buffer.of(0x83, 0x00), bstr(rec), bstr(Buffer.from(p.hash, 'hex'))]) });
    } else if (item === 'checkpoint') {
      const seq = BigInt(p.seq), index = BigInt(p.index);
      const note = Buffer.from(p.note, 'base64').toString('utf8');
      entries.set(`c${index}`, { order: [seq, 2, index], bytes: Buffer.concat([Buffer.of(0x83, 0x01), tstr(note), bstr(Buffer.from(p.seal, 'hex'))]) });
    } else if (item === 'start') {
      const seq = BigInt(p.seq);
      entries.set(`s${seq}`, { order: [seq, 3, 0n], bytes: Buffer.concat([Buffer.of(0x83, 0x02), head(0, seq), bstr(Buffer.from(p.hash, 'hex'))]) });
    }
  }
  // A start item after record s comes right before record s + 1: order it after s's checkpoints.
  const sorted = [...entries.values()].sort((a, b) => {
    for (let i = 0; i < 3; i++) if (a.order[i] !== b.order[i]) return a.order[i] < b.order[i] ? -1 : 1;
    return 0;
  });
  return new Uint8Array(Buffer.concat(sorted.map((e) => e.bytes)));
}
