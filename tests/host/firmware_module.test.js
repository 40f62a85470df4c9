// Signed firmware through the module's raw exports: provisioning of the
// device and its supplier roots of trust (EDR 3.12), trust statements
// (EDR 3.13), manifest verification and image streaming (EDR 3.10 RE1,
// CR 3.4, EDR 3.14 RE1), anti-rollback counters, events and sealed state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { loadModule } from '../../dist/host/index.js';
import { seeded } from './_helpers.js';
import { openState, sealState } from './_state_blob.js';
import {
  cbor, Tag, makeKey, sign1, manifest, payloadMap, statement, put, enc, deviceSet, addSupplier, fwBegin, fwFeed,
  applyStatement, counterGet, drainEvents, stateImport, fwManifest, EV, ST, EDDSA, ES256, SHA256, SHA512, VENDOR, CLASS, uint,
} from './_manifest.js';

/** The access-control section of the sealed state (assembly/auth/state.ts). */
const AUTH_SECTION_BYTES = 36480;
const AUDIT_SECTION_BYTES = 192;

const KID = enc('supplier-1');

/** A module with device ids, one supplier anchor of alg, provisioning closed, events drained. */
async function provisioned(alg = EDDSA) {
  const api = await loadModule();
  const sup = makeKey(alg);
  assert.equal(deviceSet(api), ST.OK);
  assert.equal(addSupplier(api, KID, sup), ST.OK);
  assert.equal(api.raw.iacsec_provisioning_close(), ST.OK);
  drainEvents(api);
  return { api, raw: api.raw, sup };
}

function anchorGet(api, i) {
  const out = api.ioPtr + 4096;
  const st = api.raw.iacsec_anchor_get(i, out);
  const r = Buffer.from(api.heap().slice(out, out + 112));
  return { st, role: r[0], alg: r.readInt8(1), revoked: r[2], kid: r.subarray(4, 4 + r[3]), pk: r.subarray(37, 37 + r[36]), rest: r.subarray(102) };
}

/** Begins, streams and finishes; returns [begin, update, finish] statuses. */
function install(api, m, image, purpose = 0) {
  const b = fwBegin(api, m, purpose);
  if (b !== ST.OK) return [b];
  const u = fwFeed(api, image);
  if (u !== ST.OK) return [b, u];
  return [b, u, api.raw.iacsec_fw_finish()];
}

test('size getters', async () => {
  const { raw } = await provisioned();
  assert.deepEqual([raw.iacsec_manifest_max_bytes(), raw.iacsec_anchors_max(), raw.iacsec_revoked_max(), raw.iacsec_counters_max(),
    raw.iacsec_event_bytes(), raw.iacsec_events_max(), raw.iacsec_anchor_record_bytes(), raw.iacsec_state_max_bytes(),
    raw.iacsec_grants_max(), raw.iacsec_fw_info_bytes(), raw.iacsec_component_max_bytes()],
  [2048, 8, 16, 16, 128, 32, 112, 61440, 16, 256, 64]);
});

test('provisioning: device, supplier anchors with key checks, close; all refused after close', async () => {
  const api = await loadModule();
  const raw = api.raw;
  assert.equal(raw.iacsec_provisioning_is_open(), 1);
  assert.equal(raw.iacsec_provisioning_close(), ST.ERR_STATE);          // no device, no anchor
  assert.equal(deviceSet(api), ST.OK);
  assert.equal(raw.iacsec_provisioning_close(), ST.ERR_STATE);          // no anchor
  const ed = makeKey(EDDSA), ec = makeKey(ES256), ecc = makeKey(ES256, { compressed: true });
  assert.equal(addSupplier(api, enc('a'), ed, -35), ST.ERR_UNSUPPORTED);
  assert.equal(addSupplier(api, new Uint8Array(0), ed), ST.ERR_LENGTH);
  assert.equal(addSupplier(api, new Uint8Array(33), ed), ST.ERR_LENGTH);
  assert.equal(addSupplier(api, enc('a'), ec, EDDSA), ST.ERR_LENGTH);   // 65-byte key for Ed25519
  assert.equal(addSupplier(api, enc('a'), ed, ES256), ST.ERR_LENGTH);
  // Bad keys: small order (the identity), y >= p, no such point; off-curve P-256.
  const bad = (pk, alg) => addSupplier(api, enc('bad'), { pk, alg }, alg);
  assert.equal(bad(Uint8Array.from([1, ...new Array(31).fill(0)]), EDDSA), ST.ERR_INVALID);
  assert.equal(bad(Uint8Array.from([0xed, ...new Array(30).fill(0xff), 0x7f]), EDDSA), ST.ERR_INVALID);
  assert.equal(bad(Uint8Array.from([2, ...new Array(31).fill(0)]), EDDSA), ST.ERR_INVALID);
  const off = ec.pk.slice(); off[64] ^= 1;
  assert.equal(bad(off, ES256), ST.ERR_INVALID);
  assert.equal(bad(Uint8Array.from([5, ...ec.pk.subarray(1, 33)]), ES256), ST.ERR_INVALID);
  assert.equal(raw.iacsec_anchor_count(), 0);
  assert.equal(addSupplier(api, enc('ed'), ed), ST.OK);
  assert.equal(addSupplier(api, enc('ed'), makeKey(EDDSA)), ST.ERR_EXISTS);   // kid present
  assert.equal(addSupplier(api, enc('ec'), ec), ST.OK);
  assert.equal(addSupplier(api, new Uint8Array(32).fill(7), ecc), ST.OK);
  for (let i = 3; i < 8; i++) assert.equal(addSupplier(api, enc(`s${i}`), makeKey(EDDSA)), ST.OK);
  assert.equal(addSupplier(api, enc('s8'), makeKey(EDDSA)), ST.ERR_FULL);
  assert.equal(raw.iacsec_anchor_count(), 8);
  const r0 = anchorGet(api, 0), r1 = anchorGet(api, 1), r2 = anchorGet(api, 2);
  assert.deepEqual([r0.st, r0.role, r0.alg, r0.revoked, r0.kid.toString(), Buffer.compare(r0.pk, ed.pk)], [ST.OK, 1, -8, 0, 'ed', 0]);
  assert.deepEqual([r1.alg, r1.pk.length, Buffer.compare(r1.pk, ec.pk)], [-7, 65, 0]);
  assert.deepEqual([r2.kid.length, r2.pk.length], [32, 33]);
  assert.ok(r0.rest.every((x) => x === 0));
  assert.equal(anchorGet(api, 8).st, ST.END);
  assert.equal(anchorGet(api, -1).st, ST.ERR_INVALID);
  assert.equal(raw.iacsec_anchor_get(0, 0), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_provisioning_close(), ST.OK);
  assert.equal(raw.iacsec_provisioning_is_open(), 0);
  assert.equal(raw.iacsec_provisioning_close(), ST.ERR_STATE);
  assert.equal(deviceSet(api), ST.ERR_UNAUTHORIZED);
  assert.equal(addSupplier(api, enc('late'), makeKey(EDDSA)), ST.ERR_UNAUTHORIZED);
  const ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => e.type), [...new Array(8).fill(EV.ANCHOR_ADDED), EV.PROVISIONING_CLOSED]);
  assert.deepEqual(ev.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual([ev[0].kid, ev[0].role, ev[0].status], [Buffer.from('ed').toString('hex'), 1, 0]);
  assert.ok(ev.every((e) => e.tailZero));
});

test('trust statements: owner anchors, revocation, and each refusal', async () => {
  const { api, raw, sup } = await provisioned();
  const owner = makeKey(ES256), owner2 = makeKey(EDDSA);
  const OK1 = enc('owner-1');
  // Before anything: a statement for another vendor or class.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, vendor: new Uint8Array(16) })), ST.ERR_WRONG_VENDOR);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, klass: new Uint8Array(16) })), ST.ERR_WRONG_CLASS);
  assert.equal(applyStatement(api, statement(sup, enc('nobody'), { op: 1, target: OK1, newKey: owner })), ST.ERR_UNKNOWN_KEY);
  assert.equal(applyStatement(api, statement(makeKey(EDDSA), KID, { op: 1, target: OK1, newKey: owner })), ST.ERR_INVALID);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, extra: [[10, 1]] })), ST.ERR_CRITICAL);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, grants: 'one' })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, grants: [] })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, grants: new Array(9).fill('c') })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, grants: ['x'.repeat(65)] })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner, extra: [[-1, 1]] })), ST.ERR_CRITICAL);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 4, target: OK1 })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 3, target: OK1, component: 'fw', from: 0, to: 1 })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: { alg: -35, pk: owner.pk } })), ST.ERR_UNSUPPORTED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: { alg: EDDSA, pk: owner.pk } })), ST.ERR_INVALID);
  const noKey = sign1({ key: sup, prot: new Map([[1, EDDSA], [4, KID]]), payload: cbor(new Map([[1, 1], [2, OK1], [4, VENDOR], [5, CLASS]])) });
  assert.equal(applyStatement(api, noKey), ST.ERR_MALFORMED);
  const revWithKey = sign1({ key: sup, prot: new Map([[1, EDDSA], [4, KID]]), payload: cbor(new Map([[1, 2], [2, OK1], [3, owner.pk], [4, VENDOR], [5, CLASS]])) });
  assert.equal(applyStatement(api, revWithKey), ST.ERR_MALFORMED);
  const untagged = sign1({ key: sup, prot: new Map([[1, EDDSA], [4, KID]]), tag: false, payload: cbor(new Map([[1, 2], [2, OK1], [4, VENDOR], [5, CLASS]])) });
  assert.equal(applyStatement(api, untagged), ST.ERR_MALFORMED);
  assert.equal(raw.iacsec_anchor_count(), 1);
  const rejected = drainEvents(api);
  assert.equal(rejected.length, 17);
  assert.ok(rejected.every((e) => e.type === EV.TRUST_STATEMENT_REJECTED));
  assert.deepEqual(rejected.slice(0, 4).map((e) => e.status), [ST.ERR_WRONG_VENDOR, ST.ERR_WRONG_CLASS, ST.ERR_UNKNOWN_KEY, ST.ERR_INVALID]);
  assert.deepEqual([rejected[0].kid, rejected[0].role], [Buffer.from(KID).toString('hex'), 1]);

  // Add the owner anchors.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc('owner-2'), newKey: owner2 })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: owner2 })), ST.ERR_EXISTS);   // kid present
  const a1 = anchorGet(api, 1);
  assert.deepEqual([a1.role, a1.alg, a1.revoked, a1.kid.toString(), Buffer.compare(a1.pk, owner.pk)], [2, -7, 0, 'owner-1', 0]);
  let ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => [e.type, e.role]), [[EV.ANCHOR_ADDED, 2], [EV.ANCHOR_ADDED, 2], [EV.TRUST_STATEMENT_REJECTED, 1]]);
  assert.equal(ev[0].kid, Buffer.from(OK1).toString('hex'));
  // An owner anchor cannot change the roots of trust.
  assert.equal(applyStatement(api, statement(owner, OK1, { op: 2, target: enc('owner-2') })), ST.ERR_UNAUTHORIZED);
  assert.equal(applyStatement(api, statement(owner, OK1, { op: 1, target: enc('owner-3'), newKey: makeKey(EDDSA) })), ST.ERR_UNAUTHORIZED);
  // The last supplier cannot be revoked.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: KID })), ST.ERR_LAST_ANCHOR);
  // Revoke an owner anchor, and a kid no anchor has: neither can be added again.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: OK1 })), ST.OK);
  assert.equal(anchorGet(api, 1).revoked, 1);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: OK1 })), ST.ERR_EXISTS);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OK1, newKey: makeKey(EDDSA) })), ST.ERR_KID_REVOKED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('future') })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc('future'), newKey: makeKey(EDDSA) })), ST.ERR_KID_REVOKED);
  ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => [e.type, e.status]), [
    [EV.TRUST_STATEMENT_REJECTED, ST.ERR_UNAUTHORIZED], [EV.TRUST_STATEMENT_REJECTED, ST.ERR_UNAUTHORIZED],
    [EV.TRUST_STATEMENT_REJECTED, ST.ERR_LAST_ANCHOR], [EV.ANCHOR_REVOKED, ST.OK],
    [EV.TRUST_STATEMENT_REJECTED, ST.ERR_EXISTS], [EV.TRUST_STATEMENT_REJECTED, ST.ERR_KID_REVOKED],
    [EV.ANCHOR_REVOKED, ST.OK], [EV.TRUST_STATEMENT_REJECTED, ST.ERR_KID_REVOKED]]);
  assert.deepEqual([ev[3].kid, ev[3].role, ev[6].role], [Buffer.from(OK1).toString('hex'), 2, 0]);
  // A revoked owner anchor signs no manifest.
  assert.equal(fwBegin(api, manifest(owner, OK1, { image: new Uint8Array(1) })), ST.ERR_REVOKED);
  // Anchors fill up at 8; the revocation list at 16.
  for (let i = 3; i < 8; i++) assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc(`o${i}`), newKey: makeKey(EDDSA) })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc('o9'), newKey: makeKey(EDDSA) })), ST.ERR_FULL);
  for (let i = 2; i < 16; i++) assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc(`r${i}`) })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('r16') })), ST.ERR_FULL);
});

test('trust statements: refused before provisioning is closed; a revoked supplier signs nothing', async () => {
  const api = await loadModule();
  const s1 = makeKey(EDDSA), s2 = makeKey(ES256);
  deviceSet(api);
  addSupplier(api, KID, s1);
  addSupplier(api, enc('supplier-2'), s2);
  assert.equal(applyStatement(api, statement(s1, KID, { op: 2, target: enc('x') })), ST.ERR_STATE);
  assert.equal(fwBegin(api, manifest(s1, KID, { image: new Uint8Array(1) })), ST.ERR_STATE);
  assert.equal(api.raw.iacsec_provisioning_close(), ST.OK);
  assert.equal(applyStatement(api, statement(s2, enc('supplier-2'), { op: 2, target: KID })), ST.OK);
  assert.equal(applyStatement(api, statement(s1, KID, { op: 2, target: enc('x') })), ST.ERR_REVOKED);
  assert.equal(applyStatement(api, statement(s2, enc('supplier-2'), { op: 2, target: enc('supplier-2') })), ST.ERR_LAST_ANCHOR);
  assert.equal(fwBegin(api, manifest(s1, KID, { image: new Uint8Array(1) })), ST.ERR_REVOKED);
  assert.deepEqual(install(api, manifest(s2, enc('supplier-2'), { image: new Uint8Array(5) }), new Uint8Array(5)), [0, 0, 0]);
});

test('fw_begin: each rejection with its exact status, in the documented order', async () => {
  for (const alg of [EDDSA, ES256]) {
    const { api, raw, sup } = await provisioned(alg);
    const image = new Uint8Array(10).fill(3);
    const good = manifest(sup, KID, { image });
    const p = (f) => cbor(payloadMap({ image, ...f }));
    const m = (f, o) => manifest(sup, KID, { image, ...f }, o);
    const prot = (entries) => new Map(entries);
    const cases = [
      ['truncated', good.subarray(0, good.length - 1), ST.ERR_MALFORMED],
      ['array of 5', Uint8Array.from([good[0], 0x85, ...good.subarray(2)]), ST.ERR_MALFORMED],
      ['trailing byte', Uint8Array.from([...good, 0]), ST.ERR_MALFORMED],
      ['untagged', m({}, { tag: false }), ST.ERR_MALFORMED],
      ['tag 17', m({}, { tag: 17 }), ST.ERR_MALFORMED],
      ['unknown alg', m({}, { prot: prot([[1, -35], [4, KID]]) }), ST.ERR_UNSUPPORTED],
      ['alg as text', m({}, { prot: prot([[1, 'EdDSA'], [4, KID]]) }), ST.ERR_UNSUPPORTED],
      ['alg unprotected', m({}, { prot: prot([[4, KID]]), unprot: new Map([[1, alg]]) }), ST.ERR_UNSUPPORTED],
      ['alg in both', m({}, { unprot: new Map([[1, alg]]) }), ST.ERR_MALFORMED],
      ['no kid', m({}, { prot: prot([[1, alg]]) }), ST.ERR_MALFORMED],
      ['kid unprotected', m({}, { prot: prot([[1, alg]]), unprot: new Map([[4, KID]]) }), ST.ERR_MALFORMED],
      ['kid of 33 bytes', m({}, { prot: prot([[1, alg], [4, new Uint8Array(33)]]) }), ST.ERR_MALFORMED],
      ['crit unknown', m({}, { prot: prot([[1, alg], [4, KID], [2, [1, 99]]]) }), ST.ERR_CRITICAL],
      ['unknown kid', m({}, { prot: prot([[1, alg], [4, enc('who')]]) }), ST.ERR_UNKNOWN_KEY],
      ['other alg than the anchor', manifest(makeKey(alg === EDDSA ? ES256 : EDDSA), KID, { image }), ST.ERR_INVALID],
      ['signed by another key', manifest(makeKey(alg), KID, { image }), ST.ERR_INVALID],
      ['signature over other bytes', m({}, { signer: (b) => sup.sign(Uint8Array.from([...b, 0])) }), ST.ERR_INVALID],
      ['payload altered', (() => { const g = good.slice(); const i = g.indexOf(0x6a, 20); g[i + 1] ^= 1; return g; })(), ST.ERR_INVALID],
      ['unknown critical key 9', m({ extra: [[9, 1]] }), ST.ERR_CRITICAL],
      ['unknown critical key 0', m({ extra: [[0, 1]] }), ST.ERR_CRITICAL],
      ['duplicate key', m({}, { payload: Uint8Array.from([0xa9, ...p({}).subarray(1), 0x05, 0x01]) }), ST.ERR_MALFORMED],
      ['missing key', m({}, { payload: (() => { const x = payloadMap({ image }); x.delete(4); return cbor(x); })() }), ST.ERR_MALFORMED],
      ['name as bstr', m({ name: enc('gateway-fw') }), ST.ERR_MALFORMED],
      ['name of 65', m({ name: 'n'.repeat(65) }), ST.ERR_MALFORMED],
      ['empty version', m({ version: '' }), ST.ERR_MALFORMED],
      ['vendor of 15', m({ vendor: VENDOR.subarray(1) }), ST.ERR_MALFORMED],
      ['negative counter', m({}, { payload: (() => { const x = payloadMap({ image }); x.set(5, -1); return cbor(x); })() }), ST.ERR_MALFORMED],
      ['digest alg -45', m({ digestAlg: -45, digest: new Uint8Array(32) }), ST.ERR_MALFORMED],
      ['digest length', m({ digestAlg: SHA512, digest: new Uint8Array(32) }), ST.ERR_MALFORMED],
      ['payload not a map', m({}, { payload: cbor([1, 2]) }), ST.ERR_MALFORMED],
      ['payload float', m({}, { payload: (() => { const x = payloadMap({ image }); x.set(6, 1.5); return cbor(x); })() }), ST.ERR_MALFORMED],
      ['wrong vendor', m({ vendor: new Uint8Array(16) }), ST.ERR_WRONG_VENDOR],
      ['wrong class', m({ klass: new Uint8Array(16) }), ST.ERR_WRONG_CLASS],
      ['over the size limit', m({ extra: [[-1, new Uint8Array(2048)]] }), ST.ERR_LENGTH],
    ];
    drainEvents(api);
    for (const [name, msg, want] of cases) {
      assert.equal(fwBegin(api, msg), want, `${alg} ${name}`);
      const ev = drainEvents(api);
      assert.deepEqual(ev.map((e) => [e.type, e.status]), [[EV.FW_REJECTED, want]], `${alg} ${name} event`);
    }
    // The manifest must be for the slot being checked.
    assert.equal(fwBegin(api, good, 0, 'config'), ST.ERR_WRONG_COMPONENT);
    assert.equal(fwBegin(api, good, 1, 'gateway-fW'), ST.ERR_WRONG_COMPONENT);
    assert.equal(fwBegin(api, good, 0, 'gateway-fw\0'), ST.ERR_WRONG_COMPONENT);
    assert.deepEqual(drainEvents(api).map((e) => [e.type, e.status, e.component]), [
      [EV.FW_REJECTED, ST.ERR_WRONG_COMPONENT, 'gateway-fw'], [EV.BOOT_CHECK_FAILED, ST.ERR_WRONG_COMPONENT, 'gateway-fw'],
      [EV.FW_REJECTED, ST.ERR_WRONG_COMPONENT, 'gateway-fw']]);
    assert.equal(fwBegin(api, good, 0, ''), ST.ERR_LENGTH);
    assert.equal(fwBegin(api, good, 0, 'c'.repeat(65)), ST.ERR_LENGTH);
    assert.equal(fwBegin(api, good, 2), ST.ERR_INVALID);
    assert.equal(fwBegin(api, good, -1), ST.ERR_INVALID);
    const [gp, cp] = put(api, good, enc('gateway-fw'));
    assert.equal(raw.iacsec_fw_begin(gp, api.ioBytes - 4096, cp, 10, 0), ST.ERR_LENGTH);
    assert.equal(raw.iacsec_fw_begin(gp + 1, api.ioBytes, cp, 10, 0), ST.ERR_BOUNDS);
    assert.equal(raw.iacsec_fw_begin(gp, good.length, api.ioPtr + api.ioBytes - 4, 10, 0), ST.ERR_BOUNDS);
    // Every prefix is malformed.
    for (let k = 0; k < good.length; k++) assert.equal(fwBegin(api, good.subarray(0, k)), ST.ERR_MALFORMED, `prefix ${k}`);
    drainEvents(api);
    // Vendor extensions (negative keys) and unprotected fields are ignored; crit naming alg/kid is fine.
    assert.deepEqual(install(api, m({ extra: [[-1, 'note'], [-70000, new Map([[1, [2, 3]]])]] }), image), [0, 0, 0]);
    assert.deepEqual(install(api, m({}, { unprot: new Map([[33, new Uint8Array(3)], ['x', 1]]) }), image), [0, 0, 0]);
    assert.deepEqual(install(api, m({}, { prot: prot([[1, alg], [4, KID], [2, [1, 4]], [3, 'application/cbor']]) }), image), [0, 0, 0]);
    // Rollback: counter 5 installed, then 4 is refused, 5 is fine.
    assert.deepEqual(install(api, m({ counter: 5 }), image), [0, 0, 0]);
    assert.equal(fwBegin(api, m({ counter: 4 })), ST.ERR_ROLLBACK);
    assert.equal(fwBegin(api, m({ counter: 4 }), 1), ST.ERR_ROLLBACK);
    assert.equal(fwBegin(api, m({ counter: 5 })), ST.OK);
    const ev = drainEvents(api);
    assert.deepEqual(ev.map((e) => [e.type, e.status]).slice(-3), [[EV.COUNTER_RAISED, 0], [EV.FW_REJECTED, ST.ERR_ROLLBACK], [EV.BOOT_CHECK_FAILED, ST.ERR_ROLLBACK]]);
  }
});

test('fw_update / fw_finish: digest mismatch, image longer and shorter than declared, SHA-512, abort', async () => {
  const { api, raw, sup } = await provisioned();
  const rnd = seeded(3);
  const image = rnd.bytes(1000);
  const m = manifest(sup, KID, { image });
  assert.equal(raw.iacsec_fw_update(api.ioPtr, 1), ST.ERR_STATE);
  assert.equal(raw.iacsec_fw_finish(), ST.ERR_STATE);
  assert.equal(raw.iacsec_fw_abort(), ST.ERR_STATE);
  const other = image.slice(); other[999] ^= 1;
  assert.deepEqual(install(api, m, other), [0, 0, ST.ERR_DIGEST]);
  assert.equal(raw.iacsec_fw_finish(), ST.ERR_STATE);                   // session closed
  assert.deepEqual(install(api, m, Uint8Array.from([...image, 0])), [0, ST.ERR_SIZE]);
  assert.equal(raw.iacsec_fw_update(api.ioPtr, 0), ST.ERR_STATE);       // closed at the error
  assert.deepEqual(install(api, m, image.subarray(0, 999)), [0, 0, ST.ERR_SIZE]);
  assert.equal(raw.iacsec_fw_finish(), ST.ERR_STATE);
  assert.deepEqual(install(api, m, image), [0, 0, 0]);
  assert.deepEqual(install(api, manifest(sup, KID, { image, digestAlg: SHA512 }), image), [0, 0, 0]);
  const bad512 = image.slice(); bad512[0] ^= 0x80;
  assert.deepEqual(install(api, manifest(sup, KID, { image, digestAlg: SHA512 }), bad512), [0, 0, ST.ERR_DIGEST]);
  // Byte by byte, and an empty image.
  assert.equal(fwBegin(api, m), ST.OK);
  assert.equal(fwFeed(api, image, 1), ST.OK);
  assert.equal(raw.iacsec_fw_finish(), ST.OK);
  assert.deepEqual(install(api, manifest(sup, KID, { image: new Uint8Array(0) }), new Uint8Array(0)), [0, 0, 0]);
  // Abort; one session at a time: a second begin is refused and the first session goes on.
  assert.equal(fwBegin(api, m), ST.OK);
  assert.equal(raw.iacsec_fw_abort(), ST.OK);
  assert.equal(raw.iacsec_fw_abort(), ST.ERR_STATE);
  assert.equal(fwBegin(api, m), ST.OK);
  assert.equal(fwFeed(api, image.subarray(0, 500)), ST.OK);
  assert.equal(fwBegin(api, m), ST.ERR_STATE);
  assert.equal(fwFeed(api, image.subarray(500)), ST.OK);
  assert.equal(raw.iacsec_fw_finish(), ST.OK);
  assert.equal(raw.iacsec_fw_update(api.ioPtr - 1, 4), ST.ERR_BOUNDS);
  const ev = drainEvents(api);
  assert.deepEqual(ev.filter((e) => e.type === EV.FW_REJECTED).map((e) => e.status), [ST.ERR_DIGEST, ST.ERR_SIZE, ST.ERR_SIZE, ST.ERR_DIGEST]);
  assert.equal(ev.filter((e) => e.type === EV.FW_ACCEPTED).length, 5);
  assert.deepEqual(ev.filter((e) => e.type === EV.FW_SESSION_REFUSED).map((e) => e.status), [ST.ERR_STATE]);
});

test('a 16 MiB image streamed in 64 KiB chunks, SHA-256 and SHA-512, in fixed memory', async () => {
  const { api, raw, sup } = await provisioned(ES256);
  const image = crypto.randomBytes(16 * 1024 * 1024);
  const memBefore = api.heap().length;
  for (const digestAlg of [SHA256, SHA512]) {
    const t0 = performance.now();
    assert.deepEqual(install(api, manifest(sup, KID, { image, digestAlg, counter: 2 }), image, 1), [0, 0, 0]);
    const ms = performance.now() - t0;
    assert.ok(ms < 60000, `${ms} ms`);
  }
  assert.equal(api.heap().length, memBefore);
  const ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => [e.type, e.b]), [[EV.BOOT_CHECK_PASSED, 16777216n], [EV.BOOT_CHECK_PASSED, 16777216n]]);
  assert.equal(raw.iacsec_fw_finish(), ST.ERR_STATE);
});

test('counters: raised only by an install, never lowered, not by a boot check; table capacity', async () => {
  const { api, sup } = await provisioned();
  const image = new Uint8Array(4);
  const m = (name, counter) => manifest(sup, KID, { name, counter, image });
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.END, v: 0n });
  assert.deepEqual(install(api, m('gateway-fw', 5), image), [0, 0, 0]);
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: 5n });
  assert.deepEqual(install(api, m('gateway-fw', 9), image, 1), [0, 0, 0]);   // boot check
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: 5n });
  assert.deepEqual(install(api, m('gateway-fw', 5), image), [0, 0, 0]);      // same counter: accepted, unchanged
  assert.equal(fwBegin(api, m('gateway-fw', 4)), ST.ERR_ROLLBACK);
  // A failed install does not move the counter.
  assert.deepEqual(install(api, m('gateway-fw', 7), new Uint8Array(4).fill(1)), [0, 0, ST.ERR_DIGEST]);
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: 5n });
  const max = 2n ** 64n - 1n;
  assert.deepEqual(install(api, m('gateway-fw', max), image), [0, 0, 0]);
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: max });
  assert.deepEqual(counterGet(api, 'config'), { st: ST.END, v: 0n });
  let ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => e.type), [EV.FW_ACCEPTED, EV.COUNTER_RAISED, EV.BOOT_CHECK_PASSED, EV.FW_ACCEPTED,
    EV.FW_REJECTED, EV.FW_REJECTED, EV.FW_ACCEPTED, EV.COUNTER_RAISED]);
  assert.deepEqual([ev[0].a, ev[0].b, ev[0].component, ev[0].kid, ev[0].role], [5n, 4n, 'gateway-fw', Buffer.from(KID).toString('hex'), 1]);
  assert.deepEqual([ev[1].a, ev[1].b], [0n, 5n]);
  assert.deepEqual([ev[4].status, ev[4].a, ev[4].component], [ST.ERR_ROLLBACK, 4n, 'gateway-fw']);
  assert.deepEqual([ev[7].a, ev[7].b], [5n, max]);
  // 16 components fit; a 17th with a counter does not (checked at begin for an install), with counter 0 it does.
  for (let i = 1; i < 16; i++) assert.deepEqual(install(api, m(`c${i}`, 1), image), [0, 0, 0]);
  assert.equal(fwBegin(api, m('c16', 1)), ST.ERR_FULL);
  assert.equal(fwBegin(api, m('c16', 1), 1), ST.OK);
  assert.equal(api.raw.iacsec_fw_abort(), ST.OK);
  assert.deepEqual(install(api, m('c16', 0), image), [0, 0, 0]);
  assert.deepEqual(install(api, m('c15', 2), image), [0, 0, 0]);
  assert.deepEqual(counterGet(api, 'c15'), { st: ST.OK, v: 2n });
  ev = drainEvents(api);
  assert.equal(ev.filter((e) => e.type === EV.FW_REJECTED && e.status === ST.ERR_FULL).length, 1);
});

test('events: overflow is counted and recorded as EVENTS_DROPPED; sequence numbers never repeat', async () => {
  const { api, raw, sup } = await provisioned();
  const junk = Uint8Array.from([0xd2, 0x80]);
  for (let i = 0; i < 40; i++) assert.equal(fwBegin(api, junk), ST.ERR_MALFORMED);
  let ev = drainEvents(api);
  assert.equal(ev.length, 32);
  const s0 = ev[0].seq;
  assert.deepEqual(ev.map((e) => e.seq), Array.from({ length: 32 }, (_, i) => s0 + i));
  assert.ok(ev.every((e) => e.type === EV.FW_REJECTED && e.status === ST.ERR_MALFORMED && e.kid === '' && e.component === ''));
  assert.equal(raw.iacsec_event_next(api.ioPtr), ST.END);
  assert.equal(fwBegin(api, junk, 1), ST.ERR_MALFORMED);
  ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => [e.type, e.a, e.seq]), [[EV.EVENTS_DROPPED, 8n, s0 + 40], [EV.BOOT_CHECK_FAILED, 0n, s0 + 41]]);
  // Full queue with one free slot: the event needs two (with its EVENTS_DROPPED record), so it is counted too.
  for (let i = 0; i < 33; i++) fwBegin(api, junk);
  raw.iacsec_event_next(api.ioPtr);
  fwBegin(api, junk);
  assert.equal(drainEvents(api).length, 31);
  fwBegin(api, junk);
  ev = drainEvents(api);
  assert.deepEqual(ev.map((e) => [e.type, e.a]), [[EV.EVENTS_DROPPED, 2n], [EV.FW_REJECTED, 0n]]);
  assert.equal(raw.iacsec_event_next(api.ioPtr - 1), ST.ERR_BOUNDS);
  void sup;
});

// Blob v2: header 24 | section header 8 | firmware section | tag 32 (assembly/firmware/state.ts, fw_state.ts).
const FW = 32;                       // start of the firmware section
const FW_ANCHORS = FW + 48, FW_REVOKED = FW_ANCHORS + 8 * 112, FW_COUNTERS = FW_REVOKED + 16 * 33, FW_GRANTS = FW_COUNTERS + 16 * 40;
const genOf = (blob) => Buffer.from(blob).readBigUInt64LE(8);

function sealKey(api, key) {
  put(api, key);
  assert.equal(api.raw.iacsec_state_seal_key(api.ioPtr), ST.OK);
}
function exportState(api) {
  const out = api.ioPtr + 8192;
  const n = api.raw.iacsec_state_export(out, api.ioBytes - 8192);
  assert.ok(n > 0, `export: ${n}`);
  return api.heap().slice(out, out + n);
}

test('state: export / import round trip, sealed, all or nothing, generations and fail-secure', async () => {
  const { api, raw, sup } = await provisioned(ES256);
  const owner = makeKey(EDDSA);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc('owner'), newKey: owner, grants: ['config'] })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('gone') })), ST.OK);
  const image = new Uint8Array(100).fill(9);
  assert.deepEqual(install(api, manifest(sup, KID, { image, counter: 42 }), image), [0, 0, 0]);
  const out = api.ioPtr + 8192;
  assert.equal(raw.iacsec_state_export(out, 8192), ST.ERR_STATE);          // no sealing key
  const key = crypto.randomBytes(32);
  sealKey(api, key);
  assert.equal(raw.iacsec_state_export(out, 100), ST.ERR_BUFFER_SMALL);
  assert.equal(raw.iacsec_state_export(api.ioPtr + api.ioBytes - 100, 8192), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_state_generation(), 0n);
  const blob = exportState(api);
  const STATE = blob.length;
  assert.equal(STATE, 24 + 8 + 2752 + 8 + AUTH_SECTION_BYTES + 8 + AUDIT_SECTION_BYTES + 32);
  assert.equal(Buffer.from(blob.subarray(0, 4)).toString(), 'IACS');
  assert.equal(genOf(blob), 1n);
  assert.equal(genOf(exportState(api)), 2n, 'every export raises the generation');
  const { clear, ok: sealed } = openState(blob, key);
  assert.ok(sealed, 'the tag verifies with node:crypto (HKDF-Expand, ChaCha20, HMAC-SHA256)');
  assert.equal(Buffer.from(clear).readUInt16LE(4), 3);
  const lastSeq = drainEvents(api).at(-1).seq;
  // A running module only moves forward: an older blob is not reloaded over it.
  assert.equal(stateImport(api, blob), ST.ERR_STATE);
  assert.equal(raw.iacsec_state_failsecure(), 0);

  const fresh = async () => { const b = await loadModule(); sealKey(b, key); return b; };
  const b = await fresh();
  // Every single-bit flip is refused (tag, or magic / version) and changes nothing but fail-secure mode.
  for (let bit = 0; bit < STATE * 8; bit += 7) {
    const c = blob.slice(); c[bit >> 3] ^= 1 << (bit & 7);
    const st = stateImport(b, c);
    assert.ok(st === ST.ERR_INVALID || (bit < 48 && st === ST.ERR_MALFORMED), `bit ${bit}: ${st}`);
    assert.equal(b.raw.iacsec_state_failsecure(), 1);
  }
  assert.equal(stateImport(b, blob.subarray(0, STATE - 1)), ST.ERR_MALFORMED);
  assert.equal(stateImport(b, Uint8Array.from([...blob, 0])), ST.ERR_MALFORMED);
  assert.equal(b.raw.iacsec_provisioning_is_open(), 1);
  assert.equal(b.raw.iacsec_anchor_count(), 0);
  // Fail-secure: no change of security state, no export.
  assert.equal(deviceSet(b), ST.ERR_FAILSECURE);
  assert.equal(addSupplier(b, KID, sup), ST.ERR_FAILSECURE);
  assert.equal(b.raw.iacsec_provisioning_close(), ST.ERR_FAILSECURE);
  assert.equal(fwBegin(b, manifest(sup, KID, { image, counter: 43 })), ST.ERR_FAILSECURE);
  assert.equal(applyStatement(b, statement(sup, KID, { op: 2, target: enc('x') })), ST.ERR_FAILSECURE);
  assert.equal(b.raw.iacsec_state_export(b.ioPtr + 8192, 8192), ST.ERR_FAILSECURE);
  const early = drainEvents(b);
  assert.equal(early.length, 32);
  assert.ok(early.every((e) => e.type === EV.STATE_IMPORT_REJECTED && e.status !== 0));
  // Fields are checked after the tag: a correctly sealed blob with a bad field is refused (the public
  // key's last byte is flipped, not set: a random key may already hold the value).
  const reseal = (c) => sealState(c, key);
  const mutate = (off, v) => { const c = clear.slice(); c[off] = v; return reseal(c); };
  for (const [off, v] of [[4, 1], [6, 4], [16, 1], [20, 1], [24, 2], [26, 1], [28, 1], [FW, 0x7], [FW + 1, 9], [FW + 2, 17],
    [FW + 3, 17], [FW + 4, 17], [FW + 5, 1], [FW + 12, 1], [FW_ANCHORS, 3], [FW_ANCHORS + 1, 5], [FW_ANCHORS + 2, 2],
    [FW_ANCHORS + 3, 0], [FW_ANCHORS + 3, 33], [FW_ANCHORS + 2 * 112, 1], [FW_ANCHORS + 36, 64], [FW_ANCHORS + 101, clear[FW_ANCHORS + 101] ^ 1],
    [FW_REVOKED + 50, 1], [FW_COUNTERS + 16 * 40 - 1, 1], [FW_GRANTS, 0], [FW_GRANTS + 1, 1], [FW_GRANTS + 40, 1],
    [FW_GRANTS + 16 * 40 - 1, 1]]) {
    assert.equal(stateImport(b, mutate(off, v)), ST.ERR_MALFORMED, `field at ${off} = ${v}`);
  }
  assert.deepEqual(reseal(clear), blob, 'node:crypto seals the clear blob to the module\'s bytes');
  const seqZero = clear.slice(); seqZero.fill(0, FW + 8, FW + 12);
  assert.equal(stateImport(b, reseal(seqZero)), ST.ERR_MALFORMED);
  const wrongKey = await loadModule();
  sealKey(wrongKey, crypto.randomBytes(32));
  assert.equal(stateImport(wrongKey, blob), ST.ERR_INVALID);
  const noKey = await loadModule();
  assert.equal(stateImport(noKey, blob), ST.ERR_STATE);
  assert.equal(noKey.raw.iacsec_state_failsecure(), 0);
  // The good blob: everything survives, and fail-secure ends.
  assert.equal(stateImport(b, blob), ST.OK);
  assert.equal(b.raw.iacsec_state_failsecure(), 0);
  assert.equal(b.raw.iacsec_state_generation(), 1n);
  assert.equal(stateImport(b, blob), ST.ERR_STATE);
  assert.equal(b.raw.iacsec_provisioning_is_open(), 0);
  assert.equal(b.raw.iacsec_anchor_count(), 2);
  assert.deepEqual(counterGet(b, 'gateway-fw'), { st: ST.OK, v: 42n });
  assert.equal(fwBegin(b, manifest(sup, KID, { image, counter: 41 })), ST.ERR_ROLLBACK);
  assert.deepEqual(install(b, manifest(owner, enc('owner'), { name: 'config', image, counter: 43 }), image), [0, 0, 0]);
  assert.equal(applyStatement(b, statement(sup, KID, { op: 1, target: enc('gone'), newKey: makeKey(EDDSA) })), ST.ERR_KID_REVOKED);
  assert.equal(deviceSet(b), ST.ERR_UNAUTHORIZED);
  const ev = drainEvents(b);
  assert.equal(ev[0].type, EV.EVENTS_DROPPED);
  assert.ok(ev[0].a > 300n);
  const imported = ev.find((e) => e.type === EV.STATE_IMPORTED);
  assert.deepEqual([imported.a, imported.b], [1n, 0n]);
  assert.ok(imported.seq >= lastSeq + 1, 'sequence numbers continue after import');
  assert.ok(ev.filter((e) => e.seq > imported.seq).every((e, i, a) => i === 0 || e.seq === a[i - 1].seq + 1));
  // A newer blob reloads over the state held (another writer's change).
  const newer = exportState(api);
  assert.equal(genOf(newer), 3n);
  assert.equal(stateImport(b, newer), ST.OK);
  assert.deepEqual(counterGet(b, 'config'), { st: ST.END, v: 0n }, 'the reload replaced the state held');
  assert.equal(genOf(exportState(b)), 4n);
});

test('state: the high-water mark refuses older and missing state; recovery is explicit', async () => {
  const { api, sup } = await provisioned();
  const key = crypto.randomBytes(32);
  sealKey(api, key);
  const g1 = exportState(api);
  const image = new Uint8Array(8);
  assert.deepEqual(install(api, manifest(sup, KID, { image, counter: 9 }), image), [0, 0, 0]);
  const g2 = exportState(api);
  const fresh = async () => { const b = await loadModule(); sealKey(b, key); return b; };
  // Older than the mark: rollback of state, fail-secure.
  let b = await fresh();
  assert.equal(stateImport(b, g1, 2n), ST.ERR_ROLLBACK);
  assert.equal(b.raw.iacsec_state_failsecure(), 1);
  assert.deepEqual(drainEvents(b).map((e) => [e.type, e.status, e.a, e.b]), [[EV.STATE_IMPORT_REJECTED, ST.ERR_ROLLBACK, 1n, 2n]]);
  assert.equal(stateImport(b, g2, 2n), ST.OK);
  assert.deepEqual(counterGet(b, 'gateway-fw'), { st: ST.OK, v: 9n });
  // No state at all: fine for a device that never had one; a rollback when the mark says it had.
  b = await fresh();
  assert.equal(stateImport(b, new Uint8Array(0), 0n), ST.OK);
  assert.equal(b.raw.iacsec_state_failsecure(), 0);
  assert.deepEqual(drainEvents(b), []);
  assert.equal(stateImport(b, new Uint8Array(0), 5n), ST.ERR_ROLLBACK);
  assert.equal(b.raw.iacsec_state_failsecure(), 1);
  // Recovery discards the damaged state: factory-fresh, and the next export is above the mark.
  assert.equal(b.raw.iacsec_state_recover(), ST.OK);
  assert.equal(b.raw.iacsec_state_recover(), ST.ERR_STATE);
  assert.equal(b.raw.iacsec_state_failsecure(), 0);
  assert.equal(b.raw.iacsec_provisioning_is_open(), 1);
  assert.equal(b.raw.iacsec_state_generation(), 5n);
  assert.equal(deviceSet(b), ST.OK);
  assert.equal(addSupplier(b, KID, sup), ST.OK);
  assert.equal(b.raw.iacsec_provisioning_close(), ST.OK);
  assert.equal(genOf(exportState(b)), 6n);
  const ev = drainEvents(b);
  assert.deepEqual(ev.slice(0, 2).map((e) => [e.type, e.status]), [[EV.STATE_IMPORT_REJECTED, ST.ERR_ROLLBACK], [EV.STATE_RECOVERED, ST.OK]]);
  assert.deepEqual([ev[1].a, ev[1].b], [5n, 5n]);
});

test('state: a signed backup restores without lowering a counter or dropping a revocation', async () => {
  const { api, raw, sup } = await provisioned();
  const key = crypto.randomBytes(32), secret = crypto.randomBytes(32);
  sealKey(api, key);
  const backupOf = (m) => {
    const o = m.ioPtr + 4096;
    const n = m.raw.iacsec_state_backup(o, m.ioBytes - 4096);
    return n > 0 ? m.heap().slice(o, o + n) : n;
  };
  assert.equal(backupOf(api), ST.ERR_STATE, 'no device key');
  put(api, secret);
  assert.equal(raw.iacsec_device_key_set(api.ioPtr), ST.OK);
  assert.equal(raw.iacsec_device_key_set(api.ioPtr), ST.ERR_STATE);
  const image = new Uint8Array(8);
  assert.deepEqual(install(api, manifest(sup, KID, { image, counter: 10 }), image), [0, 0, 0]);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc('owner'), newKey: makeKey(EDDSA) })), ST.OK);
  exportState(api);
  const backup = backupOf(api);
  assert.equal(backup.length, 24 + 8 + 2752 + 8 + AUTH_SECTION_BYTES + 8 + AUDIT_SECTION_BYTES + 32 + 64);
  // The signature is the device key's, over the context and the blob: checkable by anyone with the public key.
  put(api, new Uint8Array(32));
  assert.equal(raw.iacsec_device_public_key(api.ioPtr), ST.OK);
  const devicePk = api.heap().slice(api.ioPtr, api.ioPtr + 32);
  const { ed25519 } = await import('@noble/curves/ed25519.js');
  const ctx = Buffer.from('iacsec state backup v2\0\0', 'latin1');
  assert.ok(ed25519.verify(backup.subarray(-64), Uint8Array.from([...ctx, ...backup.subarray(0, -64)]), devicePk));
  // Live state moves on: counter 20, the owner revoked.
  assert.deepEqual(install(api, manifest(sup, KID, { image, counter: 20 }), image), [0, 0, 0]);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('owner') })), ST.OK);
  const restoreInto = (m, bytes) => { put(m, bytes); return m.raw.iacsec_state_restore(m.ioPtr, bytes.length); };
  // Refusals change nothing: a flipped byte anywhere, another device, another length.
  for (const i of [0, 9, 40, backup.length - 65, backup.length - 1]) {
    const c = backup.slice(); c[i] ^= 1;
    assert.equal(restoreInto(api, c), ST.ERR_INVALID, `byte ${i}`);
  }
  assert.equal(restoreInto(api, backup.subarray(1)), ST.ERR_LENGTH);
  const other = await loadModule();
  sealKey(other, key);
  put(other, crypto.randomBytes(32));
  other.raw.iacsec_device_key_set(other.ioPtr);
  assert.equal(restoreInto(other, backup), ST.ERR_INVALID, 'a backup of another device');
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: 20n });
  // Over the live state: counters never go down, revocations hold, the generation moves on.
  const genBefore = raw.iacsec_state_generation();
  assert.equal(restoreInto(api, backup), ST.OK);
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.OK, v: 20n });
  const owner = anchorGet(api, 1);
  assert.deepEqual([owner.kid.toString(), owner.revoked], ['owner', 1]);
  assert.equal(raw.iacsec_state_generation(), genBefore);
  assert.ok(genOf(exportState(api)) > genBefore);
  // Into a fresh module of the same device (after its state was lost): the backup's state.
  const again = await loadModule();
  sealKey(again, key);
  put(again, secret);
  assert.equal(again.raw.iacsec_device_key_set(again.ioPtr), ST.OK);
  assert.equal(stateImport(again, new Uint8Array(0), 9n), ST.ERR_ROLLBACK);
  assert.equal(again.raw.iacsec_state_failsecure(), 1);
  assert.equal(restoreInto(again, backup), ST.OK);
  assert.equal(again.raw.iacsec_state_failsecure(), 0);
  assert.deepEqual(counterGet(again, 'gateway-fw'), { st: ST.OK, v: 10n });
  assert.equal(genOf(exportState(again)), 10n, 'above the high-water mark');
  const ev = drainEvents(api).filter((e) => e.type >= EV.STATE_BACKUP);
  assert.deepEqual(ev.map((e) => [e.type, e.status]), [[EV.STATE_BACKUP, 0], ...new Array(5).fill([EV.STATE_RESTORE_REJECTED, ST.ERR_INVALID]),
    [EV.STATE_RESTORE_REJECTED, ST.ERR_LENGTH], [EV.STATE_RESTORED, 0]]);
});

test('one session at a time: trust changes and state moves wait until the session ends', async () => {
  const { api, raw, sup } = await provisioned();
  const key = crypto.randomBytes(32);
  sealKey(api, key);
  put(api, crypto.randomBytes(32));
  raw.iacsec_device_key_set(api.ioPtr);
  const image = new Uint8Array(8);
  const blob = exportState(api);
  assert.equal(fwBegin(api, manifest(sup, KID, { image, counter: 50 })), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('x') })), ST.ERR_STATE);
  assert.equal(raw.iacsec_state_export(api.ioPtr + 8192, 8192), ST.ERR_STATE);
  assert.equal(raw.iacsec_state_backup(api.ioPtr + 8192, 16384), ST.ERR_STATE);
  assert.equal(stateImport(api, blob), ST.ERR_STATE);
  put(api, blob);
  assert.equal(raw.iacsec_state_restore(api.ioPtr, blob.length), ST.ERR_STATE);
  assert.equal(fwFeed(api, image), ST.OK);
  assert.equal(raw.iacsec_fw_finish(), ST.OK);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: enc('x') })), ST.OK);
});

test('exports answer ERR_SELFTEST before the self-test passed', async () => {
  const { instantiate } = await import('../../dist/host/loader.js').catch(() => ({}));
  if (!instantiate) return;
  const loaded = await instantiate({});
  const x = loaded.exports;
  for (const f of ['iacsec_fw_finish', 'iacsec_fw_abort', 'iacsec_provisioning_close', 'iacsec_state_recover']) assert.equal(x[f](), ST.ERR_SELFTEST, f);
  const io = x.iacsec_io_ptr();
  assert.equal(x.iacsec_fw_begin(io, 10, io, 1, 0), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_state_import(io, 10, 0n), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_state_backup(io, 10), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_state_restore(io, 10), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_fw_manifest(io), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_device_key_set(io), ST.ERR_SELFTEST);
  assert.equal(x.iacsec_anchors_max(), 8);
});

void Tag; void uint;

test('owner anchors sign only granted components; a supplier statement recovers a counter pushed too far', async () => {
  const { api, raw, sup } = await provisioned();
  const owner = makeKey(EDDSA), OWN = enc('owner');
  const image = new Uint8Array(16).fill(3);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: OWN, newKey: owner, grants: ['config', 'plc-app'] })), ST.OK);
  assert.deepEqual(drainEvents(api).map((e) => [e.type, e.a]), [[EV.ANCHOR_ADDED, 2n]]);
  // Not granted: the supplier's firmware slot.
  assert.equal(fwBegin(api, manifest(owner, OWN, { name: 'gateway-fw', image, counter: 2n ** 64n - 1n })), ST.ERR_UNAUTHORIZED);
  assert.equal(fwBegin(api, manifest(owner, OWN, { name: 'gateway-fw', image }), 1), ST.ERR_UNAUTHORIZED);
  assert.deepEqual(counterGet(api, 'gateway-fw'), { st: ST.END, v: 0n });
  // Granted: config, even to the top of the counter.
  assert.deepEqual(install(api, manifest(owner, OWN, { name: 'config', image, counter: 2n ** 64n - 1n }), image), [0, 0, 0]);
  assert.equal(fwBegin(api, manifest(sup, KID, { name: 'config', image, counter: 8 })), ST.ERR_ROLLBACK);
  // Revoking the owner does not lower the counter; the supplier's set-counter statement does, once.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 2, target: OWN })), ST.OK);
  const reset = statement(sup, KID, { op: 3, component: 'config', from: 2n ** 64n - 1n, to: 7 });
  assert.equal(applyStatement(api, statement(owner, OWN, { op: 3, component: 'config', from: 2n ** 64n - 1n, to: 0 })), ST.ERR_REVOKED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 3, component: 'config', from: 5, to: 7 })), ST.ERR_STALE);
  assert.equal(applyStatement(api, reset), ST.OK);
  assert.deepEqual(counterGet(api, 'config'), { st: ST.OK, v: 7n });
  assert.equal(applyStatement(api, reset), ST.ERR_STALE, 'a replay after the counter moved is refused');
  assert.deepEqual(install(api, manifest(sup, KID, { name: 'config', image, counter: 8 }), image), [0, 0, 0]);
  // Setting to 0 removes the entry; a set-counter for a new component needs room.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 3, component: 'config', from: 8, to: 0 })), ST.OK);
  assert.deepEqual(counterGet(api, 'config'), { st: ST.END, v: 0n });
  // Malformed set-counter statements: a kid, a list of components, no expected value.
  assert.equal(applyStatement(api, statement(sup, KID, { op: 3, target: KID, component: 'config', from: 0, to: 1 })), ST.ERR_MALFORMED);
  assert.equal(applyStatement(api, statement(sup, KID, { op: 3, component: 'config', from: 0, to: 1, extra: [[7, ['config']]] })), ST.ERR_MALFORMED);
  const ev = drainEvents(api);
  assert.deepEqual(ev.filter((e) => e.type === EV.COUNTER_SET).map((e) => [e.component, e.a, e.b, e.role]),
    [['config', 2n ** 64n - 1n, 7n, 1], ['config', 8n, 0n, 1]]);
  assert.deepEqual(ev.filter((e) => e.status === ST.ERR_UNAUTHORIZED).map((e) => e.type), [EV.FW_REJECTED, EV.BOOT_CHECK_FAILED]);
  // Grants are listed: anchor index and the component's hash.
  const g = [];
  for (let i = 0; ; i++) {
    const st = raw.iacsec_grant_get(i, api.ioPtr);
    if (st === ST.END) break;
    assert.equal(st, ST.OK);
    g.push([api.heap()[api.ioPtr], Buffer.from(api.heap().slice(api.ioPtr + 8, api.ioPtr + 40)).toString('hex')]);
  }
  const h = (s) => crypto.createHash('sha256').update(s).digest('hex');
  assert.deepEqual(g, [[1, h('config')], [1, h('plc-app')]]);
  assert.equal(raw.iacsec_grant_get(-1, api.ioPtr), ST.ERR_INVALID);
  assert.equal(raw.iacsec_grant_get(0, 0), ST.ERR_BOUNDS);
  // The grants table holds 16: a statement that would overflow it adds nothing.
  for (let i = 0; i < 4; i++) {
    assert.equal(applyStatement(api, statement(sup, KID, { op: 1, target: enc(`o${i}`), newKey: makeKey(EDDSA), grants: ['a', 'b', 'c', 'd'].map((x) => x + i) })), i < 3 ? ST.OK : ST.ERR_FULL);
  }
  assert.equal(raw.iacsec_anchor_count(), 5);
});

test('fw_manifest: the fields the module verified, for the host to report', async () => {
  const { api, raw, sup } = await provisioned(ES256);
  assert.equal(raw.iacsec_fw_manifest(api.ioPtr), ST.ERR_STATE);
  const image = crypto.randomBytes(300);
  const m = manifest(sup, KID, { name: 'firmware', version: '2.7.0', counter: 10, image, digestAlg: SHA512 });
  assert.equal(fwBegin(api, m), ST.OK);
  const f = fwManifest(api);
  assert.deepEqual([f.st, f.purpose, f.role, f.digestAlg, f.component, f.version, f.counter, f.size, f.kid.toString()],
    [ST.OK, 0, 1, SHA512, 'firmware', '2.7.0', 10n, 300n, 'supplier-1']);
  assert.deepEqual([Buffer.compare(f.vendor, VENDOR), Buffer.compare(f.klass, CLASS)], [0, 0]);
  assert.equal(Buffer.compare(f.digest, crypto.createHash('sha512').update(image).digest()), 0);
  assert.equal(raw.iacsec_fw_abort(), ST.OK);
  // A refused begin clears it.
  assert.equal(fwBegin(api, manifest(sup, KID, { name: 'firmware', image, counter: 1 }), 0, 'config'), ST.ERR_WRONG_COMPONENT);
  assert.equal(fwManifest(api).st, ST.ERR_STATE);
  assert.equal(raw.iacsec_fw_manifest(api.ioPtr + api.ioBytes - 10), ST.ERR_BOUNDS);
});
