// Key derivation: PBKDF2-HMAC-SHA256 at 10,000 iterations and at the login
// default (600,000, OWASP's 2023 figure for PBKDF2-HMAC-SHA256), and HKDF-SHA256,
// against node:crypto, hash-wasm and @noble/hashes in one run.
import crypto from 'node:crypto';
import { createSHA256, pbkdf2 as hwPbkdf2 } from 'hash-wasm';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { seeded, text } from './_data.js';

/** Iterations a login derives a password verifier with (the login part's default). */
export const LOGIN_ITERATIONS = 600_000;

function pbkdf2Case(iterations, { withNoble, timing }) {
  const k = iterations >= 1000 ? `${iterations / 1000}k` : String(iterations);
  const label = iterations === LOGIN_ITERATIONS ? `${iterations.toLocaleString('en')} iterations (login default)` : `${iterations.toLocaleString('en')} iterations`;
  return {
    id: `pbkdf2-${k}`,
    title: `PBKDF2-HMAC-SHA256, ${label}, 32 bytes`,
    needs: ['iacsec_pbkdf2_sha256'],
    reference: 'node:crypto',
    timing,
    goals: [
      // "within 2x of node:crypto's time" = at least 0.5x its speed; 1.6x = 0.625x.
      { text: `PBKDF2 ${k}: iacsec speed vs node:crypto (>= 0.5x: within 2x of its time)`, a: 'iacsec', b: 'node:crypto', atLeast: 0.5 },
      { text: `PBKDF2 ${k}: iacsec speed vs node:crypto (>= 0.625x: within 1.6x, raised goal)`, a: 'iacsec', b: 'node:crypto', atLeast: 0.625 },
    ],
    async setup({ api }) {
      const password = text('correct horse battery staple');
      const salt = seeded(16 + iterations).bytes(16);
      const expect = crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256');
      const contenders = [
        { name: 'iacsec', fn: () => api.pbkdf2Sha256(password, salt, iterations, 32) },
        { name: 'node:crypto', fn: () => crypto.pbkdf2Sync(password, salt, iterations, 32, 'sha256') },
        { name: 'hash-wasm', async: true, fn: () => hwPbkdf2({ password, salt, iterations, hashLength: 32, hashFunction: createSHA256(), outputType: 'binary' }) },
      ];
      if (withNoble) contenders.push({ name: '@noble/hashes', fn: () => noblePbkdf2(nobleSha256, password, salt, { c: iterations, dkLen: 32 }) });
      return { contenders, expect, fixture: { kind: 'pbkdf2_sha256', param: iterations, inputs: [password, salt], expect } };
    },
  };
}

const hkdfCase = {
  id: 'hkdf-sha256',
  title: 'HKDF-SHA256, 32-byte key, 16-byte salt and info, 32 bytes out',
  needs: ['iacsec_hkdf_sha256'],
  reference: 'node:crypto',
  goals: [],
  async setup({ api }) {
    const rnd = seeded(5869);
    const ikm = rnd.bytes(32), salt = rnd.bytes(16), info = rnd.bytes(16);
    const expect = new Uint8Array(crypto.hkdfSync('sha256', ikm, salt, info, 32));
    return {
      contenders: [
        { name: 'iacsec', fn: () => api.hkdfSha256(ikm, salt, info, 32) },
        { name: 'node:crypto', fn: () => new Uint8Array(crypto.hkdfSync('sha256', ikm, salt, info, 32)) },
        { name: '@noble/hashes', fn: () => nobleHkdf(nobleSha256, ikm, salt, info, 32) },
      ],
      expect,
      fixture: { kind: 'hkdf_sha256', param: 32, inputs: [ikm, salt, info], expect },
    };
  },
};

export const area = 'kdf';
export const cases = [
  pbkdf2Case(10_000, { withNoble: true }),
  // About a second a call: few rounds, one call a batch.
  pbkdf2Case(LOGIN_ITERATIONS, { withNoble: false, timing: { rounds: 3, batchMs: 1, warmupMs: 0 } }),
  hkdfCase,
];
