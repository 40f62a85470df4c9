// SHA-256 and SHA-512 (64 B, 1 KiB, 1 MiB) and HMAC-SHA256 (64 B): the
// module through the host API against node:crypto (OpenSSL, the native
// limit), hash-wasm (C compiled to WebAssembly), @noble/hashes (JavaScript)
// and libsodium-wrappers (its SHA-512), in one run, interleaved.
import crypto from 'node:crypto';
import { createSHA256, createSHA512, createHMAC } from 'hash-wasm';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import sodium from 'libsodium-wrappers';
import { seeded } from './_data.js';

const SIZES = [['64 B', 64], ['1 KiB', 1024], ['1 MiB', 1 << 20]];

function hashCase(alg, label, size) {
  const bits = alg === 'sha256' ? 256 : 512;
  const id = `${alg}-${label.replace(' ', '').toLowerCase()}`;
  const goals = [];
  if (size === 1 << 20) {
    goals.push({ text: `SHA-${bits} 1 MiB: iacsec vs hash-wasm`, a: 'iacsec', b: 'hash-wasm', atLeast: 1.0 });
    if (alg === 'sha256') goals.push({ text: 'SHA-256 1 MiB: iacsec vs hash-wasm (raised goal)', a: 'iacsec', b: 'hash-wasm', atLeast: 1.2 });
  }
  return {
    id,
    title: `SHA-${bits}, ${label}`,
    needs: [`iacsec_${alg}`, `iacsec_${alg}_init`],
    bytes: size,
    reference: 'hash-wasm',
    goals,
    async setup({ api }) {
      await sodium.ready;
      const data = seeded(size).bytes(size);
      const ours = alg === 'sha256' ? (d) => api.sha256(d) : (d) => api.sha512(d);
      const hw = alg === 'sha256' ? await createSHA256() : await createSHA512();
      const noble = alg === 'sha256' ? nobleSha256 : nobleSha512;
      const expect = crypto.createHash(alg).update(data).digest();
      const contenders = [
        { name: 'iacsec', fn: () => ours(data) },
        { name: 'node:crypto', fn: () => crypto.createHash(alg).update(data).digest() },
        { name: 'hash-wasm', fn: () => { hw.init(); hw.update(data); return hw.digest('binary'); } },
        { name: '@noble/hashes', fn: () => noble(data) },
      ];
      if (alg === 'sha512') contenders.push({ name: 'libsodium-wrappers', fn: () => sodium.crypto_hash(data) });
      if (size > api.ioBytes) {
        // The module's own speed, data already in the I/O area (what a C caller pays without copies).
        const raw = api.raw, io = api.ioPtr, chunk = api.ioBytes;
        const [init, update, final] = [raw[`iacsec_${alg}_init`], raw[`iacsec_${alg}_update`], raw[`iacsec_${alg}_final`]];
        contenders.push({
          name: 'iacsec (in I/O area)',
          fn: () => {
            const h = init();
            for (let off = 0; off < size; off += chunk) update(h, io, chunk);
            final(h, io);
          },
        });
      }
      return { contenders, expect, fixture: { kind: alg, param: 0, inputs: [data], expect } };
    },
  };
}

const hmacCase = {
  id: 'hmac-sha256-64b',
  title: 'HMAC-SHA256, 32-byte key, 64 B message',
  needs: ['iacsec_hmac_sha256'],
  bytes: 64,
  reference: 'hash-wasm',
  goals: [{ text: 'HMAC-SHA256 64 B: iacsec vs hash-wasm', a: 'iacsec', b: 'hash-wasm', atLeast: 1.0 }],
  async setup({ api }) {
    const rnd = seeded(77);
    const key = rnd.bytes(32), msg = rnd.bytes(64);
    const hw = await createHMAC(createSHA256(), key);
    const expect = crypto.createHmac('sha256', key).update(msg).digest();
    return {
      contenders: [
        { name: 'iacsec', fn: () => api.hmacSha256(key, msg) },
        { name: 'node:crypto', fn: () => crypto.createHmac('sha256', key).update(msg).digest() },
        { name: 'hash-wasm', fn: () => { hw.init(); hw.update(msg); return hw.digest('binary'); } },
        { name: '@noble/hashes', fn: () => nobleHmac(nobleSha256, key, msg) },
      ],
      expect,
      fixture: { kind: 'hmac_sha256', param: 0, inputs: [key, msg], expect },
    };
  },
};

export const area = 'hash';
export const cases = [
  ...SIZES.map(([label, size]) => hashCase('sha256', label, size)),
  ...SIZES.map(([label, size]) => hashCase('sha512', label, size)),
  hmacCase,
];
