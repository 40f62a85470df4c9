// The module's audit log through the host API: record fields, the checks of
// every input, both overflow policies, the capacity warning, cursors, events
// of other parts, checkpoints of another device, the seal key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModule, audit, verifyLog, decodeRecord, exportItems, abi, parseCheckpoint } from '../../dist/host/index.js';
import { auditModule, appendMany, SEAL_KEY } from './_audit.js';

const S = abi.STATUS;
const records = (bytes) => [...exportItems(bytes)].filter((i) => i.kind === 'record').map((i) => decodeRecord(i.record));

test('a record keeps every field, in deterministic CBOR, with the host time and clock state', async () => {
  const { log, publicKey } = await auditModule();
  log.clockSync('synchronized');
  const before = Date.now();
  const seq = log.append({ category: 'access_control', type: 200, outcome: 'denied', iface: 'opcua', peer: '192.0.2.7:4840', subject: 'operator-1', detail: 'bad password' });
  const { bytes } = log.exportAll();
  assert.equal(verifyLog(bytes, { publicKey }).ok, true);
  const r = records(bytes).find((x) => x.seq === seq);
  assert.equal(r.category, 'access_control');
  assert.equal(r.type, 200);
  assert.equal(r.outcome, 'denied');
  assert.equal(r.iface, 'opcua');
  assert.equal(r.peer, '192.0.2.7:4840');
  assert.equal(r.subject, 'operator-1');
  assert.equal(Buffer.from(r.detail).toString(), 'bad password');
  assert.equal(r.clockSync, 'synchronized');
  assert.ok(r.time >= before - 5 && r.time <= Date.now() + 5, 'timestamp from the host clock');
  // The change of clock state is itself a record (CR 2.11 RE1).
  const sync = records(bytes).find((x) => x.typeName === 'AUDIT_CLOCK_SYNC');
  assert.equal(sync.event.a, 0n);
  assert.equal(sync.event.b, 2n);
});

test('sequence numbers rise by one and never repeat', async () => {
  const { log } = await auditModule();
  const seqs = appendMany(log, 500);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1n);
});

test('bad input gets a status code, and the ring stays intact', async () => {
  const { log, publicKey } = await auditModule();
  appendMany(log, 20);
  const st0 = log.status();
  const bad = [
    [log.appendRaw(9, 100, 0), S.ERR_INVALID.code, 'unknown category'],
    [log.appendRaw(0, 100, 0), S.ERR_INVALID.code, 'category 0'],
    [log.appendRaw(1, 100, 3), S.ERR_INVALID.code, 'unknown outcome'],
    [log.appendRaw(1, 5, 0), S.ERR_INVALID.code, 'a type of the module\'s own parts'],
    [log.appendRaw(1, 65536, 0), S.ERR_INVALID.code, 'type above 65535'],
    [log.appendRaw(1, 100, 0, { detail: new Uint8Array(257) }), S.ERR_LENGTH.code, 'oversized detail'],
    [log.appendRaw(1, 100, 0, { peer: new Uint8Array(65).fill(0x41) }), S.ERR_LENGTH.code, 'oversized peer'],
    [log.appendRaw(1, 100, 0, { subject: Uint8Array.of(0xc0, 0xaf) }), S.ERR_MALFORMED.code, 'overlong UTF-8'],
    [log.appendRaw(1, 100, 0, { iface: Uint8Array.of(0xed, 0xa0, 0x80) }), S.ERR_MALFORMED.code, 'surrogate in UTF-8'],
    [log.appendRaw(1, 100, 0, { peer: Uint8Array.of(0x61, 0xff) }), S.ERR_MALFORMED.code, 'invalid UTF-8 byte'],
  ];
  for (const [got, want, what] of bad) assert.equal(got, want, what);
  const io = log.api?.ioPtr;
  assert.equal(log.status().nextSeq, st0.nextSeq, 'no sequence number used');
  assert.equal(log.appendRaw(1, 100, 0, { detail: new Uint8Array(256) }), S.OK.code, 'detail at the limit');
  assert.equal(log.appendRaw(1, 100, 0, { peer: new Uint8Array(64).fill(0x41) }), S.OK.code, 'text at the limit');
  assert.throws(() => log.append({ category: 'nope', type: 100, outcome: 'success' }), TypeError);
  const { bytes } = log.exportAll();
  assert.equal(verifyLog(bytes, { publicKey }).ok, true);
});

test('overwrite policy: the oldest unacknowledged records go, and a record states how many and which', async () => {
  const { log, publicKey } = await auditModule({ checkpointEvery: 256 });
  const first = log.status().nextSeq;
  const n = 6000;                      // more than the ring holds
  appendMany(log, n);
  const st = log.status();
  assert.ok(st.lost > 0n, 'records were lost');
  const { bytes } = log.exportAll();
  const r = verifyLog(bytes, { publicKey });
  assert.equal(r.ok, true, r.problem?.message);
  const recs = records(bytes);
  const lost = recs.filter((x) => x.typeName === 'AUDIT_RECORDS_LOST');
  assert.ok(lost.length >= 1);
  // Together the loss records name every sequence number that is not in the export.
  const present = new Set(recs.map((x) => x.seq));
  for (let s = first; s < recs[0].seq; s++) {
    assert.ok(lost.some((l) => l.event.a <= s && s <= l.event.b), `record ${s} missing without a loss record`);
  }
  assert.ok(lost.every((l) => l.category === 'audit_log_event'));
  assert.ok(present.size > 1000);
});

test('reject policy: non-critical records are refused while full, critical ones still go in, refusals are recorded', async () => {
  const { log, publicKey } = await auditModule({ policy: 'reject' });
  let refused = 0, i = 0;
  for (; i < 10000 && refused === 0; i++) {
    const st = log.tryAppend({ category: 'access_control', type: 100, outcome: 'success', detail: 'x'.repeat(40) });
    if (st === S.ERR_AUDIT_FULL.code) refused++;
  }
  assert.equal(refused, 1, 'refused once full');
  assert.equal(log.tryAppend({ category: 'request_error', type: 100, outcome: 'failure' }), S.ERR_AUDIT_FULL.code);
  const crit = log.tryAppend({ category: 'integrity_event', type: 101, outcome: 'failure' });
  assert.equal(typeof crit, 'bigint', 'an integrity event is accepted');
  const st = log.status();
  assert.equal(st.refused, 2n);
  assert.equal(st.lost, 0n, 'nothing overwritten');
  const { bytes, next } = log.exportAll();
  const r = verifyLog(bytes, { publicKey });
  assert.equal(r.ok, true, r.problem?.message);
  const rec = records(bytes).find((x) => x.typeName === 'AUDIT_RECORDS_REFUSED');
  assert.equal(rec.event.a, 2n);
  log.ack(next);
  assert.equal(typeof log.tryAppend({ category: 'access_control', type: 100, outcome: 'success' }), 'bigint', 'accepted again once acknowledged');
});

test('capacity warning: a record and one event per crossing of the threshold (CR 2.9 RE1)', async () => {
  const api = await loadModule();
  const log = audit(api);
  log.setDeviceSecret(new Uint8Array(32).fill(1));
  log.configure({ thresholdPercent: 50 });
  const events = () => {
    const out = [];
    const io = api.ioPtr;
    while (api.raw.iacsec_event_next(io) === 0) out.push(new DataView(api.heap().buffer).getUint16(io, true));
    return out;
  };
  events();
  const fill = () => { while (!log.status().aboveThreshold) log.append({ category: 'control_system_event', type: 300, outcome: 'success', detail: 'y'.repeat(30) }); };
  fill();
  for (let i = 0; i < 50; i++) log.append({ category: 'control_system_event', type: 300, outcome: 'success' });
  assert.deepEqual(events().filter((t) => t === 33), [33], 'one warning');
  // Drain; below the threshold again; fill again: a second warning.
  const { next } = log.exportAll();
  log.ack(next);
  assert.equal(log.status().aboveThreshold, false);
  fill();
  assert.deepEqual(events().filter((t) => t === 33), [33]);
});

test('cursors: stale and future ones are refused with their status, a valid one continues', async () => {
  const { log, publicKey } = await auditModule();
  appendMany(log, 100);
  const a = log.exportAll();
  log.ack(a.next);
  appendMany(log, 10, 3);
  assert.throws(() => log.exportChunk(5n), (e) => e.status === 'ERR_AUDIT_STALE' && e.cursor === a.next);
  assert.throws(() => log.exportChunk(log.status().nextSeq + 1n), (e) => e.status === 'ERR_AUDIT_CURSOR');
  assert.throws(() => log.ack(log.status().nextSeq + 5n), (e) => e.status === 'ERR_AUDIT_CURSOR');
  const b = log.exportAll(a.next);
  assert.equal(verifyLog(Buffer.concat([a.bytes, b.bytes]), { publicKey }).ok, true, 'the two exports make one log');
  const c = log.exportChunk(b.next);
  assert.equal(c.bytes.length, 0, 'nothing new: END');
  // Re-exporting unacknowledged records from the same cursor gives the same records.
  const again = log.exportAll(a.next);
  assert.deepEqual(records(again.bytes).map((r) => r.seq), records(b.bytes).map((r) => r.seq));
});

test('firmware and state decisions reach the audit log with category and outcome', async () => {
  const { api, log, publicKey } = await auditModule();
  const io = api.ioPtr;
  api.heap().fill(0xab, io, io + 32);
  api.raw.iacsec_state_seal_key(io);
  assert.equal(api.raw.iacsec_state_import(io + 64, 100, 0n), S.ERR_MALFORMED.code);
  const { bytes } = log.exportAll();
  assert.equal(verifyLog(bytes, { publicKey }).ok, true);
  const rec = records(bytes).find((r) => r.typeName === 'STATE_IMPORT_REJECTED');
  assert.equal(rec.category, 'backup_restore');
  assert.equal(rec.outcome, 'failure');
  assert.equal(rec.event.status, S.ERR_MALFORMED.code);
  // The event queue still has it, for the host (iacsec_event_next works as before).
  let found = false;
  while (api.raw.iacsec_event_next(io) === 0) if (new DataView(api.heap().buffer).getUint16(io, true) === 11) found = true;
  assert.ok(found);
});

test('a checkpoint from another device, or a log checked with another key, is refused', async () => {
  const a = await auditModule({ secret: new Uint8Array(32).fill(1) });
  const b = await auditModule({ secret: new Uint8Array(32).fill(2) });
  appendMany(a.log, 50);
  appendMany(b.log, 50);
  const la = a.log.exportAll().bytes, lb = b.log.exportAll().bytes;
  const r = verifyLog(la, { publicKey: b.publicKey });
  assert.equal(r.ok, false);
  assert.equal(r.problem.kind, 'foreign');
  assert.equal(r.provenThrough, 0n);
  // Splice b's closing checkpoint onto a's records.
  const ia = [...exportItems(la)], ib = [...exportItems(lb)];
  const lastA = ia[ia.length - 1], lastB = ib[ib.length - 1];
  const mixed = Buffer.concat([la.subarray(0, lastA.offset), lb.subarray(lastB.offset)]);
  const m = verifyLog(mixed, { publicKey: a.publicKey });
  assert.equal(m.problem.kind, 'foreign');
  assert.equal(m.problem.item, lastA.item);
});

test('seal: a wrong seal key fails; checkpoints before the key was set are not sealed; zeroize wipes the key', async () => {
  const { api, log, publicKey, sealFirst } = await auditModule({ sealKey: null });
  appendMany(log, 100);
  log.checkpoint();
  const key = new Uint8Array(32).fill(0x77);
  const first = log.setSealKey(key);
  assert.ok(first > 1n, 'sealing starts at a later checkpoint');
  appendMany(log, 100, 9);
  const { bytes } = log.exportAll();
  assert.equal(verifyLog(bytes, { publicKey, seal: { key, first } }).ok, true);
  const wrong = verifyLog(bytes, { publicKey, seal: { key: new Uint8Array(32).fill(0x78), first } });
  assert.equal(wrong.problem.kind, 'seal');
  assert.equal(sealFirst, undefined);
  // The key ratchets: after a checkpoint, the key set is no longer in memory.
  assert.equal(Buffer.from(api.heap()).indexOf(Buffer.from(key)), -1, 'the set key was ratcheted away');
  assert.throws(() => log.setSealKey(key), (e) => e.status === 'ERR_STATE');
  const st = log.status();
  assert.equal(st.sealKeySet, true);
  api.raw.iacsec_zeroize();
  assert.equal(log.status().sealKeySet, false, 'zeroize wipes the seal key (CR 4.2)');
});

test('a later checkpoint shows a tail cut at an export boundary', async () => {
  const { log, publicKey } = await auditModule();
  appendMany(log, 50);
  const a = log.exportAll();
  log.ack(a.next);
  appendMany(log, 50, 4);
  const b = log.exportAll();
  const items = [...exportItems(b.bytes)];
  const latest = items[items.length - 1].note;
  assert.equal(verifyLog(a.bytes, { publicKey }).ok, true, 'the first export alone verifies');
  const cut = verifyLog(a.bytes, { publicKey, latest });
  assert.equal(cut.ok, false);
  assert.equal(cut.problem.kind, 'truncated');
  assert.equal(verifyLog(Buffer.concat([a.bytes, b.bytes]), { publicKey, latest }).ok, true);
  assert.equal(parseCheckpoint(latest).export, true);
});
