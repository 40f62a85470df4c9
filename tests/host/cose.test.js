// COSE_Sign1 verification (RFC 9052) through iacsec_cose_sign1_verify: the
// cose-wg examples, messages made here with cbor-x and @noble/curves, and the
// strict CBOR reader against every example of RFC 8949 Appendix A.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModule } from '../../dist/host/index.js';
import { ROOT, hex, seeded } from './_helpers.js';
import { cbor, Tag, makeKey, sign1, put, EDDSA, ES256, ST } from './_manifest.js';

const api = await loadModule();
const raw = api.raw;
const b64u = (s) => Uint8Array.from(Buffer.from(s, 'base64url'));

/** Verifies msg with aad and pk through the raw export. */
function verify(msg, pk, aad = new Uint8Array(0)) {
  const [m, a, k] = put(api, msg, aad, pk);
  return raw.iacsec_cose_sign1_verify(m, msg.length, a, aad.length, k, pk.length);
}

function coseKey(jwk) {
  if (jwk.kty === 'OKP') return hex(jwk.x_hex);
  return Uint8Array.from([4, ...b64u(jwk.x), ...b64u(jwk.y)]);
}

test('cose-wg examples: pass ones verify with their key, fail ones are rejected with their reason', () => {
  const expect = {
    'sign-pass-01': ST.OK, 'sign-pass-02': ST.OK, 'sign-pass-03': ST.OK, 'ecdsa-sig-01': ST.OK, 'eddsa-sig-01': ST.OK,
    'sign-fail-01': ST.ERR_MALFORMED,   // tag 998
    'sign-fail-02': ST.ERR_INVALID,     // payload changed
    'sign-fail-03': ST.ERR_UNSUPPORTED, // alg -999
    'sign-fail-04': ST.ERR_UNSUPPORTED, // alg "unknown"
    'sign-fail-06': ST.ERR_INVALID,     // protected attribute added
    'sign-fail-07': ST.ERR_INVALID,     // protected attribute removed
  };
  for (const [name, want] of Object.entries(expect)) {
    const v = JSON.parse(readFileSync(`${ROOT}tests/vectors/cose/${name}.json`, 'utf8'));
    assert.equal(Boolean(v.fail), want !== ST.OK, name);
    const aad = v.input.sign0.external ? hex(v.input.sign0.external) : new Uint8Array(0);
    const msg = hex(v.output.cbor);
    const pk = coseKey(v.input.sign0.key);
    assert.equal(verify(msg, pk, aad), want, name);
    if (want === ST.OK) {
      // Compressed SEC1 form of the same P-256 key works too; any other AAD or key does not.
      if (pk.length === 65) {
        const c = Uint8Array.from([2 | (pk[64] & 1), ...pk.subarray(1, 33)]);
        assert.equal(verify(msg, c, aad), ST.OK, `${name} compressed key`);
      }
      assert.equal(verify(msg, pk, Uint8Array.from([...aad, 0])), ST.ERR_INVALID, `${name} other aad`);
      const other = pk.slice(); other[pk.length - 1] ^= 1;
      assert.notEqual(verify(msg, other, aad), ST.OK, `${name} other key`);
    }
  }
  // sign-pass-02 without its external AAD.
  const v = JSON.parse(readFileSync(`${ROOT}tests/vectors/cose/sign-pass-02.json`, 'utf8'));
  assert.equal(verify(hex(v.output.cbor), coseKey(v.input.sign0.key)), ST.ERR_INVALID);
});

test('own COSE_Sign1, Ed25519 and ES256: with and without tag, with external AAD, and every rejection', () => {
  const rnd = seeded(7);
  for (const alg of [EDDSA, ES256]) {
    const key = makeKey(alg);
    const keyC = alg === ES256 ? makeKey(ES256, { compressed: true }) : null;
    const payload = rnd.bytes(100);
    const aad = rnd.bytes(33);
    const prot = new Map([[1, alg], [4, hex('0102')]]);
    for (const tag of [18, false]) {
      const m = sign1({ key, prot, payload, tag });
      assert.equal(verify(m, key.pk), ST.OK, `alg ${alg} tag ${tag}`);
      const ma = sign1({ key, prot, payload, aad, tag });
      assert.equal(verify(ma, key.pk, aad), ST.OK, `alg ${alg} aad tag ${tag}`);
      assert.equal(verify(ma, key.pk), ST.ERR_INVALID);
      assert.equal(verify(m, key.pk, aad), ST.ERR_INVALID);
    }
    if (keyC) assert.equal(verify(sign1({ key: keyC, prot, payload }), keyC.pk), ST.OK, 'compressed key');
    const good = sign1({ key, prot, payload });
    // Key of the other algorithm, or another key of the same.
    const other = makeKey(alg === EDDSA ? ES256 : EDDSA);
    assert.equal(verify(good, other.pk), ST.ERR_INVALID);
    assert.equal(verify(good, makeKey(alg).pk), ST.ERR_INVALID);
    // alg only in the unprotected header (RFC 9052 allows it), in both, nowhere.
    // An empty protected map encoded as 0xa0 enters the Sig_structure as h'' (RFC 9052 section 4.4).
    const sigEmpty = key.sign(cbor(['Signature1', new Uint8Array(0), new Uint8Array(0), payload]));
    assert.equal(verify(cbor(new Tag([hex('a0'), new Map([[1, alg]]), payload, sigEmpty], 18)), key.pk), ST.OK);
    assert.equal(verify(sign1({ key, prot: new Map(), unprot: new Map([[1, alg]]), payload }), key.pk), ST.ERR_INVALID);
    assert.equal(verify(sign1({ key, protBytes: new Uint8Array(0), unprot: new Map([[1, alg]]), payload }), key.pk), ST.OK);
    assert.equal(verify(sign1({ key, prot, unprot: new Map([[1, alg]]), payload }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(sign1({ key, prot: new Map([[4, hex('01')]]), payload }), key.pk), ST.ERR_UNSUPPORTED);
    // Algorithms off the allow-list.
    for (const a of [-35, -36, -37, -257, 5, -999, 'EdDSA', 2 ** 31, -(2n ** 40n), 2n ** 64n - 1n]) {
      assert.equal(verify(sign1({ key, prot: new Map([[1, a]]), payload }), key.pk), ST.ERR_UNSUPPORTED, `alg ${a}`);
    }
    // crit (RFC 9052 section 3.1): understood labels pass; others are critical; never unprotected or empty.
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [2, [1, 4]], [4, hex('01')]]), payload }), key.pk), ST.OK);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [2, [1, 3]], [3, 0]]), payload }), key.pk), ST.OK);
    for (const c of [[7], [1, 99], ['x'], [-70000]]) {
      assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [2, c]]), payload }), key.pk), ST.ERR_CRITICAL, `crit ${c}`);
    }
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [2, []]]), payload }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg]]), unprot: new Map([[2, [1]]]), payload }), key.pk), ST.ERR_MALFORMED);
    // Header value types: kid bstr, cty uint/tstr, labels int/tstr.
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [4, 'kid']]), payload }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [3, -1]]), payload }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [3, 'application/cbor']]), payload }), key.pk), ST.OK);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], ['x', [1, new Map([['a', 2]])]]]), payload }), key.pk), ST.OK);
    assert.equal(verify(sign1({ key, prot: new Map([[1, alg], [hex('01'), 1]]), payload }), key.pk), ST.ERR_MALFORMED);
    // Another tag, trailing bytes, detached payload, signature of another length.
    assert.equal(verify(sign1({ key, prot, payload, tag: 17 }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(cbor(new Tag(new Tag([cbor(prot), new Map(), payload, new Uint8Array(64)], 18), 18)), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(Uint8Array.from([...good, 0]), key.pk), ST.ERR_MALFORMED);
    const parts = [cbor(prot), new Map(), null, key.sign(new Uint8Array(0))];
    assert.equal(verify(cbor(new Tag(parts, 18)), key.pk), ST.ERR_MALFORMED);
    for (const n of [0, 63, 65, 72]) {
      assert.equal(verify(cbor(new Tag([cbor(prot), new Map(), payload, new Uint8Array(n).fill(1)], 18)), key.pk), ST.ERR_INVALID);
    }
    // A protected header that is not a map, or has bytes after the map.
    assert.equal(verify(sign1({ key, protBytes: cbor([1, alg]), unprot: new Map([[1, alg]]), payload }), key.pk), ST.ERR_MALFORMED);
    assert.equal(verify(sign1({ key, protBytes: Uint8Array.from([...cbor(prot), 0]), payload }), key.pk), ST.ERR_MALFORMED);
    // A payload close to the I/O area's size.
    const big = rnd.bytes(60000);
    assert.equal(verify(sign1({ key, prot, payload: big }), key.pk), ST.OK, 'large payload');
  }
});

test('argument errors: key length, pointers outside the I/O area', () => {
  const key = makeKey(EDDSA);
  const m = sign1({ key, payload: new Uint8Array(3) });
  for (const n of [0, 31, 34, 64, 66]) assert.equal(verify(m, new Uint8Array(n)), ST.ERR_LENGTH);
  const [p, k] = put(api, m, key.pk);
  assert.equal(raw.iacsec_cose_sign1_verify(p, m.length, 0, 0, k, 32), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_cose_sign1_verify(p + 1, api.ioBytes, p, 0, k, 32), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_cose_sign1_verify(p, m.length, p, 0, 0, 32), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_cose_sign1_verify(-1, 8, p, 0, k, 32), ST.ERR_BOUNDS);
  assert.equal(raw.iacsec_cose_sign1_verify(p, m.length, p, 0, k, 32), ST.OK);
  // Message and AAD overlapping in the I/O area: an Ed25519 Sig_structure above IO_BYTES + 64 bytes is refused.
  const bigm = sign1({ key, payload: new Uint8Array(40000) });
  const [bp, bk] = put(api, bigm, key.pk);
  assert.equal(raw.iacsec_cose_sign1_verify(bp, bigm.length, bp, 30000, bk, 32), ST.ERR_LENGTH);
  assert.equal(raw.iacsec_cose_sign1_verify(bp, bigm.length, bp, 20000, bk, 32), ST.ERR_INVALID);
});

// ---- the strict CBOR reader, through the unprotected header ----

const appendix = JSON.parse(readFileSync(`${ROOT}tests/vectors/cbor/appendix_a.json`, 'utf8'));
const rkey = makeKey(EDDSA);
const rprot = cbor(new Map([[1, EDDSA]]));
const rpayload = Uint8Array.from([0x43, 1, 2, 3]);                 // bstr h'010203'
const rsig = rkey.sign(cbor(['Signature1', rprot, new Uint8Array(0), new Uint8Array([1, 2, 3])]));
const rhead = Uint8Array.from([0xd2, 0x84, ...cbor(rprot), 0xa1, 0x20]); // 18([prot, {-1: item ...
const rtail = Uint8Array.from([...rpayload, ...cbor(rsig)]);
/** A signed message whose unprotected header is {-1: item}: OK exactly when item is accepted by the reader. */
const withItem = (item) => Uint8Array.from([...rhead, ...item, ...rtail]);

/**
 * The examples the reader accepts: every deterministic one, except simple(24)
 * (f818), which RFC 8949 section 3.3 made not well-formed (RFC 7049 allowed
 * it). Rejected: indefinite lengths and floats that fit a narrower float.
 */
const accepted = (e) => e.roundtrip && e.hex !== 'f818';

test('RFC 8949 Appendix A: the strict reader accepts every deterministic example and rejects the others', () => {
  assert.equal(appendix.length, 82);
  let acc = 0;
  for (const e of appendix) {
    const want = accepted(e) ? ST.OK : ST.ERR_MALFORMED;
    if (want === ST.OK) acc++;
    assert.equal(verify(withItem(hex(e.hex)), rkey.pk), want, `${e.hex} (${JSON.stringify(e.decoded ?? e.diagnostic)})`);
  }
  assert.equal(acc, 82 - 18);
});

test('strict reader: non-shortest forms, reserved values, invalid UTF-8, duplicate keys, depth', () => {
  const bad = [
    '1817', '190017', '19 00ff', '1a0000ffff', '1b00000000ffffffff', '3817', '5801ff', '590001ff', '780161',
    '9801 01', 'b801 0101', 'd81201', 'f81f', 'f800', 'fa3f800000', 'fa00000000', 'fb3ff0000000000000', 'fb4059000000000000',
    '1c', '1d', '1e', '1f', '3c', '5c', '7c', '9c', 'bc', 'dc', 'fc', 'fd', 'fe', 'ff', '5f', '7f', '9f', 'bf',
    '62c328', '63eda080', '64f4908080', '62c0af', '61ff', '61 80',
    'a20101 0102', 'a2 4100 01 4100 02', 'a2 6161 01 6161 02', 'a1 01 a2 0102 0103',
    '8282', '8301 02', '4201', '6261',
  ];
  for (const h of bad) assert.equal(verify(withItem(hex(h.replace(/ /g, ''))), rkey.pk), ST.ERR_MALFORMED, h);
  const good = ['1818', '19 0100', '1a 00010000', '1b 0000000100000000', 'f8 20', 'fa 47c35000', 'f9 7e00',
    'fb 3ff199999999999a', 'a2 01 01 02 01', 'a2 02 00 01 00', 'a2 21 00 20 00', 'c1 c1 00', '61 7f', '62 c2 80', '64 f4 8f bf bf'];
  for (const h of good) assert.equal(verify(withItem(hex(h.replace(/ /g, ''))), rkey.pk), ST.OK, h);
  // The message array and the header map take two of the 8 levels: 6 more fit, 7 do not.
  const nest = (n) => Uint8Array.from([...new Array(n).fill(0x81), 0]);
  assert.equal(verify(withItem(nest(6)), rkey.pk), ST.OK);
  assert.equal(verify(withItem(nest(7)), rkey.pk), ST.ERR_MALFORMED);
  const tags = (n) => Uint8Array.from([...new Array(n).fill(0xc1), 0]);
  assert.equal(verify(withItem(tags(6)), rkey.pk), ST.OK);
  assert.equal(verify(withItem(tags(7)), rkey.pk), ST.ERR_MALFORMED);
  assert.equal(verify(withItem(Uint8Array.from([...new Array(5000).fill(0x81), 0])), rkey.pk), ST.ERR_MALFORMED);
  // 64 distinct keys in one map are checked; 65 are refused.
  const mapOf = (n) => Uint8Array.from([...(n < 24 ? [0xa0 | n] : [0xb8, n]), ...Array.from({ length: n }, (_, i) => [0x18, 24 + i, 0]).flat()]);
  assert.equal(verify(withItem(mapOf(64)), rkey.pk), ST.OK);
  assert.equal(verify(withItem(mapOf(65)), rkey.pk), ST.ERR_MALFORMED);
});

test('Appendix A: every prefix and every single-bit corruption of every example, and of whole messages, never traps', () => {
  let n = 0;
  for (const e of appendix) {
    const item = hex(e.hex);
    for (let k = 0; k < item.length; k++) {
      // The truncated item ends the message.
      assert.equal(verify(Uint8Array.from([...rhead, ...item.subarray(0, k)]), rkey.pk), ST.ERR_MALFORMED, `${e.hex}[:${k}]`);
      n++;
    }
    for (let bit = 0; bit < item.length * 8; bit++) {
      const c = item.slice();
      c[bit >> 3] ^= 1 << (bit & 7);
      const st = verify(withItem(c), rkey.pk);
      assert.ok([ST.OK, ST.ERR_MALFORMED, ST.ERR_INVALID].includes(st), `${e.hex} bit ${bit}: ${st}`);
      n++;
    }
  }
  const whole = withItem(hex('a26161016162820203'));
  assert.equal(verify(whole, rkey.pk), ST.OK);
  for (let k = 0; k < whole.length; k++) {
    assert.equal(verify(whole.subarray(0, k), rkey.pk), ST.ERR_MALFORMED, `message[:${k}]`);
    n++;
  }
  assert.ok(n > 3000);
});
