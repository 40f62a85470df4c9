// Access control: the login decision without its key derivation, the full
// login at the default 600,000 PBKDF2 iterations (beside node:crypto's
// PBKDF2 alone), a TOTP value (beside otpauth and node:crypto), the
// rate-limit decision with 10,000 active sources, and session authorize.
//
// The login decision cannot be timed apart from its derivation: every login,
// also of an unknown name, derives once (CR 1.10). So the case times a login
// (and its logout) at the profile's lowest count, 1,000 iterations, and the
// module's PBKDF2 of the same password at that count, in the same rounds; its
// goal takes the difference of their medians: the decision, logout included.
import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import { loadModule, auth, ratelimit, abi } from '../../dist/host/index.js';
import { LOGIN_ITERATIONS } from './kdf.js';
import { seeded, text } from './_data.js';

const USER = 'operator-1';
const PASSWORD = 'turbine hall north seven';
const SOURCE = '192.0.2.10';
/** 2026-12-03 09:00 UTC: the clock every case runs at (sessions and TOTP are deterministic). */
const NOW = Date.UTC(2026, 11, 3, 9, 0, 0);
const LOWEST_ITERATIONS = 1000;
const ACTIVE_SOURCES = 10_000;

/** The 80-byte security profile record (bindings/abi.ts PROFILE_FIELDS) of a module, with changes. */
function profileBytes(a, changes) {
  const p = { ...a.profile(), ...changes };
  const b = new Uint8Array(abi.SIZES.PROFILE_BYTES);
  const dv = new DataView(b.buffer);
  for (const [k, off] of Object.entries(abi.PROFILE_FIELDS)) dv.setUint32(off, p[k] >>> 0, true);
  return b;
}

/** A fresh module with one account whose password is hashed at `iterations`. */
async function loginModule(modulePath, iterations) {
  const api = await loadModule({ path: modulePath });
  const a = auth(api, { clock: () => NOW });
  const changes = { iterations, minLifetime: 0, sessionsPerUser: 8 };
  const profile = profileBytes(a, changes);
  a.setProfile('', changes);
  a.provision({ user: USER, password: PASSWORD });
  return { api, a, profile };
}

/** The raw login of the host's hot path: inputs placed in the I/O area once, one call per login; logout and event drain untimed. */
function rawLogin(api) {
  const raw = api.raw;
  const heap = api.heap();
  const io = api.ioPtr;
  const out = io, user = io + 16, pw = io + 64, src = io + 192, ev = io + 256;
  const u = text(USER), p = text(PASSWORD), s = text(SOURCE);
  heap.set(u, user); heap.set(p, pw); heap.set(s, src);
  const now = BigInt(NOW);
  return {
    login: () => raw.iacsec_auth_login(out, user, u.length, pw, p.length, pw, 0, src, s.length, 0, now),
    after: () => {
      raw.iacsec_auth_logout(out, now);
      while (raw.iacsec_event_next(ev) === 0) { /* drained */ }
    },
    pbkdf2: () => raw.iacsec_pbkdf2_sha256(ev + 128, 32, pw, p.length, ev + 256, 16, LOWEST_ITERATIONS),
  };
}

const loginDecision = {
  id: 'login-decision',
  title: 'Login and logout at 1,000 iterations (the lowest count), beside PBKDF2 at 1,000: the decision is the difference',
  needs: ['iacsec_auth_login', 'iacsec_pbkdf2_sha256'],
  reference: 'iacsec',
  goals: [{ text: 'login decision excluding the key derivation (p50 of login and logout minus p50 of PBKDF2) under 1 us', p50DiffOf: ['iacsec', 'iacsec PBKDF2 alone'], below: 1 }],
  async setup({ modulePath }) {
    const { api, profile } = await loginModule(modulePath, LOWEST_ITERATIONS);
    const r = rawLogin(api);
    return {
      contenders: [
        { name: 'iacsec', fn: () => { const st = r.login(); r.after(); return st === 0; } },
        { name: 'iacsec PBKDF2 alone', fn: () => r.pbkdf2() === 0 },
      ],
      expect: true,
      fixture: { kind: 'login', param: LOWEST_ITERATIONS, inputs: [profile, text(USER), text(PASSWORD), text(SOURCE)], expect: new Uint8Array(0) },
    };
  },
};

const loginFull = {
  id: 'login-600k',
  title: `Login at the default ${LOGIN_ITERATIONS.toLocaleString('en')} PBKDF2 iterations, key derivation included (host API: login and logout)`,
  needs: ['iacsec_auth_login'],
  reference: 'node:crypto',
  timing: { rounds: 3, batchMs: 1, warmupMs: 0 },
  goals: [],
  async setup({ modulePath }) {
    const { a, profile } = await loginModule(modulePath, LOGIN_ITERATIONS);
    const salt = seeded(600).bytes(16);
    return {
      contenders: [
        { name: 'iacsec', fn: () => { a.logout(a.login({ user: USER, password: PASSWORD, source: SOURCE, iface: 0 }).session); return true; } },
        { name: 'node:crypto', fn: () => crypto.pbkdf2Sync(PASSWORD, salt, LOGIN_ITERATIONS, 32, 'sha256').length === 32 },
      ],
      expect: true,
      fixture: { kind: 'login', param: LOGIN_ITERATIONS, inputs: [profile, text(USER), text(PASSWORD), text(SOURCE)], expect: new Uint8Array(0) },
    };
  },
};

/** RFC 6238 with node:crypto (HMAC-SHA1, 6 digits, 30 s). */
function nodeTotp(key, unixSeconds) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const o = mac[19] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const totpCase = {
  id: 'totp-code',
  title: 'TOTP value, RFC 6238 (HMAC-SHA1, 6 digits, 20-byte secret): one of the up to three a code check computes',
  needs: ['iacsec_totp_generate'],
  reference: 'otpauth',
  goals: [],
  async setup({ api }) {
    const a = auth(api, { clock: () => NOW });
    const key = seeded(6238).bytes(20);
    const seconds = Math.floor(NOW / 1000);
    const code = nodeTotp(key, seconds);
    const otp = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ buffer: key.slice().buffer }), algorithm: 'SHA1', digits: 6, period: 30 });
    const asBytes = (s) => text(s);
    const t = new Uint8Array(4);
    new DataView(t.buffer).setUint32(0, Number(code), true);
    return {
      contenders: [
        { name: 'iacsec', fn: () => asBytes(a.totpCode(key, { time: seconds })) },
        { name: 'otpauth', fn: () => asBytes(otp.generate({ timestamp: NOW })) },
        { name: 'node:crypto', fn: () => asBytes(nodeTotp(key, seconds)) },
      ],
      expect: asBytes(code),
      fixture: { kind: 'totp', param: seconds, inputs: [key], expect: t },
    };
  },
};

/** 10,000 sources that the table holds at once (a source whose set is full is left out and replaced by another). */
function activeSources(rl) {
  const list = [];
  for (let i = 0; list.length < ACTIVE_SOURCES; i++) {
    const s = new Uint8Array(4);
    new DataView(s.buffer).setUint32(0, 0x0a000000 + i, false);
    if (rl.check(s)) list.push(s);
    if (i > 4 * ACTIVE_SOURCES) throw new Error('ratelimit-check: the table does not hold 10,000 sources');
  }
  return list;
}

const ratelimitCase = {
  id: 'ratelimit-check',
  title: 'Rate-limit decision (GCRA) from the host, 10,000 active sources in the table',
  needs: ['iacsec_ratelimit_check'],
  reference: 'iacsec',
  // p50 per call (the harness times each call, so calls per second also count two clock reads per call).
  goals: [{ text: 'rate-limit decision from the host: p50 at most 100 ns (10 million per second)', p50Of: 'iacsec', below: 0.1 }],
  async setup({ modulePath }) {
    const api = await loadModule({ path: modulePath });
    const rl = ratelimit(api, { clock: () => NOW });
    // Never limited in the run: the figure is the decision, not a refusal.
    rl.configure('', { sourceRate: 1_000_000, sourceBurst: 1_000_000, globalRate: 0, globalBurst: 0 });
    const sources = activeSources(rl);
    let i = 0;
    const blob = new Uint8Array(4 * sources.length);
    sources.forEach((s, k) => blob.set(s, 4 * k));
    return {
      contenders: [{ name: 'iacsec', fn: () => rl.check(sources[i++ % ACTIVE_SOURCES]) }],
      expect: true,
      fixture: { kind: 'ratelimit', param: ACTIVE_SOURCES, inputs: [blob], expect: new Uint8Array(0) },
    };
  },
};

const authorizeCase = {
  id: 'session-authorize',
  title: 'Session authorize (live session, permission held), host API',
  needs: ['iacsec_auth_authorize'],
  reference: 'iacsec',
  goals: [{ text: 'session authorize from the host: p50 under 200 ns', p50Of: 'iacsec', below: 0.2 }],
  async setup({ modulePath }) {
    const { a, profile } = await loginModule(modulePath, LOWEST_ITERATIONS);
    const { session } = a.login({ user: USER, password: PASSWORD, source: SOURCE, iface: 0 });
    return {
      contenders: [{ name: 'iacsec', fn: () => a.authorize(session, 'PROCESS_READ') }],
      expect: true,
      fixture: { kind: 'authorize', param: abi.PERMISSIONS.PROCESS_READ, inputs: [profile, text(USER), text(PASSWORD), text(SOURCE)], expect: new Uint8Array(0) },
    };
  },
};

export const area = 'access';
export const cases = [loginDecision, loginFull, totpCase, ratelimitCase, authorizeCase];
