// The firmware subcommands of the CLI, each run as its own process:
// keygen, sign, verify (accept and every rejection, exit codes), install and
// the counter kept across processes, corrupted state, verify-boot, trust
// statements, usage errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { decodeCoseSign1, sigStructure, parsePublicKey, decodeManifestPayload } from '../../dist/host/index.js';
import { ROOT, toHex, seeded } from './_helpers.js';

const CLI = `${ROOT}dist/host/cli.js`;
const TMP = mkdtempSync(join(tmpdir(), 'iacsec-fwcli-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const at = (name) => join(TMP, name);

const VENDOR = '00112233-4455-6677-8899-aabbccddeeff';
const CLASS = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const OTHER = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

function run(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(...args) {
  const r = run(...args);
  assert.equal(r.code, 0, `${args.join(' ')}\n${r.out}\n${r.err}`);
  return r;
}

function rejected(r, status, reason) {
  assert.equal(r.code, 1, `${r.out}\n${r.err}`);
  assert.match(r.out, new RegExp(`REJECTED: .*\\(${status}\\)`), r.out + r.err);
  if (reason) assert.match(r.out, reason);
}

function sign(key, image, out, { version = '1.0', counter = 1, vendor = VENDOR, cls = CLASS, component, digest } = {}) {
  const args = ['sign', '--key', key, '--image', image, '--version', version, '--counter', String(counter), '--vendor', vendor, '--class', cls, '-o', out];
  if (component) args.push('--component', component);
  if (digest) args.push('--digest', digest);
  return ok(...args);
}

writeFileSync(at('fw.bin'), seeded(1).bytes(300_000));
writeFileSync(at('cfg.bin'), seeded(2).bytes(777));
ok('keygen', '--alg', 'ed25519', '-o', at('sup'));
ok('keygen', '--alg', 'p256', '-o', at('supp'));

test('keygen writes the key files with the documented formats and modes', () => {
  for (const [name, alg, kty] of [['sup', 'ed25519', 'OKP'], ['supp', 'p256', 'EC']]) {
    assert.equal(statSync(at(`${name}.key`)).mode & 0o777, 0o600);
    const jwk = JSON.parse(readFileSync(at(`${name}.key`), 'utf8'));
    assert.equal(jwk.kty, kty);
    assert.ok(jwk.d && jwk.x && jwk.kid);
    const pem = readFileSync(at(`${name}.pub.pem`), 'utf8');
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
    const fromPem = parsePublicKey(readFileSync(at(`${name}.pub.pem`)));
    const fromCose = parsePublicKey(readFileSync(at(`${name}.cose_key`)));
    assert.equal(fromPem.alg, alg);
    assert.equal(toHex(fromPem.publicKey), toHex(fromCose.publicKey));
    assert.equal(toHex(fromCose.kid), jwk.kid);
    assert.equal(jwk.kid, toHex(crypto.createHash('sha256').update(fromCose.publicKey).digest().subarray(0, 8)));
  }
  const again = run('keygen', '--alg', 'ed25519', '-o', at('sup'));
  assert.equal(again.code, 1, 'an existing private key is not overwritten');
  assert.match(again.err, /EEXIST/);
  const bad = run('keygen', '--alg', 'rsa', '-o', at('x'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--alg must be ed25519 or p256/);
});

test('sign -> verify: both algorithms, both digests, anchors as .cose_key and .pub.pem; the bytes are standard COSE', () => {
  for (const [key, alg] of [['sup', 'ed25519'], ['supp', 'p256']]) {
    for (const digest of ['sha256', 'sha512']) {
      const m = at(`fw-${key}-${digest}.cose`);
      sign(at(`${key}.key`), at('fw.bin'), m, { version: '2.4.1', counter: 5, component: 'gateway-fw', digest });
      for (const anchor of [at(`${key}.cose_key`), at(`${key}.pub.pem`)]) {
        const r = ok('verify', '--anchor', anchor, '--manifest', m, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS);
        assert.match(r.out, /^ACCEPTED: gateway-fw 2\.4\.1 \(security counter 5, 300000 bytes, sha(256|512)\)/m);
        assert.ok(!r.out.includes('note:'));
      }
      const d = ok('verify', '--anchor', at(`${key}.cose_key`), '--manifest', m, '--image', at('fw.bin'));
      assert.match(d.out, /vendor and class taken from the manifest itself, so not checked/);
      assert.match(d.out, /ACCEPTED/);

      // Interop: @noble/curves verifies the signature over the Sig_structure directly.
      const c = decodeCoseSign1(readFileSync(m));
      const pub = parsePublicKey(readFileSync(at(`${key}.cose_key`)));
      const ss = sigStructure(c.protectedBytes, c.payload);
      assert.ok(alg === 'ed25519' ? ed25519.verify(c.signature, ss, pub.publicKey) : p256.verify(c.signature, ss, pub.publicKey, { prehash: true, lowS: false }));
      const f = decodeManifestPayload(c.payload);
      assert.equal(toHex(f.digest), crypto.createHash(digest).update(readFileSync(at('fw.bin'))).digest('hex'));
    }
  }
});

test('verify: each rejection has its reason, status name and exit code 1', () => {
  const m = at('rej.cose');
  sign(at('sup.key'), at('fw.bin'), m, { counter: 3, component: 'gateway-fw' });
  const v = (...extra) => run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS, ...extra);
  assert.equal(v().code, 0);

  const img = readFileSync(at('fw.bin'));
  const tampered = Buffer.from(img); tampered[1000] ^= 4;
  writeFileSync(at('tampered.bin'), tampered);
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('tampered.bin')), 'ERR_DIGEST', /digest/);
  writeFileSync(at('short.bin'), img.subarray(0, img.length - 1));
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('short.bin')), 'ERR_SIZE', /shorter/);
  writeFileSync(at('long.bin'), Buffer.concat([img, Buffer.from([0])]));
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('long.bin')), 'ERR_SIZE', /longer/);

  const mb = Buffer.from(readFileSync(m));
  mb[mb.indexOf(Buffer.from('gateway-fw'))] ^= 1;
  writeFileSync(at('tampered.cose'), mb);
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('tampered.cose'), '--image', at('fw.bin')), 'ERR_INVALID', /signature/);

  rejected(run('verify', '--anchor', at('supp.cose_key'), '--manifest', m, '--image', at('fw.bin')), 'ERR_UNKNOWN_KEY', /key id/);
  rejected(v('--vendor', OTHER), 'ERR_WRONG_VENDOR', /vendor/);
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', OTHER), 'ERR_WRONG_CLASS', /class/);
  writeFileSync(at('garbage.cose'), Buffer.from('not cbor at all'));
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('garbage.cose'), '--image', at('fw.bin')), 'ERR_MALFORMED');
});

test('verify: usage errors exit 2', () => {
  const r = run('verify', '--manifest', at('rej.cose'), '--image', at('fw.bin'));
  assert.equal(r.code, 2);
  assert.match(r.err, /--anchor \(or --state\) is required/);
  assert.equal(run('verify', '--anchor', at('sup.cose_key'), '--image', at('fw.bin')).code, 2);
  assert.equal(run('verify', '--bogus').code, 2);
  assert.equal(run('sign', '--key', at('sup.key')).code, 2);
  assert.equal(run('sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--version', '1', '--counter', '-1', '--vendor', VENDOR, '--class', CLASS, '-o', at('x')).code, 2);
  assert.equal(run('verify', '--state', at('nowhere'), '--anchor', at('sup.cose_key'), '--manifest', at('rej.cose'), '--image', at('fw.bin')).code, 2);
});

test('provision, install v2 (counter 5), then counter 4 is a rollback in a new process; state kept in DIR', () => {
  const dir = at('dev1');
  const p = ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'), '--anchor', at('supp.pub.pem'));
  assert.match(p.out, /provisioning closed/);
  assert.equal(statSync(join(dir, 'seal.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'state.bin')).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const again = run('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  assert.equal(again.code, 1);
  assert.match(again.err, /already provisioned/);

  const an = ok('anchors', '--state', dir).out.trim().split('\n');
  assert.equal(an.length, 2);
  assert.match(an[0], /^supplier ed25519/);
  assert.match(an[1], /^supplier p256/);

  sign(at('sup.key'), at('fw.bin'), at('v2.cose'), { version: '2', counter: 5, component: 'gateway-fw' });
  sign(at('supp.key'), at('fw.bin'), at('v1.cose'), { version: '1', counter: 4, component: 'gateway-fw', digest: 'sha512' });
  // Before install, counter 4 is fine.
  assert.equal(run('verify', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')).code, 0);
  const inst = ok('install', '--state', dir, '--manifest', at('v2.cose'), '--image', at('fw.bin'));
  assert.match(inst.out, /ACCEPTED: gateway-fw 2 \(security counter 5/);
  assert.match(inst.out, /stored security counter of 'gateway-fw' is now 5; state saved/);
  assert.equal(ok('counter', '--state', dir, '--component', 'gateway-fw').out.trim(), 'gateway-fw 5');
  rejected(run('verify', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')), 'ERR_ROLLBACK', /rollback/);
  rejected(run('install', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')), 'ERR_ROLLBACK');
  assert.equal(ok('counter', '--state', dir, '--component', 'gateway-fw').out.trim(), 'gateway-fw 5');
  // The same manifest again is fine (counter equal, not lower).
  ok('install', '--state', dir, '--manifest', at('v2.cose'), '--image', at('fw.bin'));
});

test('a corrupted state file or a changed sealing key is a clear error, and the file is left alone', () => {
  const dir = at('dev2');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  sign(at('sup.key'), at('fw.bin'), at('d2.cose'), { counter: 1 });
  const blob = readFileSync(join(dir, 'state.bin'));
  const bad = Buffer.from(blob); bad[bad.length - 3] ^= 0x10;
  writeFileSync(join(dir, 'state.bin'), bad);
  for (const args of [['install', '--manifest', at('d2.cose'), '--image', at('fw.bin')], ['verify', '--manifest', at('d2.cose'), '--image', at('fw.bin')], ['anchors']]) {
    const r = run(args[0], '--state', dir, ...args.slice(1));
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.err, /state\.bin: refused by the module: .*seal does not verify.*\(ERR_INVALID\)/);
    assert.ok(!r.out.includes('ACCEPTED'));
  }
  assert.deepEqual(readFileSync(join(dir, 'state.bin')), bad, 'never replaced');
  writeFileSync(join(dir, 'state.bin'), blob);
  ok('anchors', '--state', dir);
  writeFileSync(join(dir, 'seal.key'), crypto.randomBytes(32), { mode: 0o600 });
  const r = run('anchors', '--state', dir);
  assert.equal(r.code, 1);
  assert.match(r.err, /ERR_INVALID/);
  const none = run('install', '--state', at('nothing-here'), '--manifest', at('d2.cose'), '--image', at('fw.bin'));
  assert.equal(none.code, 1);
  assert.match(none.err, /no state here/);
  assert.equal(existsSync(at('nothing-here')), false);
});

test('verify-boot: one good and one tampered blob; exit 1 naming the failed one', () => {
  const dir = at('dev3');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('supp.cose_key'));
  sign(at('supp.key'), at('fw.bin'), at('b-fw.cose'), { counter: 2, component: 'gateway-fw' });
  sign(at('supp.key'), at('cfg.bin'), at('b-cfg.cose'), { counter: 1, component: 'config', digest: 'sha512' });
  ok('install', '--state', dir, '--manifest', at('b-fw.cose'), '--image', at('fw.bin'));
  ok('install', '--state', dir, '--manifest', at('b-cfg.cose'), '--image', at('cfg.bin'));
  const good = ok('verify-boot', '--state', dir, '--image', at('fw.bin'), '--manifest', at('b-fw.cose'), '--config', at('cfg.bin'), '--config-manifest', at('b-cfg.cose'));
  assert.match(good.out, /PASSED  image .*fw\.bin: gateway-fw/);
  assert.match(good.out, /PASSED  config .*cfg\.bin: config/);
  assert.match(good.out, /boot check passed \(2 checked\)/);

  const cfg = readFileSync(at('cfg.bin')); cfg[10] ^= 1;
  writeFileSync(at('cfg-bad.bin'), cfg);
  const r = run('verify-boot', '--state', dir, '--image', at('fw.bin'), '--manifest', at('b-fw.cose'), '--config', at('cfg-bad.bin'), '--config-manifest', at('b-cfg.cose'));
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /PASSED  image .*fw\.bin/);
  assert.match(r.out, /FAILED  config .*cfg-bad\.bin: .*digest.*\(ERR_DIGEST\)/);
  assert.match(r.out, /boot check FAILED: 1 of 2/);
  const missing = run('verify-boot', '--state', dir, '--image', at('fw.bin'));
  assert.equal(missing.code, 2);
});

test('trust statements through the CLI: add an owner anchor, use it, revoke it', () => {
  const dir = at('dev4');
  ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  ok('keygen', '--alg', 'p256', '-o', at('owner'));
  sign(at('owner.key'), at('cfg.bin'), at('o-cfg.cose'), { counter: 1, component: 'config' });
  rejected(run('install', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin')), 'ERR_UNKNOWN_KEY');

  ok('trust-statement', '--key', at('sup.key'), '--op', 'add-owner', '--pub', at('owner.cose_key'), '--vendor', VENDOR, '--class', CLASS, '-o', at('add.cose'));
  const ap = ok('apply-statement', '--state', dir, '--statement', at('add.cose'));
  assert.match(ap.out, /^owner\s+p256/m);
  ok('install', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin'));

  const kid = JSON.parse(readFileSync(at('owner.key'), 'utf8')).kid;
  ok('trust-statement', '--key', at('owner.key'), '--op', 'revoke', '--kid', kid, '--vendor', VENDOR, '--class', CLASS, '-o', at('self.cose'));
  rejected(run('apply-statement', '--state', dir, '--statement', at('self.cose')), 'ERR_UNAUTHORIZED');
  ok('trust-statement', '--key', at('sup.key'), '--op', 'revoke', '--kid', kid, '--vendor', VENDOR, '--class', CLASS, '-o', at('rev.cose'));
  ok('apply-statement', '--state', dir, '--statement', at('rev.cose'));
  assert.match(ok('anchors', '--state', dir).out, new RegExp(`owner\\s+p256\\s+kid ${kid}\\s+REVOKED`));
  rejected(run('verify', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin')), 'ERR_REVOKED', /revoked/);
  assert.equal(run('trust-statement', '--key', at('sup.key'), '--op', 'revoke', '--vendor', VENDOR, '--class', CLASS, '-o', at('x.cose')).code, 2);
});
