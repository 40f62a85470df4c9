// ECDSA P-256 with SHA-256 in the module: every Wycheproof case (DER and raw
// signatures), and a differential test against node:crypto and @noble/curves
// with single-bit flips in key (compressed and uncompressed), message and signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { loadModule, abi } from '../../dist/host/index.js';
import { hex, wycheproof, cases, seeded } from './_helpers.js';

const api = await loadModule();

for (const [file, format] of [['ecdsa_secp256r1_sha256_test', 'der'], ['ecdsa_secp256r1_sha256_p1363_test', 'raw']]) {
  test(`every case of Wycheproof ${file}.json gives its expected result`, () => {
    let n = 0;
    for (const { group, test: t } of cases(wycheproof(file))) {
      const pk = hex(group.publicKey.uncompressed);
      const got = api.p256Verify(pk, hex(t.msg), hex(t.sig), { format });
      assert.equal(got, t.result === 'valid', `tcId ${t.tcId}: ${t.comment} [${t.flags}]`);
      n++;
    }
    assert.ok(n > 200, `${n} cases`);
  });
}

function nodeVerify(pk, msg, sig, format) {
  try {
    const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', ...jwk(pk) }, format: 'jwk' });
    return crypto.verify('sha256', msg, { key, dsaEncoding: format === 'raw' ? 'ieee-p1363' : 'der' }, sig);
  } catch {
    return false;
  }
}

function jwk(pk) {
  const point = p256.Point.fromBytes(pk); // throws on keys off the curve: then the key is not valid
  const b = point.toBytes(false);
  return { x: Buffer.from(b.subarray(1, 33)).toString('base64url'), y: Buffer.from(b.subarray(33)).toString('base64url') };
}

function nobleVerify(pk, msg, sig, format) {
  try { return p256.verify(sig, msg, pk, { prehash: true, lowS: false, format: format === 'raw' ? 'compact' : 'der' }); } catch { return false; }
}

test('differential: random keys and messages, single-bit flips; module, node:crypto and @noble/curves agree', () => {
  const rnd = seeded(256);
  let checked = 0;
  for (let i = 0; i < 150; i++) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const j = publicKey.export({ format: 'jwk' });
    const x = Buffer.from(j.x, 'base64url'), y = Buffer.from(j.y, 'base64url');
    const uncompressed = new Uint8Array(Buffer.concat([Buffer.from([4]), x, y]));
    const compressed = new Uint8Array(Buffer.concat([Buffer.from([2 | (y[31] & 1)]), x]));
    const msg = rnd.bytes(rnd.below(200));
    const format = i % 2 ? 'raw' : 'der';
    const sig = new Uint8Array(crypto.sign('sha256', msg, { key: privateKey, dsaEncoding: format === 'raw' ? 'ieee-p1363' : 'der' }));
    for (const pk of [uncompressed, compressed]) {
      assert.equal(api.p256Verify(pk, msg, sig, { format }), true, `case ${i} ${pk.length}-byte key`);
      for (let k = 0; k < 4; k++) {
        const which = rnd.below(3);
        const p = pk.slice(), m = msg.slice(), s = sig.slice();
        const target = which === 0 ? p : which === 1 ? m : s;
        if (target.length === 0) continue;
        const bit = rnd.below(target.length * 8);
        target[bit >> 3] ^= 1 << (bit & 7);
        const want = nobleVerify(p, m, s, format);
        assert.equal(nodeVerify(p, m, s, format), want, `node and noble disagree: case ${i}, ${['key', 'message', 'signature'][which]} bit ${bit}`);
        assert.equal(api.p256Verify(p, m, s, { format }), want, `case ${i}: ${['key', 'message', 'signature'][which]} bit ${bit} (${format}, ${pk.length}-byte key)`);
        checked++;
      }
    }
  }
  assert.ok(checked > 1000);
});

test('malformed keys and signatures are invalid; an unknown format is ERR_UNSUPPORTED', () => {
  const { group, test: t } = cases(wycheproof('ecdsa_secp256r1_sha256_p1363_test')).next().value;
  const pk = hex(group.publicKey.uncompressed), msg = hex(t.msg), sig = hex(t.sig);
  assert.equal(api.p256Verify(pk, msg, sig), true);
  const n = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
  const offCurve = pk.slice(); offCurve[64] ^= 1;
  const xTooBig = pk.slice(); xTooBig.set(new Uint8Array(32).fill(0xff), 1);
  const identity = new Uint8Array(65); identity[0] = 4;
  for (const [p, s] of [[offCurve, sig], [xTooBig, sig], [identity, sig], [new Uint8Array(0), sig], [new Uint8Array([0]), sig],
    [pk.subarray(0, 64), sig], [pk, new Uint8Array(64)], [pk, new Uint8Array([...n, ...sig.subarray(32)])],
    [pk, new Uint8Array([...sig.subarray(0, 32), ...n])], [pk, sig.subarray(0, 63)], [pk, new Uint8Array(0)]]) {
    assert.equal(api.p256Verify(p, msg, s), false);
  }
  const io = api.ioPtr;
  assert.equal(api.raw.iacsec_p256_verify(io, 65, io + 100, 0, io + 200, 64, 2), abi.STATUS.ERR_UNSUPPORTED.code);
  assert.equal(api.raw.iacsec_p256_verify(io, 65, io + 100, 0, io + 200, 64, -1), abi.STATUS.ERR_UNSUPPORTED.code);
});
