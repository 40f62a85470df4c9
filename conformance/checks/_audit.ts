// Capability checks of the audit log (assembly/audit/, host/audit*.ts): what
// the module records (CR 2.8), its capacity and warning (CR 2.9, RE1), what
// it does when full (CR 2.10), timestamps and clock state (CR 2.11, RE1),
// tamper evidence (CR 3.9), programmatic read access (CR 6.1, RE1) and
// forwarding to a collector over TCP syslog (CR 6.2). Each check drives a
// fresh instance of the module under test through the host API and checks
// the records it exports with the host verifier. Listed in fr2.ts, fr3.ts
// and fr6.ts.

import { createServer, type AddressInfo } from 'node:net';
import { STATUS } from '../../bindings/abi.js';
import { Audit, AuditError, audit, type AppendInput } from '../../host/audit.js';
import { decodeRecord, type AuditRecord } from '../../host/audit_record.js';
import { exportItems, verifyLog } from '../../host/audit_verify.js';
import { SyslogForwarder } from '../../host/syslog.js';
import { parseMessage, rebuildExport } from '../../host/syslog_format.js';
import type { Check, CheckContext } from './registry.js';
import { Tally, attempt, manifestFor, provisioned } from './_firmware.js';
import { ADMIN, ROLE, accessBench } from './_access.js';

const CATEGORY_LIST = [
  'access_control', 'request_error', 'control_system_event', 'backup_restore',
  'configuration_change', 'potential_reconnaissance', 'audit_log_event', 'integrity_event',
] as const;

const RECORD: AppendInput = { category: 'access_control', type: 200, outcome: 'success', iface: 'opcua', peer: '192.0.2.7:4840', subject: 'operator1', detail: 'x' };

async function auditModule(ctx: CheckContext): Promise<{ log: Audit; publicKey: Uint8Array }> {
  const log = audit(await ctx.load());
  log.setDeviceSecret(ctx.rng.bytes(32));
  return { log, publicKey: log.devicePublicKey() };
}

function records(bytes: Uint8Array): AuditRecord[] {
  return [...exportItems(bytes)].filter((i) => i.kind === 'record').map((i) => decodeRecord(i.record!));
}

const named = (rs: AuditRecord[], name: string) => rs.filter((r) => r.typeName === name);

const recordsDecisions: Check = {
  id: 'audit.records-decisions',
  title: 'Firmware decisions and host events of every category become audit records with time, source, category, type and outcome',
  requirements: ['CR 2.8'],
  kind: 'capability',
  part: 'audit',
  remedy: 'append every decision of the module (ev_push) and every host event (iacsec_audit_append) to the audit ring',
  async run(ctx) {
    const t = new Tally(ctx);
    const supplier = ctx.key('supplier', 'ed25519');
    const { api, fw } = await provisioned(ctx, [supplier]);
    const log = audit(api);
    log.setDeviceSecret(ctx.rng.bytes(32));
    const image = ctx.rng.bytes(1000);
    t.expect('install of a signed image', 'OK', await attempt(fw, await manifestFor(supplier, image, { counter: 2 }), image));
    t.expect('install of an image signed by an unknown key', 'ERR_UNKNOWN_KEY',
      await attempt(fw, await manifestFor(ctx.key('stranger', 'ed25519'), image, { counter: 3 }), image));
    for (const [i, category] of CATEGORY_LIST.entries()) {
      log.append({ category, type: 300 + i, outcome: i % 3 === 0 ? 'success' : i % 3 === 1 ? 'failure' : 'denied', iface: 'eth0', peer: `192.0.2.${i + 1}`, subject: `user${i}` });
    }
    const bytes = log.exportAll().bytes;
    ctx.input('audit.cbor', bytes);
    const rs = records(bytes);
    const accepted = named(rs, 'FW_ACCEPTED')[0], rejected = named(rs, 'FW_REJECTED')[0];
    t.expect('the accepted install is recorded, outcome success', 'success', accepted?.outcome ?? 'missing');
    t.expect('the refused install is recorded, outcome failure', 'failure', rejected?.outcome ?? 'missing');
    t.expect('the refusal carries its status', String(STATUS.ERR_UNKNOWN_KEY.code), String(rejected?.event?.status ?? 'missing'));
    t.expect('provisioning is recorded', 'yes', named(rs, 'ANCHOR_ADDED').length > 0 ? 'yes' : 'no');
    for (const [i, category] of CATEGORY_LIST.entries()) {
      const r = rs.find((x) => x.type === 300 + i);
      t.expect(`host event of category ${category}: category, peer and subject kept`, `${category} 192.0.2.${i + 1} user${i}`,
        r ? `${r.category} ${r.peer} ${r.subject}` : 'missing');
    }
    t.expect('every record has a time and a rising sequence number', 'yes',
      rs.every((r, i) => r.time > 0 && (i === 0 || r.seq > rs[i - 1].seq)) ? 'yes' : 'no');
    return { result: t.ok ? 'pass' : 'fail', summary: t.ok ? `${rs.length} records: firmware decisions and all 8 categories` : t.describe(), measured: { records: rs.length } };
  },
};

const capacity: Check = {
  id: 'audit.capacity-warning',
  title: 'The ring has a fixed capacity; crossing the threshold of unacknowledged records is recorded and signalled once per crossing',
  requirements: ['CR 2.9', 'CR 2.9 RE1'],
  kind: 'capability',
  part: 'audit',
  remedy: 'record AUDIT_THRESHOLD once per crossing of the configured share of the ring',
  async run(ctx) {
    const t = new Tally(ctx);
    const { log } = await auditModule(ctx);
    log.configure({ policy: 'overwrite', thresholdPercent: 50 });
    let n = 0;
    while (!log.status().aboveThreshold && n < 100_000) { log.append(RECORD); n++; }
    const s = log.status();
    t.expect('the threshold is reached before the ring is full', 'yes', s.aboveThreshold && s.unackedBytes < s.ringBytes ? 'yes' : 'no');
    for (let i = 0; i < 50; i++) log.append(RECORD);
    let rs = records(log.exportAll().bytes);
    t.expect('one warning for one crossing', '1', String(named(rs, 'AUDIT_THRESHOLD').length));
    log.ack(log.status().nextSeq);
    t.expect('below the threshold once acknowledged', 'false', String(log.status().aboveThreshold));
    for (let i = 0; i < n + 10; i++) log.append(RECORD);
    rs = records(log.exportAll().bytes);
    t.expect('a second crossing warns again', '1', String(named(rs, 'AUDIT_THRESHOLD').length));
    return {
      result: t.ok ? 'pass' : 'fail',
      summary: t.ok ? `ring of ${s.ringBytes} bytes; warned at 50 % after ${n} records` : t.describe(),
      measured: { ringBytes: s.ringBytes, recordsToThreshold: n },
    };
  },
};

const failureResponse: Check = {
  id: 'audit.failure-response',
  title: 'A full ring never blocks: overwrite records the loss as evidence; reject refuses non-critical records, keeps critical ones, and says so',
  requirements: ['CR 2.10'],
  kind: 'capability',
  part: 'audit',
  remedy: 'overwrite the oldest unacknowledged records with an AUDIT_RECORDS_LOST record, or refuse non-critical records with ERR_AUDIT_FULL',
  async run(ctx) {
    const t = new Tally(ctx);
    const a = await auditModule(ctx);
    a.log.configure({ policy: 'overwrite' });
    const capacityRecords = Math.ceil(a.log.status().ringBytes / 40);
    let failures = 0;
    for (let i = 0; i < 3 * capacityRecords; i++) if (typeof a.log.tryAppend(RECORD) === 'number') failures++;
    t.expect('overwrite: every append succeeds', '0', String(failures));
    const bytes = a.log.exportAll().bytes;
    const rs = records(bytes);
    const lost = named(rs, 'AUDIT_RECORDS_LOST')[0];
    t.expect('the loss is recorded with its range', 'yes', lost && lost.event!.b >= lost.event!.a ? 'yes' : 'no');
    const v = verifyLog(bytes, { publicKey: a.publicKey });
    t.expect('the log with its declared loss verifies', 'true', String(v.ok));

    const b = await auditModule(ctx);
    b.log.configure({ policy: 'reject' });
    let refused: number | bigint = 0n;
    let appended = 0;
    while (typeof (refused = b.log.tryAppend(RECORD)) !== 'number' && appended < 100_000) appended++;
    t.expect('reject: a non-critical record is refused when full', 'ERR_AUDIT_FULL', typeof refused === 'number' ? statusName(refused) : 'accepted');
    const critical = b.log.tryAppend({ ...RECORD, category: 'integrity_event', type: 201 });
    t.expect('reject: a critical (integrity) record still gets in', 'accepted', typeof critical === 'number' ? statusName(critical) : 'accepted');
    t.expect('reject: the status counts the refusal', 'yes', b.log.status().refused > 0n ? 'yes' : 'no');
    return {
      result: t.ok ? 'pass' : 'fail',
      summary: t.ok ? `overwrite kept recording ${3 * capacityRecords} appends with the loss declared; reject refused after ${appended}` : t.describe(),
      measured: { overwriteAppends: 3 * capacityRecords, rejectAfter: appended },
    };
  },
};

const timestamps: Check = {
  id: 'audit.timestamps',
  title: 'Every record carries the host clock\'s time and its synchronization state; a change of that state is itself recorded',
  requirements: ['CR 2.11', 'CR 2.11 RE1'],
  kind: 'capability',
  part: 'audit',
  remedy: 'timestamp each record from the host clock (WASI clock_time_get) with iacsec_audit_clock_sync\'s state',
  async run(ctx) {
    const t = new Tally(ctx);
    const { log } = await auditModule(ctx);
    log.append(RECORD);
    log.clockSync('synchronized');
    log.append(RECORD);
    log.clockSync('unsynchronized');
    log.append(RECORD);
    const rs = records(log.exportAll().bytes).filter((r) => r.type === 200);
    const sync = named(records(log.exportAll().bytes), 'AUDIT_CLOCK_SYNC');
    t.expect('records in order of time', 'yes', rs.every((r, i) => i === 0 || r.time >= rs[i - 1].time) ? 'yes' : 'no');
    t.expect('times from the clock (ms since the epoch, after 2020)', 'yes', rs.every((r) => r.time > Date.UTC(2020, 0, 1)) ? 'yes' : 'no');
    t.expect('clock state carried by each record', 'unknown synchronized unsynchronized', rs.map((r) => r.clockSync).join(' '));
    t.expect('each change of the clock state is recorded', '2', String(sync.length));
    return { result: t.ok ? 'pass' : 'fail', summary: t.ok ? 'time and sync state on every record; 2 changes recorded' : t.describe() };
  },
};

const tamper: Check = {
  id: 'audit.tamper-evidence',
  title: 'An exported log verifies with the device key, and every changed byte, deleted record, cut tail or foreign key is found',
  requirements: ['CR 3.9'],
  kind: 'capability',
  part: 'audit',
  remedy: 'chain the records with SHA-256, sign checkpoints with the device key, and verify every item',
  async run(ctx) {
    const t = new Tally(ctx);
    const { log, publicKey } = await auditModule(ctx);
    log.configure({ checkpointEvery: 100 });
    for (let i = 0; i < 600; i++) log.append({ ...RECORD, type: 200 + (i % 50), subject: `user${i % 7}` });
    const bytes = new Uint8Array(log.exportAll().bytes);   // a copy: each change below is made on a copy of it
    ctx.input('audit.cbor', bytes);
    const good = verifyLog(bytes, { publicKey });
    t.expect('the log verifies and is proven to its last record', 'yes', good.ok && good.provenThrough === good.lastSeq ? 'yes' : 'no');
    let flips = 0, missed = 0;
    for (let at = 0; at < bytes.length; at += 53) {
      const c = bytes.slice(); c[at] ^= 0x01; flips++;
      if (verifyLog(c, { publicKey }).ok) missed++;
    }
    t.expect(`${flips} single-bit changes found`, '0 missed', `${missed} missed`);
    const items = [...exportItems(bytes)].filter((i) => i.kind !== 'start');
    let deletions = 0, deletionsMissed = 0;
    for (let k = 0; k < items.length; k += 17) {
      const it = items[k];
      const c = new Uint8Array(Buffer.concat([bytes.subarray(0, it.offset), bytes.subarray(it.end)]));
      deletions++;
      if (verifyLog(c, { publicKey }).ok) deletionsMissed++;
    }
    t.expect(`${deletions} deleted items found`, '0 missed', `${deletionsMissed} missed`);
    let cuts = 0, cutsMissed = 0;
    for (let at = 1; at < bytes.length; at += Math.ceil(bytes.length / 40)) {
      cuts++;
      if (verifyLog(bytes.subarray(0, at), { publicKey }).ok) cutsMissed++;
    }
    t.expect(`${cuts} cut tails found`, '0 missed', `${cutsMissed} missed`);
    const other = await auditModule(ctx);
    t.expect('another device\'s key proves nothing', 'false', String(verifyLog(bytes, { publicKey: other.publicKey }).ok));
    const ok = t.ok;
    return {
      result: ok ? 'pass' : 'fail',
      summary: ok ? `${good.records} records proven; ${flips} changes, ${deletions} deletions, ${cuts} cuts all found` : t.describe(),
      measured: { records: good.records, checkpoints: good.checkpoints, flips, deletions, cuts },
    };
  },
};

function statusName(code: number): string {
  return Object.values(STATUS).find((s) => s.code === code)?.name ?? String(code);
}

const access: Check = {
  id: 'audit.programmatic-access',
  title: 'Records are read from a cursor without changing them; acknowledged ones are gone, and a stale or future cursor gets a status',
  requirements: ['CR 6.1', 'CR 6.1 RE1'],
  kind: 'capability',
  part: 'audit',
  remedy: 'export from a cursor as a CBOR sequence (iacsec_audit_export), acknowledge with iacsec_audit_ack',
  async run(ctx) {
    const t = new Tally(ctx);
    const { log } = await auditModule(ctx);
    for (let i = 0; i < 30; i++) log.append({ ...RECORD, type: 200 + i });
    const seqs = (b: Uint8Array) => records(b).filter((r) => r.type >= 200).map((r) => r.seq).join(',');
    const first = log.exportAll(), second = log.exportAll();
    t.expect('reading twice gives the same records (read-only)', seqs(first.bytes), seqs(second.bytes));
    const all = records(first.bytes).filter((r) => r.type >= 200);
    const from = all[10].seq;
    const tail = records(log.exportAll(from).bytes).filter((r) => r.type >= 200);
    t.expect('reading from a cursor starts at that record', String(from), String(tail[0]?.seq ?? 'none'));
    log.ack(all[20].seq);
    const after = records(log.exportAll().bytes).filter((r) => r.type >= 200);
    t.expect('acknowledged records are not read again', String(all[20].seq), String(after[0]?.seq ?? 'none'));
    const code = (fn: () => unknown) => { try { fn(); return 'OK'; } catch (e) { return e instanceof AuditError ? statusName(e.code) : String(e); } };
    t.expect('a cursor before the acknowledged records', 'ERR_AUDIT_STALE', code(() => log.exportChunk(all[5].seq)));
    t.expect('a cursor past the next record', 'ERR_AUDIT_CURSOR', code(() => log.exportChunk(log.status().nextSeq + 1000n)));
    return { result: t.ok ? 'pass' : 'fail', summary: t.ok ? 'cursor reads, read-only, acknowledgement, stale and future cursors' : t.describe() };
  },
};

/** A TCP syslog collector on 127.0.0.1 (RFC 6587 octet counting): the messages it received. */
async function collector(): Promise<{ port: number; messages: string[]; close: () => Promise<void> }> {
  const messages: string[] = [];
  const server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const sp = buf.indexOf(0x20);
        if (sp < 0) break;
        const len = Number(buf.subarray(0, sp).toString('ascii'));
        if (!Number.isSafeInteger(len) || buf.length < sp + 1 + len) break;
        messages.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
        buf = buf.subarray(sp + 1 + len);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const forwarding: Check = {
  id: 'audit.forwarding',
  title: 'Every record and checkpoint is forwarded as RFC 5424 syslog over TCP, and the log re-verifies from what the collector received',
  requirements: ['CR 6.2'],
  kind: 'capability',
  part: 'audit',
  remedy: 'forward each exported item with SyslogForwarder (RFC 5424, octet-counting TCP, optionally TLS)',
  async run(ctx) {
    const t = new Tally(ctx);
    const { log, publicKey } = await auditModule(ctx);
    for (let i = 0; i < 200; i++) log.append({ ...RECORD, type: 200 + (i % 10) });
    const bytes = log.exportAll().bytes;
    const c = await collector();
    const fwd = new SyslogForwarder({ host: '127.0.0.1', port: c.port, hostname: 'iacsec-conformance' }).start();
    try {
      fwd.enqueue(bytes);
      t.expect('the forwarder delivered everything', 'true', String(await fwd.idle(10_000)));
      // Bounded wait for the collector to read what was sent.
      const want = [...exportItems(bytes)].length;
      for (let i = 0; i < 100 && c.messages.length < want; i++) await new Promise((r) => setTimeout(r, 20));
      t.expect('one message per exported item', String(want), String(c.messages.length));
      const rebuilt = rebuildExport(c.messages.map((m) => parseMessage(m)));
      const v = verifyLog(rebuilt, { publicKey });
      t.expect('the log re-verifies from the collector\'s copy', 'true', String(v.ok));
      t.expect('every record arrived', String(records(bytes).length), String(v.records));
    } finally {
      await fwd.close();
      await c.close();
    }
    return { result: t.ok ? 'pass' : 'fail', summary: t.ok ? `${c.messages.length} messages received; the log re-verifies from them` : t.describe(), measured: { messages: c.messages.length } };
  },
};

const nonRepudiation: Check = {
  id: 'audit.non-repudiation',
  title: 'An action by a user is recorded with the acting account and its subject, in a log signed by the device key that no one can change unnoticed',
  requirements: ['CR 2.12'],
  kind: 'capability',
  part: 'audit',
  remedy: 'record the acting and the subject account of every access-control decision in the signed audit log',
  async run(ctx) {
    const t = new Tally(ctx);
    const b = await accessBench(ctx);
    const log = audit(b.api);
    log.setDeviceSecret(ctx.rng.bytes(32));
    b.addUser('nora', 'pump station south 12', ROLE.operator);
    const bytes = new Uint8Array(log.exportAll().bytes);
    // Not kept as evidence: login records carry source keys from the module's random key, so the bytes differ per run.
    ctx.log(`audit export of ${bytes.length} bytes, ${records(bytes).length} records`);
    const added = named(records(bytes), 'USER_ADDED')[0];
    const acting = added?.event?.kid ? Buffer.from(added.event.kid).toString('utf8') : 'none';
    t.expect('the account added is the record\'s subject', 'nora', added?.subject ?? 'missing');
    t.expect('the administrator who added it is named', ADMIN, acting);
    const v = verifyLog(bytes, { publicKey: log.devicePublicKey() });
    t.expect('the record is covered by a checkpoint signed with the device key', 'yes', v.ok && added !== undefined && v.provenThrough >= added.seq ? 'yes' : 'no');
    const changed = bytes.slice();
    const at = Buffer.from(changed).indexOf(Buffer.from('nora'));
    changed[at] ^= 0x20;
    t.expect('changing the name in the record is found', 'false', String(verifyLog(changed, { publicKey: log.devicePublicKey() }).ok));
    return { result: t.ok ? 'pass' : 'fail', summary: t.ok ? `USER_ADDED by ${acting} for nora, proven by a signed checkpoint` : t.describe() };
  },
};

export const AUDIT_FR2_CHECKS: readonly Check[] = [recordsDecisions, capacity, failureResponse, timestamps, nonRepudiation];
export const AUDIT_FR3_CHECKS: readonly Check[] = [tamper];
export const AUDIT_FR6_CHECKS: readonly Check[] = [access, forwarding];
