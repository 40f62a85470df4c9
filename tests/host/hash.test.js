// Hashes, MACs and key derivation of the module against published vectors
// and against node:crypto on every length and every split point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { loadModule, IacsecError, abi } from '../../dist/host/index.js';
import { hex, toHex, wycheproof, cases, seeded } from './_helpers.js';

const api = await loadModule();
const nodeHash = (alg, data) => crypto.createHash(alg).update(data).digest('hex');

test('SHA-256 and SHA-512: FIPS 180-4 examples', () => {
  const abc = new TextEncoder().encode('abc');
  const two = new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
  assert.equal(toHex(api.sha256(abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(api.sha256(two)), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(toHex(api.sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(toHex(api.sha512(abc)),
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
  assert.equal(toHex(api.sha512(new Uint8Array(0))),
    'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e');
  const million = new Uint8Array(1_000_000).fill(0x61);
  assert.equal(toHex(api.sha256(million)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  assert.equal(toHex(api.sha512(million)),
    'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b');
});

test('SHA-256 and SHA-512: every length 0..1100 equals node:crypto', () => {
  const rnd = seeded(1);
  const data = rnd.bytes(1100);
  for (let n = 0; n <= 1100; n++) {
    const m = data.subarray(0, n);
    assert.equal(toHex(api.sha256(m)), nodeHash('sha256', m), `sha256 length ${n}`);
    assert.equal(toHex(api.sha512(m)), nodeHash('sha512', m), `sha512 length ${n}`);
  }
});

test('streaming SHA-256 and SHA-512: every split point, and odd chunk sizes, equal node:crypto', () => {
  const rnd = seeded(2);
  const data = rnd.bytes(300);
  const want256 = nodeHash('sha256', data);
  const want512 = nodeHash('sha512', data);
  for (let a = 0; a <= data.length; a++) {
    assert.equal(toHex(api.createSha256().update(data.subarray(0, a)).update(data.subarray(a)).digest()), want256, `split ${a}`);
    assert.equal(toHex(api.createSha512().update(data.subarray(0, a)).update(data.subarray(a)).digest()), want512, `split ${a}`);
  }
  for (let a = 0; a <= data.length; a += 7) {
    for (let b = a; b <= data.length; b += 13) {
      const h = api.createSha256().update(data.subarray(0, a)).update(data.subarray(a, b)).update(data.subarray(b));
      assert.equal(toHex(h.digest()), want256, `splits ${a},${b}`);
    }
  }
  const big = rnd.bytes(200_000);
  for (const chunk of [1, 3, 63, 65, 127, 129, 1000, 65535, 65536, 70000]) {
    const h256 = api.createSha256();
    const h512 = api.createSha512();
    for (let off = 0; off < big.length && off < chunk * 400; off += chunk) {
      h256.update(big.subarray(off, off + chunk));
      h512.update(big.subarray(off, off + chunk));
    }
    const covered = big.subarray(0, Math.min(big.length, chunk * 400));
    assert.equal(toHex(h256.digest()), nodeHash('sha256', covered), `chunk ${chunk}`);
    assert.equal(toHex(h512.digest()), nodeHash('sha512', covered), `chunk ${chunk}`);
  }
});

test('streaming contexts: update after final, stale handles, slot exhaustion and abort', () => {
  const raw = api.raw;
  const io = api.ioPtr;
  const h = raw.iacsec_sha256_init();
  assert.ok(h > 0);
  assert.equal(raw.iacsec_sha256_update(h, io, 3), 0);
  assert.equal(raw.iacsec_sha256_final(h, io), 0);
  assert.equal(raw.iacsec_sha256_update(h, io, 3), abi.STATUS.ERR_STATE.code, 'update after final');
  assert.equal(raw.iacsec_sha256_final(h, io), abi.STATUS.ERR_STATE.code, 'final twice');
  assert.equal(raw.iacsec_sha256_abort(h), abi.STATUS.ERR_STATE.code, 'abort after final');
  const h2 = raw.iacsec_sha256_init();
  assert.notEqual(h2, h, 'a reused slot gets a new handle');
  assert.equal(raw.iacsec_sha256_update(h, io, 1), abi.STATUS.ERR_STATE.code, 'old handle stays dead');
  assert.equal(raw.iacsec_sha256_abort(h2), 0);
  assert.equal(raw.iacsec_sha512_update(h2, io, 1), abi.STATUS.ERR_STATE.code, 'a sha256 handle is not a sha512 one');

  const held = [];
  for (let i = 0; i < abi.SIZES.SLOTS; i++) held.push(api.createSha512());
  assert.throws(() => api.createSha512(), (e) => e instanceof IacsecError && e.status === 'ERR_NO_SLOT');
  held[3].dispose();
  const again = api.createSha512();
  held.splice(3, 1, again);
  for (const x of held) x.dispose();
  const done = api.createSha256();
  done.digest();
  assert.throws(() => done.update(new Uint8Array(1)), (e) => e instanceof IacsecError && e.status === 'ERR_STATE');
  assert.throws(() => done.digest(), (e) => e instanceof IacsecError && e.status === 'ERR_STATE');
});

test('HMAC-SHA256 and HMAC-SHA512: RFC 4231 section 4 test cases', () => {
  const key20 = new Uint8Array(20).fill(0x0b);
  const keyAA = new Uint8Array(131).fill(0xaa);
  const text = (s) => new TextEncoder().encode(s);
  const rfc = [
    // [key, data, HMAC-SHA-256, HMAC-SHA-512] - test cases 1, 2, 3, 6, 7
    [key20, text('Hi There'), 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854'],
    [text('Jefe'), text('what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'],
    [new Uint8Array(20).fill(0xaa), new Uint8Array(50).fill(0xdd), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb'],
    [keyAA, text('Test Using Larger Than Block-Size Key - Hash Key First'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598'],
    [keyAA, text('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58'],
  ];
  for (const [key, data, want256, want512] of rfc) {
    assert.equal(toHex(api.hmacSha256(key, data)), want256);
    assert.equal(toHex(api.hmacSha512(key, data)), want512);
  }
});

test('HMAC: every Wycheproof case of hmac_sha256_test.json and hmac_sha512_test.json', () => {
  for (const [file, fn] of [['hmac_sha256_test', 'hmacSha256'], ['hmac_sha512_test', 'hmacSha512']]) {
    let n = 0;
    for (const { group, test: t } of cases(wycheproof(file))) {
      const tag = toHex(api[fn](hex(t.key), hex(t.msg))).slice(0, group.tagSize / 4);
      assert.equal(tag === t.tag, t.result === 'valid', `${file} tcId ${t.tcId}: ${t.comment}`);
      n++;
    }
    assert.ok(n > 100, `${file}: ${n} cases`);
  }
});

test('HMAC: key and message lengths across block edges equal node:crypto', () => {
  const rnd = seeded(3);
  for (const klen of [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 300]) {
    for (const mlen of [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000]) {
      const key = rnd.bytes(klen);
      const msg = rnd.bytes(mlen);
      assert.equal(toHex(api.hmacSha256(key, msg)), crypto.createHmac('sha256', key).update(msg).digest('hex'));
      assert.equal(toHex(api.hmacSha512(key, msg)), crypto.createHmac('sha512', key).update(msg).digest('hex'));
    }
  }
});

test('PBKDF2-HMAC-SHA256: RFC 7914 section 11 and every Wycheproof case', () => {
  const p = (s) => new TextEncoder().encode(s);
  assert.equal(toHex(api.pbkdf2Sha256(p('passwd'), p('salt'), 1, 64)),
    '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783');
  assert.equal(toHex(api.pbkdf2Sha256(p('Password'), p('NaCl'), 80000, 64)),
    '4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d');
  let n = 0;
  for (const { test: t } of cases(wycheproof('pbkdf2_hmacsha256_test'))) {
    if (t.iterationCount > 100_000) continue; // the largest cases add minutes, not coverage
    const dk = toHex(api.pbkdf2Sha256(hex(t.password), hex(t.salt), t.iterationCount, t.dkLen));
    assert.equal(dk === t.dk, t.result === 'valid', `tcId ${t.tcId}: ${t.comment}`);
    n++;
  }
  assert.ok(n > 10, `${n} cases`);
});

test('PBKDF2: lengths across block edges equal node:crypto; bad arguments give status codes', () => {
  const rnd = seeded(4);
  for (const [pw, salt, iters, len] of [[0, 0, 1, 1], [1, 1, 2, 31], [64, 16, 3, 32], [65, 100, 5, 33], [200, 64, 7, 64], [10, 8, 2, 65], [3, 4, 1, 1000]]) {
    const password = rnd.bytes(pw);
    const s = rnd.bytes(salt);
    assert.equal(toHex(api.pbkdf2Sha256(password, s, iters, len)), crypto.pbkdf2Sync(password, s, iters, len, 'sha256').toString('hex'));
  }
  const one = new Uint8Array(1);
  assert.throws(() => api.pbkdf2Sha256(one, one, 0, 32), (e) => e instanceof IacsecError && e.status === 'ERR_INVALID');
  assert.throws(() => api.pbkdf2Sha256(one, one, abi.SIZES.PBKDF2_MAX_ITERATIONS + 1, 32), (e) => e.status === 'ERR_INVALID');
  assert.throws(() => api.pbkdf2Sha256(one, one, 1, 0), (e) => e.status === 'ERR_LENGTH');
  assert.throws(() => api.pbkdf2Sha256(one, one, 1.5, 32), TypeError);
  assert.throws(() => api.pbkdf2Sha256('pw', one, 1, 32), TypeError);
});

test('HKDF-SHA256: RFC 5869 appendix A test cases 1-3, lengths, and limits', () => {
  const r = (a, b) => Uint8Array.from({ length: b - a + 1 }, (_, i) => a + i);
  const a1 = api.hkdfSha256(new Uint8Array(22).fill(0x0b), r(0x00, 0x0c), r(0xf0, 0xf9), 42);
  assert.equal(toHex(a1), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  const a2 = api.hkdfSha256(r(0x00, 0x4f), r(0x60, 0xaf), r(0xb0, 0xff), 82);
  assert.equal(toHex(a2), 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87');
  const a3 = api.hkdfSha256(new Uint8Array(22).fill(0x0b), new Uint8Array(0), new Uint8Array(0), 42);
  assert.equal(toHex(a3), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  const rnd = seeded(5);
  for (const len of [1, 31, 32, 33, 64, 65, 255, 1000, 8160]) {
    const ikm = rnd.bytes(40), salt = rnd.bytes(len % 70), info = rnd.bytes(len % 30);
    assert.equal(toHex(api.hkdfSha256(ikm, salt, info, len)), Buffer.from(crypto.hkdfSync('sha256', ikm, salt, info, len)).toString('hex'), `length ${len}`);
  }
  assert.throws(() => api.hkdfSha256(new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 8161), (e) => e.status === 'ERR_LENGTH');
  assert.throws(() => api.hkdfSha256(new Uint8Array(1), new Uint8Array(0), new Uint8Array(0), 0), (e) => e.status === 'ERR_LENGTH');
});

test('inputs that do not fit the I/O area give ERR_LENGTH, and the module still answers', () => {
  const big = new Uint8Array(api.ioBytes);
  assert.throws(() => api.hmacSha256(new Uint8Array(32), big), (e) => e instanceof IacsecError && e.status === 'ERR_LENGTH');
  assert.equal(toHex(api.sha256(new TextEncoder().encode('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a stale handle never becomes valid again, past 2^24 reuses of its slot', async () => {
  // A fresh instance: its handles start at 1 and rise by one per init.
  const fresh = await loadModule();
  const raw = fresh.raw;
  const stale = raw.iacsec_sha256_init();
  assert.equal(raw.iacsec_sha256_abort(stale), 0);
  let last = 0;
  for (let i = 0; i < (1 << 24) + 8; i++) {
    last = raw.iacsec_sha256_init();
    raw.iacsec_sha256_abort(last);
  }
  assert.ok(last > 1 << 24, `handle ${last}`);
  const now = raw.iacsec_sha256_init();
  assert.equal(raw.iacsec_sha256_update(stale, fresh.ioPtr, 1), abi.STATUS.ERR_STATE.code, 'the first handle is still dead');
  assert.equal(raw.iacsec_sha256_final(stale, fresh.ioPtr), abi.STATUS.ERR_STATE.code);
  assert.equal(raw.iacsec_sha256_update(now, fresh.ioPtr, 1), 0, 'the live one works');
  assert.equal(raw.iacsec_sha256_abort(now), 0);
});
