// SHA-1 and HMAC-SHA1 (FIPS 180-4, RFC 2202), HOTP/TOTP (RFC 4226, RFC 6238)
// in the module, agreement with the `otpauth` package, and multi-factor
// login (CR 1.1 RE2): enrolment, the ±1 step window, single use, recovery codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { loadModule, auth, base32Decode } from '../../dist/host/index.js';
import { hex, toHex, seeded } from './_helpers.js';
import { setup, status, ADMIN, ADMIN_PW } from './_auth.js';

const api = await loadModule();
const raw = api.raw;
const io = api.ioPtr;

function sha1(data) {
  api.heap().set(data, io + 64);
  assert.equal(raw.iacsec_sha1(io, io + 64, data.byteLength), 0);
  return toHex(api.heap().slice(io, io + 20));
}
function hmacSha1(key, data) {
  api.heap().set(key, io + 64);
  api.heap().set(data, io + 64 + key.byteLength);
  assert.equal(raw.iacsec_hmac_sha1(io, io + 64, key.byteLength, io + 64 + key.byteLength, data.byteLength), 0);
  return toHex(api.heap().slice(io, io + 20));
}
const ascii = (s) => new TextEncoder().encode(s);

test('SHA-1: FIPS 180-4 examples, and every length 0..1100 against node:crypto', () => {
  assert.equal(sha1(ascii('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha1(new Uint8Array(0)), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');
  assert.equal(sha1(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '84983e441c3bd26ebaae4aa1f95129e5e54670f1');
  const rnd = seeded(7);
  for (let n = 0; n <= 1100; n++) {
    const m = rnd.bytes(n);
    assert.equal(sha1(m), createHash('sha1').update(m).digest('hex'), `length ${n}`);
  }
  const big = rnd.bytes(60_000);
  assert.equal(sha1(big), createHash('sha1').update(big).digest('hex'));
});

test('HMAC-SHA1: the seven RFC 2202 section 3 cases, and random keys and messages against node:crypto', () => {
  const cases = [
    ['0b'.repeat(20), ascii('Hi There'), 'b617318655057264e28bc0b6fb378c8ef146be00'],
    [toHex(ascii('Jefe')), ascii('what do ya want for nothing?'), 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    ['aa'.repeat(20), hex('dd'.repeat(50)), '125d7342b9ac11cd91a39af48aa17b4f63f175d3'],
    ['0102030405060708090a0b0c0d0e0f10111213141516171819', hex('cd'.repeat(50)), '4c9007f4026250c6bc8414f9bf50c86c2d7235da'],
    ['0c'.repeat(20), ascii('Test With Truncation'), '4c1a03424b55e07fe7f27be1d58bb9324a9a5a04'],
    ['aa'.repeat(80), ascii('Test Using Larger Than Block-Size Key - Hash Key First'), 'aa4ae5e15272d00e95705637ce8a3b55ed402112'],
    ['aa'.repeat(80), ascii('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'), 'e8e99d0f45237d786d6bbaa7965c7808bbff1a91'],
  ];
  for (const [k, m, want] of cases) assert.equal(hmacSha1(hex(k), m), want);
  const rnd = seeded(11);
  for (let i = 0; i < 400; i++) {
    const k = rnd.bytes(rnd.below(150)), m = rnd.bytes(rnd.below(300));
    assert.equal(hmacSha1(k, m), createHmac('sha1', k).update(m).digest('hex'));
  }
});

test('TOTP: the RFC 6238 appendix B table, with the 20-, 32- and 64-byte seeds', () => {
  const a = auth(api);
  const seeds = {
    SHA1: ascii('12345678901234567890'),
    SHA256: ascii('12345678901234567890123456789012'),
    SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const table = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [t, s1, s256, s512] of table) {
    assert.equal(a.totpCode(seeds.SHA1, { algorithm: 'SHA1', digits: 8, time: t }), s1, `SHA1 ${t}`);
    assert.equal(a.totpCode(seeds.SHA256, { algorithm: 'SHA256', digits: 8, time: t }), s256, `SHA256 ${t}`);
    assert.equal(a.totpCode(seeds.SHA512, { algorithm: 'SHA512', digits: 8, time: t }), s512, `SHA512 ${t}`);
  }
  // RFC 4226 appendix D: HOTP is TOTP with period 1 and T = counter.
  const hotp = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  hotp.forEach((want, c) => assert.equal(a.totpCode(seeds.SHA1, { digits: 6, period: 1, time: c }), want));
});

test('random secrets agree with the otpauth package (test reference), every algorithm, 6..8 digits, 64-bit times', () => {
  const a = auth(api);
  const rnd = seeded(99);
  for (let i = 0; i < 600; i++) {
    const algorithm = ['SHA1', 'SHA256', 'SHA512'][i % 3];
    const digits = 6 + (i % 3);
    const period = [30, 60, 15][rnd.below(3)];
    const secret = new Uint8Array(randomBytes(16 + rnd.below(49)));
    const time = i % 10 === 0 ? 2 ** 40 + rnd.next() : rnd.next() * 4;
    const ref = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ buffer: secret.buffer }), algorithm, digits, period });
    assert.equal(a.totpCode(secret, { algorithm, digits, period, time }), ref.generate({ timestamp: time * 1000 }), `case ${i}`);
  }
});

test('bad arguments to the generator: a status, never a trap', () => {
  api.heap().set(ascii('12345678901234567890'), io + 64);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 20, 4, 6, 30, 0n), -10);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 20, 1, 5, 30, 0n), -1);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 20, 1, 6, 0, 0n), -1);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 0, 1, 6, 30, 0n), -2);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 20, 1, 6, 30, -(2n ** 63n)), 0);
  assert.equal(raw.iacsec_totp_generate(io, io + 64, 20, 1, 6, 1, 2n ** 63n - 1n), 0);
});

function totpFor(enrolment) {
  const uri = OTPAuth.URI.parse(enrolment.uri);
  assert.ok(uri instanceof OTPAuth.TOTP);
  assert.deepEqual(new Uint8Array(uri.secret.buffer), enrolment.secret);
  return uri;
}

test('enrolment gives an otpauth:// URI; login then needs the code; each code is accepted once; ±1 step window', async () => {
  const { a, admin, clock, tick, take } = await setup();
  const e = a.enrollTotp(admin, { account: ADMIN, issuer: 'Acme Gateway' });
  assert.match(e.uri, /^otpauth:\/\/totp\/Acme%20Gateway:admin\?secret=[A-Z2-7]+&issuer=Acme\+Gateway&algorithm=SHA1&digits=6&period=30$/);
  assert.deepEqual(base32Decode(e.secretBase32), e.secret);
  assert.equal(e.secret.byteLength, 20);
  assert.equal(e.recoveryCodes.length, 10);
  const totp = totpFor(e);
  const code = (dt = 0) => totp.generate({ timestamp: clock.now + dt });
  // Pending until confirmed: login still works without a code.
  assert.equal(status(() => a.login({ user: ADMIN, password: ADMIN_PW, source: 's', iface: 0 })), 'OK');
  assert.equal(status(() => a.confirmTotp(admin, '000000' === code() ? '111111' : '000000')), 'ERR_AUTH');
  a.confirmTotp(admin, code());
  tick(30_000);
  take();
  const login = (totpCode) => status(() => a.login({ user: ADMIN, password: ADMIN_PW, totp: totpCode, source: 's', iface: 0 }));
  assert.equal(login(undefined), 'ERR_MFA_REQUIRED');
  assert.deepEqual(take().map((ev) => ev.type), ['MFA_REQUIRED']);
  assert.equal(login('123'), 'ERR_AUTH');
  assert.equal(login(code()), 'OK');
  assert.equal(login(code()), 'ERR_AUTH', 'the same code again is refused');
  assert.ok(take().some((ev) => ev.type === 'TOTP_REPLAYED'));
  tick(30_000);
  assert.equal(login(code(-60_000)), 'ERR_AUTH', 'two steps back: outside the window');
  assert.equal(login(code(30_000)), 'OK', 'one step ahead: inside the window');
  assert.equal(login(code()), 'ERR_AUTH', 'an earlier step than the last accepted one is refused');
  tick(90_000);
  assert.equal(login(code(-30_000)), 'OK', 'one step back, later than the last accepted');
  const info = a.userInfo(a.login({ user: ADMIN, password: ADMIN_PW, totp: code(30_000), source: 's', iface: 0 }).session, ADMIN);
  assert.deepEqual(info.totp, { digits: 6, algorithm: 'SHA1', recoveryCodesLeft: 10 });
});

test('recovery codes: each accepted once, in place of the TOTP code', async () => {
  const { a, admin, take } = await setup();
  const e = a.enrollTotp(admin, { account: ADMIN, algorithm: 'SHA256', digits: 8 });
  assert.equal(e.secret.byteLength, 32);
  const totp = totpFor(e);
  a.confirmTotp(admin, totp.generate({ timestamp: Date.UTC(2026, 11, 3, 9, 0, 0) }));
  take();
  const login = (c) => status(() => a.login({ user: ADMIN, password: ADMIN_PW, totp: c, source: 's', iface: 0 }));
  assert.equal(login(e.recoveryCodes[3]), 'OK');
  assert.deepEqual(take().filter((ev) => ev.type === 'RECOVERY_CODE_USED').map((ev) => ev.b), [3n]);
  assert.equal(login(e.recoveryCodes[3]), 'ERR_AUTH', 'used up');
  assert.equal(login('9999999999'), 'ERR_AUTH');
  assert.equal(login(e.recoveryCodes[9]), 'OK');
  const s = a.login({ user: ADMIN, password: ADMIN_PW, totp: e.recoveryCodes[0], source: 's', iface: 0 }).session;
  assert.equal(a.userInfo(s, ADMIN).totp.recoveryCodesLeft, 7);
});

test('a second factor required per role and per profile (CR 1.1 RE2); an administrator enrols, the first code confirms', async () => {
  const { a, admin, addUser, clock, take } = await setup();
  addUser('hux', 'turbine hall north 7', 2);
  a.setRole(admin, 2, { name: 'operator', permissions: ['PROCESS_READ', 'PROCESS_OPERATE', 'CONFIG_READ'], mfaRequired: true });
  const login = (c) => status(() => a.login({ user: 'hux', password: 'turbine hall north 7', totp: c, source: 's', iface: 1 }));
  assert.equal(login(undefined), 'ERR_MFA_REQUIRED', 'required by the role, not enrolled yet');
  const e = a.enrollTotp(admin, { user: 'hux', algorithm: 'SHA512', digits: 7 });
  assert.match(e.uri, /iacsec:hux\?/);
  const totp = totpFor(e);
  take();
  assert.equal(login(totp.generate({ timestamp: clock.now })), 'OK', 'the first code confirms the enrolment');
  assert.deepEqual(take().map((ev) => ev.type), ['TOTP_CONFIRMED', 'LOGIN_OK']);
  // Per profile: every account, the administrator included.
  a.setProfile(admin, { flags: 1 });
  assert.equal(status(() => a.login({ user: ADMIN, password: ADMIN_PW, source: 's', iface: 0 })), 'ERR_MFA_REQUIRED');
  // Only a security administrator enrols another account.
  const hal = a.login({ user: 'hux', password: 'turbine hall north 7', totp: totp.generate({ timestamp: clock.now + 30_000 }), source: 's', iface: 1 }).session;
  assert.equal(status(() => a.enrollTotp(hal, { user: ADMIN })), 'ERR_DENIED');
  assert.equal(status(() => a.enrollTotp(admin, { user: 'hux', digits: 9 })), 'ERR_INVALID');
});
