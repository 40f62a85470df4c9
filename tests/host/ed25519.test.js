// Ed25519 (RFC 8032) in the module: RFC vectors, every Wycheproof case, and a
// differential test against node:crypto and @noble/curves (strict, zip215
// off) with single-bit flips in key, message and signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { loadModule, IacsecError } from '../../dist/host/index.js';
import { hex, toHex, wycheproof, cases, seeded } from './_helpers.js';

const api = await loadModule();

// RFC 8032 section 7.1: TEST 1, 2, 3, 1024 and SHA(abc).
const RFC8032 = [
  ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
  ['833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42', 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704'],
];

test('RFC 8032 section 7.1: public key, signature, verification', () => {
  for (const [seed, pk, msg, sig] of RFC8032) {
    assert.equal(toHex(api.ed25519PublicKey(hex(seed))), pk);
    assert.equal(toHex(api.ed25519Sign(hex(seed), hex(msg))), sig);
    assert.equal(api.ed25519Verify(hex(pk), hex(msg), hex(sig)), true);
  }
});

test('RFC 8032 TEST 1024: a 1023-byte message signed by node:crypto verifies', () => {
  const rnd = seeded(1024);
  const seed = rnd.bytes(32);
  const msg = rnd.bytes(1023);
  const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const sig = crypto.sign(null, msg, key);
  const pk = crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
  assert.equal(toHex(api.ed25519PublicKey(seed)), toHex(pk));
  assert.equal(toHex(api.ed25519Sign(seed, msg)), toHex(sig));
  assert.equal(api.ed25519Verify(pk, msg, sig), true);
});

test('every case of Wycheproof ed25519_test.json gives its expected result', () => {
  let valid = 0, invalid = 0;
  for (const { group, test: t } of cases(wycheproof('ed25519_test'))) {
    const got = api.ed25519Verify(hex(group.publicKey.pk), hex(t.msg), hex(t.sig));
    assert.equal(got, t.result === 'valid', `tcId ${t.tcId}: ${t.comment} [${t.flags}]`);
    if (t.result === 'valid') valid++; else invalid++;
  }
  assert.ok(valid > 0 && invalid > 0 && valid + invalid === 151, `${valid} valid, ${invalid} invalid`);
});

function nodeKeys(seed) {
  const key = crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return { key, pk: new Uint8Array(crypto.createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12)) };
}

function nodeVerify(pk, msg, sig) {
  try {
    const key = crypto.createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), pk]), format: 'der', type: 'spki' });
    return crypto.verify(null, msg, key, sig);
  } catch {
    return false;
  }
}

function nobleVerify(pk, msg, sig) {
  try { return ed25519.verify(sig, msg, pk, { zip215: false }); } catch { return false; }
}

test('differential: random keys and messages, single-bit flips; module, node:crypto and @noble/curves agree', () => {
  const rnd = seeded(25519);
  let flips = 0;
  for (let i = 0; i < 300; i++) {
    const seed = rnd.bytes(32);
    const msg = rnd.bytes(rnd.below(300));
    const { key, pk } = nodeKeys(seed);
    const sig = new Uint8Array(crypto.sign(null, msg, key));
    assert.equal(toHex(api.ed25519Sign(seed, msg)), toHex(sig), 'deterministic signature equals node:crypto');
    assert.equal(toHex(api.ed25519PublicKey(seed)), toHex(pk));
    assert.equal(api.ed25519Verify(pk, msg, sig), true);
    for (let k = 0; k < 6; k++) {
      const which = rnd.below(3);
      const p = pk.slice(), m = msg.slice(), s = sig.slice();
      const target = which === 0 ? p : which === 1 ? m : s;
      if (target.length === 0) continue;
      const bit = rnd.below(target.length * 8);
      target[bit >> 3] ^= 1 << (bit & 7);
      const want = nobleVerify(p, m, s);
      assert.equal(nodeVerify(p, m, s), want, `node and noble disagree (case ${i}, ${['key', 'message', 'signature'][which]} bit ${bit})`);
      assert.equal(api.ed25519Verify(p, m, s), want, `case ${i}: ${['key', 'message', 'signature'][which]} bit ${bit}`);
      flips++;
    }
  }
  assert.ok(flips > 1500);
});

test('malformed keys and signatures are invalid, never a trap', () => {
  const msg = new Uint8Array(10);
  const sig = hex(RFC8032[0][3]);
  const pk = hex(RFC8032[0][1]);
  const identity = new Uint8Array(32); identity[0] = 1;
  const ff = new Uint8Array(32).fill(0xff);
  const sBig = sig.slice(); sBig.set(new Uint8Array(32).fill(0xff), 32);
  for (const [p, s] of [[new Uint8Array(32), sig], [identity, sig], [ff, sig], [pk, new Uint8Array(64)], [pk, sBig],
    [pk, new Uint8Array(64).fill(0xff)], [pk.subarray(0, 31), sig], [pk, sig.subarray(0, 63)], [new Uint8Array(33), sig]]) {
    assert.equal(api.ed25519Verify(p, msg, s), false);
  }
  assert.throws(() => api.ed25519Sign(new Uint8Array(31), msg), (e) => e instanceof IacsecError && e.status === 'ERR_LENGTH');
  assert.throws(() => api.ed25519PublicKey(new Uint8Array(33)), (e) => e instanceof IacsecError && e.status === 'ERR_LENGTH');
});

test('overlapping output and input are refused, not signed wrongly', () => {
  const raw = api.raw;
  const io = api.ioPtr;
  assert.equal(raw.iacsec_ed25519_sign(io, io + 32, io + 100, 10), -1, 'signature over the seed');
  assert.equal(raw.iacsec_ed25519_sign(io + 100, io, io + 120, 10), -1, 'signature over the message');
});

test('signing with one seed after another gives each its own key (public key cache)', () => {
  const rnd = seeded(77);
  const seeds = [rnd.bytes(32), rnd.bytes(32)];
  const msg = rnd.bytes(40);
  for (let i = 0; i < 6; i++) {
    const seed = seeds[i % 2];
    const { key, pk } = nodeKeys(seed);
    assert.equal(toHex(api.ed25519Sign(seed, msg)), toHex(crypto.sign(null, msg, key)));
    assert.equal(api.ed25519Verify(pk, msg, api.ed25519Sign(seed, msg)), true);
  }
});

test('zeroize wipes the cached signing seed from module memory (CR 4.2)', () => {
  const seed = seeded(4242).bytes(32);
  const find = () => Buffer.from(api.heap()).indexOf(Buffer.from(seed));
  api.ed25519Sign(seed, new Uint8Array(8));
  const before = find();
  assert.ok(before >= 0 && (before < api.ioPtr || before >= api.ioPtr + api.ioBytes), 'the seed is kept outside the I/O area while cached');
  api.zeroize();
  assert.equal(find(), -1, 'no copy of the seed is left anywhere in module memory');
  const { key } = nodeKeys(seed);
  assert.equal(toHex(api.ed25519Sign(seed, new Uint8Array(8))), toHex(crypto.sign(null, new Uint8Array(8), key)), 'signing still works after');
});
