// SHA-256, SHA-512, HMAC-SHA256 and PBKDF2-HMAC-SHA256: the module against
// node:crypto (native OpenSSL), hash-wasm (C compiled to WebAssembly) and
// @noble/hashes (JavaScript), in one run, interleaved.
import crypto from 'node:crypto';
import { createSHA256, createSHA512, createHMAC, pbkdf2 as hwPbkdf2 } from 'hash-wasm';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { measure, report, ratio, goal } from './_harness.js';

export async function benchHash(api, opts) {
  const goals = [];
  const mib = crypto.randomBytes(1 << 20);
  const hw256 = await createSHA256();
  const hw512 = await createSHA512();
  const hwDigest = (h, data) => { h.init(); h.update(data); return h.digest('binary'); };

  // The module's raw throughput: data already in the I/O area, 64 KiB per update.
  const raw = api.raw;
  const io = api.ioPtr;
  api.heap().set(mib.subarray(0, api.ioBytes), io);
  const rawDigest = (init, update, final) => () => {
    const h = init();
    for (let i = 0; i < 16; i++) update(h, io, api.ioBytes);
    final(h, io);
  };

  for (const [name, ours, hw, node, noble, rawFn] of [
    ['SHA-256, 1 MiB', (d) => api.sha256(d), hw256, 'sha256', nobleSha256, rawDigest(raw.iacsec_sha256_init, raw.iacsec_sha256_update, raw.iacsec_sha256_final)],
    ['SHA-512, 1 MiB', (d) => api.sha512(d), hw512, 'sha512', nobleSha512, rawDigest(raw.iacsec_sha512_init, raw.iacsec_sha512_update, raw.iacsec_sha512_final)],
  ]) {
    const results = await measure([
      { name: 'iacsec', fn: () => ours(mib) },
      { name: 'iacsec (in I/O area)', fn: rawFn },
      { name: 'hash-wasm', fn: () => hwDigest(hw, mib) },
      { name: 'node:crypto', fn: () => crypto.createHash(node).update(mib).digest() },
      { name: '@noble/hashes', fn: () => noble(mib) },
    ], opts);
    report(name, results, { reference: 'hash-wasm', bytes: mib.length });
    goals.push(goal(`${name}: iacsec vs hash-wasm`, ratio(results, 'iacsec', 'hash-wasm'), 1.0));
  }

  const key = crypto.randomBytes(32);
  const msg64 = crypto.randomBytes(64);
  const hwHmac = await createHMAC(createSHA256(), key);
  const hmacResults = await measure([
    { name: 'iacsec', fn: () => api.hmacSha256(key, msg64) },
    { name: 'hash-wasm', fn: () => { hwHmac.init(); hwHmac.update(msg64); return hwHmac.digest('binary'); } },
    { name: 'node:crypto', fn: () => crypto.createHmac('sha256', key).update(msg64).digest() },
    { name: '@noble/hashes', fn: () => nobleHmac(nobleSha256, key, msg64) },
  ], opts);
  report('HMAC-SHA256, 32-byte key, 64-byte message', hmacResults, { reference: 'hash-wasm' });
  goals.push(goal('HMAC-SHA256 64 B: iacsec vs hash-wasm', ratio(hmacResults, 'iacsec', 'hash-wasm'), 1.0));

  const password = new TextEncoder().encode('correct horse battery staple');
  const salt = crypto.randomBytes(16);
  const ITER = 10_000;
  const pbkdf2Results = await measure([
    { name: 'iacsec', fn: () => api.pbkdf2Sha256(password, salt, ITER, 32) },
    { name: 'node:crypto', fn: () => crypto.pbkdf2Sync(password, salt, ITER, 32, 'sha256') },
    { name: 'hash-wasm', async: true, fn: () => hwPbkdf2({ password, salt, iterations: ITER, hashLength: 32, hashFunction: createSHA256(), outputType: 'binary' }) },
    { name: '@noble/hashes', fn: () => noblePbkdf2(nobleSha256, password, salt, { c: ITER, dkLen: 32 }) },
  ], { ...opts, batchMs: Math.max(opts?.batchMs ?? 150, 200) });
  report(`PBKDF2-HMAC-SHA256, ${ITER} iterations, 32 bytes`, pbkdf2Results, { reference: 'node:crypto' });
  // "within 2x of node:crypto's time" = at least 0.5x its speed.
  goals.push(goal('PBKDF2 10k: iacsec speed vs node:crypto (0.5x = within 2x of its time)', ratio(pbkdf2Results, 'iacsec', 'node:crypto'), 0.5));

  return goals;
}
