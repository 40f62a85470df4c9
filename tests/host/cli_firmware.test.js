// The firmware subcommands of the CLI, each run as its own process: keygen,
// sign, verify (accept and every rejection, exit codes, --json), install
// and verify-boot per slot, provisioning (and that a failed one leaves
// nothing behind), trust statements (grants, revocation, set-counter), the
// reasons that name each cause, bounded reads of every input file, error
// output, per-command help.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
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
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(...args) {
  const r = run(...args);
  assert.equal(r.code, 0, `${args.join(' ')}\n${r.out}\n${r.err}`);
  return r;
}

/** A refused decision: exit 1, one REJECTED line on stdout with the status, nothing on stderr. */
function rejected(r, status, reason) {
  assert.equal(r.code, 1, `${r.out}\n${r.err}`);
  assert.match(r.out, new RegExp(`REJECTED: .*\\(${status}\\)`), r.out + r.err);
  assert.equal(r.err, '', 'a decision is reported once, on stdout');
  if (reason) assert.match(r.out, reason);
}

/** A usage error: exit 2, the message on stderr only. */
function usage(r, message) {
  assert.equal(r.code, 2, `${r.out}\n${r.err}`);
  assert.equal(r.out, '', 'errors go to stderr only');
  if (message) assert.match(r.err, message);
}

function sign(key, image, out, { version = '1.0', counter = 1, vendor = VENDOR, cls = CLASS, component, digest } = {}) {
  const args = ['sign', '--key', key, '--image', image, '--version', version, '--counter', String(counter), '--vendor', vendor, '--class', cls, '-o', out];
  if (component) args.push('--component', component);
  if (digest) args.push('--digest', digest);
  return ok(...args);
}

const stmt = (key, out, ...args) => ok('trust-statement', '--key', key, '--vendor', VENDOR, '--class', CLASS, '-o', out, ...args);
const provision = (dir, ...anchors) => ok('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, ...anchors.flatMap((a) => ['--anchor', a]));

writeFileSync(at('fw.bin'), seeded(1).bytes(300_000));
writeFileSync(at('cfg.bin'), seeded(2).bytes(777));
ok('keygen', '--alg', 'ed25519', '-o', at('sup'));
ok('keygen', '--alg', 'p256', '-o', at('supp'));
const kidOf = (name) => JSON.parse(readFileSync(at(`${name}.key`), 'utf8')).kid;

test('keygen writes the key files with the documented formats and modes', () => {
  for (const [name, alg, kty] of [['sup', 'ed25519', 'OKP'], ['supp', 'p256', 'EC']]) {
    assert.equal(statSync(at(`${name}.key`)).mode & 0o777, 0o600);
    const jwk = JSON.parse(readFileSync(at(`${name}.key`), 'utf8'));
    assert.equal(jwk.kty, kty);
    assert.ok(jwk.d && jwk.x && jwk.kid);
    assert.match(readFileSync(at(`${name}.pub.pem`), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
    const fromPem = parsePublicKey(readFileSync(at(`${name}.pub.pem`)));
    const fromCose = parsePublicKey(readFileSync(at(`${name}.cose_key`)));
    assert.equal(fromPem.alg, alg);
    assert.equal(toHex(fromPem.publicKey), toHex(fromCose.publicKey));
    assert.equal(toHex(fromCose.kid), jwk.kid);
    assert.equal(jwk.kid, toHex(crypto.createHash('sha256').update(fromCose.publicKey).digest().subarray(0, 8)));
  }
  usage(run('keygen', '--alg', 'ed25519', '-o', at('sup')), /sup\.key exists; keygen never overwrites a private key/);
  usage(run('keygen', '--alg', 'rsa', '-o', at('x')), /--alg must be ed25519 or p256/);
  const j = JSON.parse(ok('keygen', '--alg', 'p256', '-o', at('j'), '--kid', '0a0b', '--json').out);
  assert.equal(j.kid, '0a0b');
  assert.equal(j.files.key, `${at('j')}.key`);
});

test('sign -> verify: both algorithms, both digests, anchors as .cose_key and .pub.pem; the bytes are standard COSE', () => {
  for (const [key, alg] of [['sup', 'ed25519'], ['supp', 'p256']]) {
    for (const digest of ['sha256', 'sha512']) {
      const m = at(`fw-${key}-${digest}.cose`);
      sign(at(`${key}.key`), at('fw.bin'), m, { version: '2.4.1', counter: 5, digest });
      for (const anchor of [at(`${key}.cose_key`), at(`${key}.pub.pem`)]) {
        const r = ok('verify', '--anchor', anchor, '--manifest', m, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS);
        assert.match(r.out, /^ACCEPTED: firmware 2\.4\.1 \(security counter 5, 300000 bytes, sha(256|512)\)/m);
        assert.ok(!r.out.includes('note:'));
      }
      const d = ok('verify', '--anchor', at(`${key}.cose_key`), '--manifest', m, '--image', at('fw.bin'));
      assert.match(d.out, /vendor and class taken from the manifest itself, so not checked/);
      const c = decodeCoseSign1(readFileSync(m));
      const pub = parsePublicKey(readFileSync(at(`${key}.cose_key`)));
      const ss = sigStructure(c.protectedBytes, c.payload);
      assert.ok(alg === 'ed25519' ? ed25519.verify(c.signature, ss, pub.publicKey) : p256.verify(c.signature, ss, pub.publicKey, { prehash: true, lowS: false }));
      assert.equal(toHex(decodeManifestPayload(c.payload).digest), crypto.createHash(digest).update(readFileSync(at('fw.bin'))).digest('hex'));
    }
  }
});

test('verify: each rejection has its reason, status name and exit code 1; --json gives decision, status, reason, fields', () => {
  const m = at('rej.cose');
  sign(at('sup.key'), at('fw.bin'), m, { counter: 3, component: 'gateway-fw' });
  const v = (...extra) => run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS, '--component', 'gateway-fw', ...extra);
  assert.equal(v().code, 0);
  const j = JSON.parse(v('--json').out);
  assert.equal(j.decision, 'ACCEPTED');
  assert.equal(j.status, 'OK');
  assert.equal(j.manifest.component, 'gateway-fw');
  assert.equal(j.manifest.securityCounter, '3');
  assert.equal(j.manifest.vendor, VENDOR);
  assert.equal(j.signer.kid, kidOf('sup'));
  assert.equal(j.signer.role, 'supplier');

  const img = readFileSync(at('fw.bin'));
  const tampered = Buffer.from(img); tampered[1000] ^= 4;
  writeFileSync(at('tampered.bin'), tampered);
  const base = ['--anchor', at('sup.cose_key'), '--manifest', m, '--component', 'gateway-fw'];
  rejected(run('verify', ...base, '--image', at('tampered.bin')), 'ERR_DIGEST', /digest/);
  writeFileSync(at('short.bin'), img.subarray(0, img.length - 1));
  rejected(run('verify', ...base, '--image', at('short.bin')), 'ERR_SIZE', /shorter/);
  writeFileSync(at('long.bin'), Buffer.concat([img, Buffer.from([0])]));
  rejected(run('verify', ...base, '--image', at('long.bin')), 'ERR_SIZE', /longer/);
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', m, '--image', at('fw.bin')), 'ERR_WRONG_COMPONENT',
    /for another component than the 'firmware' slot: that slot takes a manifest signed with `iacsec sign --component firmware`/);

  const mb = Buffer.from(readFileSync(m));
  mb[mb.indexOf(Buffer.from('gateway-fw'))] ^= 1;
  writeFileSync(at('tampered.cose'), mb);
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('tampered.cose'), '--image', at('fw.bin'), '--component', 'gateway-fw'), 'ERR_INVALID', /signature/);
  rejected(run('verify', '--anchor', at('supp.cose_key'), ...base.slice(2), '--image', at('fw.bin')), 'ERR_UNKNOWN_KEY', /key id/);
  rejected(v('--vendor', OTHER), 'ERR_WRONG_VENDOR', /manifest is for another vendor/);
  const rc = run('verify', ...base, '--image', at('fw.bin'), '--vendor', VENDOR, '--class', OTHER, '--json');
  assert.equal(rc.code, 1);
  const jr = JSON.parse(rc.out);
  assert.deepEqual([jr.decision, jr.status, jr.statusCode, jr.manifest], ['REJECTED', 'ERR_WRONG_CLASS', -15, null]);
  assert.match(jr.reason, /manifest is for another device class/);
  writeFileSync(at('garbage.cose'), Buffer.from('not cbor at all'));
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('garbage.cose'), '--image', at('fw.bin')), 'ERR_MALFORMED');
});

test('bounded reads: /dev/zero, a FIFO, an oversized or directory manifest, statement or key are refused at once, naming the argument', () => {
  const started = Date.now();
  const V = ['verify', '--anchor', at('sup.cose_key'), '--image', at('fw.bin')];
  usage(run(...V, '--manifest', '/dev/zero'), /--manifest \/dev\/zero: not a regular file/);
  const fifo = at('fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  usage(run(...V, '--manifest', fifo), /--manifest .*fifo: not a regular file/);
  writeFileSync(at('big.cose'), Buffer.alloc(2049));
  usage(run(...V, '--manifest', at('big.cose')), /--manifest .*big\.cose: longer than 2048 bytes/);
  usage(run(...V, '--manifest', TMP), /--manifest .*: is a directory, not a file/);
  usage(run('verify', '--anchor', '/dev/zero', '--image', at('fw.bin'), '--manifest', at('rej.cose')), /--anchor \/dev\/zero: not a regular file/);
  usage(run('verify', '--anchor', TMP, '--image', at('fw.bin'), '--manifest', at('rej.cose')), /--anchor .*: is a directory/);
  usage(run('apply-statement', '--state', at('x'), '--statement', '/dev/zero'), /--statement \/dev\/zero: not a regular file/);
  usage(run('apply-statement', '--state', at('x'), '--statement', fifo), /--statement .*fifo: not a regular file/);
  usage(run('sign', '--key', fifo, '--image', at('fw.bin'), '--version', '1', '--counter', '1', '--vendor', VENDOR, '--class', CLASS, '-o', at('o.cose')), /--key .*fifo: not a regular file/);
  writeFileSync(at('bigkey.key'), Buffer.alloc(20000, 0x20));
  usage(run('sign', '--key', at('bigkey.key'), '--image', at('fw.bin'), '--version', '1', '--counter', '1', '--vendor', VENDOR, '--class', CLASS, '-o', at('o.cose')), /--key .*bigkey\.key: longer than 16384 bytes/);
  usage(run('sign', '--key', TMP, '--image', at('fw.bin'), '--version', '1', '--counter', '1', '--vendor', VENDOR, '--class', CLASS, '-o', at('o.cose')), /--key .*: is a directory/);
  // The image is streamed and bounded by the size the manifest declares: /dev/zero ends at once.
  rejected(run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('rej.cose'), '--component', 'gateway-fw', '--image', '/dev/zero'), 'ERR_SIZE');
  assert.ok(Date.now() - started < 20_000, 'nothing waited on a FIFO or read a device whole');
});

test('error output: a file error is printed once, on stderr, naming the argument; every missing option at once', () => {
  const r = run('verify', '--anchor', at('sup.cose_key'), '--manifest', at('fw.cose'), '--image', TMP);
  usage(r);
  assert.match(r.err, new RegExp(`--manifest ${at('fw.cose').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file`));
  assert.match(r.err, /--image .*: is a directory, not a file/);
  assert.equal(r.err.match(/no such file/g).length, 1, 'printed once');
  const s = run('sign');
  usage(s, /missing required options: --key, --image, --version, --counter, --vendor, --class, --out/);
  // Every argument the tool can reject before work exits 2.
  usage(run('keygen', '--alg', 'ed25519', '--kid', 'zz', '-o', at('kz')), /--kid must be 1 to 32 bytes as even-length hex/);
  const signArgs = ['sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS, '-o', at('x.cose')];
  usage(run(...signArgs, '--version', '1', '--counter', '1', '--component', 'c'.repeat(65)), /--component must be 1 to 64 bytes/);
  usage(run(...signArgs, '--version', 'v'.repeat(33), '--counter', '1'), /--version must be 1 to 32 bytes/);
  usage(run(...signArgs, '--version', '1', '--counter=-1'), /--counter must be an unsigned integer/);
  usage(run(...signArgs, '--version', '1', '--counter', '-1'), /--counter/);
  usage(run(...signArgs, '--version', '1', '--counter', String(2n ** 64n)), /--counter must be an unsigned integer below 2\^64/);
  usage(run('sign', '--key', at('sup.key'), '--image', at('fw.bin'), '--vendor', 'nope', '--class', CLASS, '-o', at('x.cose'), '--version', '1', '--counter', '1'), /--vendor: 'nope' is not a UUID/);
  usage(run(...signArgs, '--version', '1', '--counter', '1', '-o', join(TMP, 'no-dir', 'x.cose')), /the directory .*no-dir does not exist/);
  usage(run('verify', '--bogus'), /Unknown option '--bogus'/);
  usage(run('verify', '--manifest', at('rej.cose'), '--image', at('fw.bin')), /--anchor \(or --state\)/);
  usage(run('info', '--module', '/nonexistent/iacsec.wasm'), /--module \/nonexistent\/iacsec\.wasm: no such file/);
  // Several problems of different kinds are reported together.
  const many = run('sign', '--key', at('nokey.key'), '--image', at('noimage.bin'), '--version', '1', '--counter', 'x', '--vendor', 'bad', '--class', CLASS, '-o', at('x.cose'));
  usage(many);
  for (const m of [/--counter must be/, /--vendor: 'bad'/, /--image .*noimage\.bin: no such file/, /--key .*nokey\.key: no such file/]) assert.match(many.err, m);
});

test('help: every subcommand has its own synopsis, options, example and exit codes; the top level lists every command', () => {
  const top = ok('--help').out;
  for (const c of ['keygen', 'sign', 'trust-statement', 'verify', 'install', 'verify-boot', 'provision', 'apply-statement', 'anchors', 'counter', 'state backup', 'state restore', 'state recover', 'config show', 'info', 'selftest']) {
    assert.ok(top.includes(`  ${c} `), c);
    const h = ok(...c.split(' '), '--help').out;
    assert.match(h, new RegExp(`^usage: iacsec ${c} `), c);
    assert.match(h, /\noptions:\n/, c);
    assert.match(h, /\nexamples?:\n {2}iacsec /, c);
    assert.match(h, /exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 .*\n[\s\S]* {2}3 /, c);
    assert.ok(h.includes('--json'), `${c} takes --json`);
  }
  assert.match(ok('verify', '--help').out, /--component NAME/);
  assert.match(ok('trust-statement', '--help').out, /--grant COMPONENT/);
  assert.match(ok('verify-boot', '--help').out, /--component config/);
  assert.equal(run().code, 2);
});

test('provision, install (counter 5), then counter 4 is a rollback in a new process; state kept in DIR', () => {
  const dir = at('dev1');
  const p = provision(dir, at('sup.cose_key'), at('supp.pub.pem'));
  assert.match(p.out, /provisioning closed/);
  for (const f of ['seal.key', 'device.key', 'state.bin']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const again = run('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'));
  assert.equal(again.code, 1);
  assert.match(again.out, /already provisioned/);

  const an = ok('anchors', '--state', dir).out.trim().split('\n');
  assert.equal(an.length, 2);
  assert.match(an[0], /^supplier ed25519/);
  assert.match(an[1], /^supplier p256/);
  assert.equal(JSON.parse(ok('anchors', '--state', dir, '--json').out).anchors.length, 2);

  sign(at('sup.key'), at('fw.bin'), at('v2.cose'), { version: '2', counter: 5 });
  sign(at('supp.key'), at('fw.bin'), at('v1.cose'), { version: '1', counter: 4, digest: 'sha512' });
  assert.equal(run('verify', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')).code, 0);
  const inst = ok('install', '--state', dir, '--manifest', at('v2.cose'), '--image', at('fw.bin'));
  assert.match(inst.out, /ACCEPTED: firmware 2 \(security counter 5/);
  assert.match(inst.out, /installed in slot 'firmware': security counter of 'firmware' raised from 0 to 5; state saved/);
  assert.equal(ok('counter', '--state', dir, '--component', 'firmware').out.trim(), 'firmware 5');
  rejected(run('verify', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')), 'ERR_ROLLBACK', /rollback/);
  rejected(run('install', '--state', dir, '--manifest', at('v1.cose'), '--image', at('fw.bin')), 'ERR_ROLLBACK', /nothing changed/);
  assert.equal(ok('counter', '--state', dir, '--component', 'firmware').out.trim(), 'firmware 5');
  const same = JSON.parse(ok('install', '--state', dir, '--manifest', at('v2.cose'), '--image', at('fw.bin'), '--json').out);
  assert.equal(same.decision, 'ACCEPTED');
  assert.deepEqual(same.changes, [], 'the same counter again changes nothing');
  assert.equal(same.counter, '5');
});

test('a failed provision leaves no half state, and running it again works', () => {
  const dir = at('dev-fail');
  const r = run('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'), '--anchor', at('sup.pub.pem'));
  rejected(r, 'ERR_EXISTS', /the same supplier anchor \(key id\) is given twice/);
  assert.equal(existsSync(dir), false, 'nothing created is left behind');
  mkdirSync(dir);
  rejected(run('provision', '--state', dir, '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'), '--anchor', at('sup.cose_key')), 'ERR_EXISTS');
  assert.deepEqual(readdirSync(dir), [], 'an existing empty directory stays empty');
  provision(dir, at('sup.cose_key'));
  assert.deepEqual(readdirSync(dir).sort(), ['audit.cbor', 'device.key', 'seal.key', 'state.bin', 'state.bin.hwm']);
  usage(run('provision', '--state', at('fw.bin'), '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key')), /--state .*fw\.bin: is a file, not a state directory/);
});

test('a corrupted state file or a changed sealing key is a clear error naming restore and recover, and the file is left alone', () => {
  const dir = at('dev2');
  provision(dir, at('sup.cose_key'));
  sign(at('sup.key'), at('fw.bin'), at('d2.cose'), { counter: 1 });
  const blob = readFileSync(join(dir, 'state.bin'));
  const bad = Buffer.from(blob); bad[bad.length - 3] ^= 0x10;
  writeFileSync(join(dir, 'state.bin'), bad);
  for (const args of [['install', '--manifest', at('d2.cose'), '--image', at('fw.bin')], ['verify', '--manifest', at('d2.cose'), '--image', at('fw.bin')], ['anchors']]) {
    const r = run(args[0], '--state', dir, ...args.slice(1));
    assert.equal(r.code, 3, r.out + r.err);
    assert.match(r.err, /state\.bin: refused by the module: .*seal does not verify.*\(ERR_INVALID\).*fail-secure until `iacsec state restore` or `iacsec state recover`/);
    assert.equal(r.out, '');
  }
  assert.deepEqual(readFileSync(join(dir, 'state.bin')), bad, 'never replaced');
  writeFileSync(join(dir, 'state.bin'), blob);
  ok('anchors', '--state', dir);
  writeFileSync(join(dir, 'seal.key'), crypto.randomBytes(32), { mode: 0o600 });
  const r = run('anchors', '--state', dir);
  assert.equal(r.code, 3);
  assert.match(r.err, /ERR_INVALID/);
  const none = run('install', '--state', at('nothing-here'), '--manifest', at('d2.cose'), '--image', at('fw.bin'));
  assert.equal(none.code, 3);
  assert.match(none.err, /no device state here: run `iacsec provision --state/);
  assert.equal(existsSync(at('nothing-here')), false);
});

test('install and verify-boot name the slot: firmware and config each against their own slot; --slot for others', () => {
  const dir = at('dev3');
  provision(dir, at('supp.cose_key'));
  sign(at('supp.key'), at('fw.bin'), at('b-fw.cose'), { counter: 2 });
  sign(at('supp.key'), at('cfg.bin'), at('b-cfg.cose'), { counter: 1, component: 'config', digest: 'sha512' });
  sign(at('supp.key'), at('cfg.bin'), at('b-cfg-as-fw.cose'), { counter: 9 });
  sign(at('supp.key'), at('cfg.bin'), at('b-boot.cose'), { counter: 3, component: 'bootloader' });
  ok('install', '--state', dir, '--manifest', at('b-fw.cose'), '--image', at('fw.bin'));
  rejected(run('install', '--state', dir, '--manifest', at('b-fw.cose'), '--image', at('fw.bin'), '--component', 'config'), 'ERR_WRONG_COMPONENT');
  const ci = ok('install', '--state', dir, '--manifest', at('b-cfg.cose'), '--image', at('cfg.bin'), '--component', 'config');
  assert.match(ci.out, /installed in slot 'config': security counter of 'config' raised from 0 to 1/);
  ok('install', '--state', dir, '--manifest', at('b-boot.cose'), '--image', at('cfg.bin'), '--component', 'bootloader');
  const good = ok('verify-boot', '--state', dir, '--image', at('fw.bin'), '--manifest', at('b-fw.cose'), '--config', at('cfg.bin'), '--config-manifest', at('b-cfg.cose'));
  assert.match(good.out, /PASSED  firmware .*fw\.bin: firmware/);
  assert.match(good.out, /PASSED  config .*cfg\.bin: config/);
  assert.match(good.out, /boot check passed \(2 checked\)/);
  // A configuration signed with the default component is refused for the config slot, saying how to sign it.
  const wrong = run('verify-boot', '--state', dir, '--config', at('cfg.bin'), '--config-manifest', at('b-cfg-as-fw.cose'));
  assert.equal(wrong.code, 1);
  assert.match(wrong.out, /FAILED  config .*: .*'config' slot: that slot takes a manifest signed with `iacsec sign --component config` \(ERR_WRONG_COMPONENT\)/);
  // ... and an image signed for another slot does not pass for the firmware slot.
  assert.match(run('verify-boot', '--state', dir, '--image', at('cfg.bin'), '--manifest', at('b-cfg.cose')).out, /FAILED  firmware .*ERR_WRONG_COMPONENT/);
  const slots = JSON.parse(ok('verify-boot', '--state', dir, '--slot', 'bootloader', '--image', at('cfg.bin'), '--manifest', at('b-boot.cose'), '--slot', 'firmware', '--image', at('fw.bin'), '--manifest', at('b-fw.cose'), '--json').out);
  assert.equal(slots.passed, true);
  assert.deepEqual(slots.results.map((r) => [r.slot, r.manifest.component]), [['bootloader', 'bootloader'], ['firmware', 'firmware']]);

  const cfg = readFileSync(at('cfg.bin')); cfg[10] ^= 1;
  writeFileSync(at('cfg-bad.bin'), cfg);
  const r = run('verify-boot', '--state', dir, '--image', at('fw.bin'), '--manifest', at('b-fw.cose'), '--config', at('cfg-bad.bin'), '--config-manifest', at('b-cfg.cose'));
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /FAILED  config .*cfg-bad\.bin: .*digest.*\(ERR_DIGEST\)/);
  assert.match(r.out, /boot check FAILED: 1 of 2/);
  usage(run('verify-boot', '--state', dir, '--image', at('fw.bin')), /give one --manifest per --image/);
  usage(run('verify-boot', '--state', dir, '--slot', 'a', '--slot', 'b', '--image', at('fw.bin'), '--manifest', at('b-fw.cose')), /give one --slot per --image/);
});

test('trust statements: grants bound what an owner anchor may sign; revoke; set-counter recovers a counter pushed too far', () => {
  const dir = at('dev4');
  provision(dir, at('sup.cose_key'));
  ok('keygen', '--alg', 'p256', '-o', at('owner'));
  sign(at('owner.key'), at('cfg.bin'), at('o-cfg.cose'), { counter: 1, component: 'config' });
  sign(at('owner.key'), at('fw.bin'), at('o-fw.cose'), { counter: 2n ** 64n - 1n });
  rejected(run('install', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin'), '--component', 'config'), 'ERR_UNKNOWN_KEY');

  stmt(at('sup.key'), at('add.cose'), '--op', 'add-owner', '--pub', at('owner.cose_key'), '--grant', 'config');
  const ap = ok('apply-statement', '--state', dir, '--statement', at('add.cose'));
  assert.match(ap.out, /ACCEPTED: trust statement applied: owner anchor kid [0-9a-f]+ added \(granted 1 component\)/);
  assert.match(ap.out, /^owner\s+p256/m);
  ok('install', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin'), '--component', 'config');
  rejected(run('install', '--state', dir, '--manifest', at('o-fw.cose'), '--image', at('fw.bin')), 'ERR_UNAUTHORIZED', /asset-owner anchor that was not granted this component/);

  // A counter pushed too far (here by a supplier manifest) is set back by a supplier statement, once.
  sign(at('sup.key'), at('fw.bin'), at('far.cose'), { counter: 1000 });
  sign(at('sup.key'), at('fw.bin'), at('next.cose'), { counter: 8 });
  ok('install', '--state', dir, '--manifest', at('far.cose'), '--image', at('fw.bin'));
  rejected(run('install', '--state', dir, '--manifest', at('next.cose'), '--image', at('fw.bin')), 'ERR_ROLLBACK');
  stmt(at('sup.key'), at('set.cose'), '--op', 'set-counter', '--component', 'firmware', '--from', '1000', '--to', '7');
  const set = JSON.parse(ok('apply-statement', '--state', dir, '--statement', at('set.cose'), '--json').out);
  assert.deepEqual(set.changes.map((c) => [c.event, c.component, c.from, c.to]), [['COUNTER_SET', 'firmware', '1000', '7']]);
  ok('install', '--state', dir, '--manifest', at('next.cose'), '--image', at('fw.bin'));
  rejected(run('apply-statement', '--state', dir, '--statement', at('set.cose')), 'ERR_STALE', /stale or replayed/);

  const kid = kidOf('owner');
  stmt(at('owner.key'), at('self.cose'), '--op', 'revoke', '--kid', kid);
  rejected(run('apply-statement', '--state', dir, '--statement', at('self.cose')), 'ERR_UNAUTHORIZED');
  stmt(at('sup.key'), at('rev.cose'), '--op', 'revoke', '--kid', kid);
  assert.match(ok('apply-statement', '--state', dir, '--statement', at('rev.cose')).out, new RegExp(`kid ${kid} revoked \\(owner anchor\\)`));
  assert.match(ok('anchors', '--state', dir).out, new RegExp(`owner\\s+p256\\s+kid ${kid}\\s+REVOKED`));
  rejected(run('verify', '--state', dir, '--manifest', at('o-cfg.cose'), '--image', at('cfg.bin'), '--component', 'config'), 'ERR_REVOKED', /revoked/);

  const base = ['trust-statement', '--key', at('sup.key'), '--vendor', VENDOR, '--class', CLASS, '-o', at('x.cose')];
  usage(run(...base, '--op', 'revoke'), /--op revoke needs --kid/);
  usage(run(...base, '--op', 'set-counter', '--component', 'firmware'), /--op set-counter needs --from, --to/);
  usage(run(...base, '--op', 'revoke', '--kid', kid, '--grant', 'config'), /--grant is not for --op revoke/);
  usage(run(...base, '--op', 'add-owner', '--pub', at('owner.cose_key'), ...Array.from({ length: 9 }, (_, i) => ['--grant', `c${i}`]).flat()), /at most 8 components/);
});

test('each cause has its own status and a reason that names it (provisioning, statements)', () => {
  const dir = at('dev5');
  provision(dir, at('sup.cose_key'), at('supp.cose_key'));
  ok('keygen', '--alg', 'ed25519', '-o', at('own5'));
  stmt(at('sup.key'), at('add5.cose'), '--op', 'add-owner', '--pub', at('own5.cose_key'));
  ok('apply-statement', '--state', dir, '--statement', at('add5.cose'));
  // Re-applying an add-owner that was applied: the kid exists, the signature is fine.
  rejected(run('apply-statement', '--state', dir, '--statement', at('add5.cose')), 'ERR_EXISTS', /the key id is already a trust anchor/);
  // Provisioning with the same anchor twice.
  rejected(run('provision', '--state', at('dev5b'), '--vendor', VENDOR, '--class', CLASS, '--anchor', at('sup.cose_key'), '--anchor', at('sup.pub.pem')), 'ERR_EXISTS', /the same supplier anchor \(key id\) is given twice/);
  // Re-adding a revoked owner kid: the kid being added is revoked, not the signer.
  stmt(at('sup.key'), at('rev5.cose'), '--op', 'revoke', '--kid', kidOf('own5'));
  ok('apply-statement', '--state', dir, '--statement', at('rev5.cose'));
  const readd = run('apply-statement', '--state', dir, '--statement', at('add5.cose'));
  rejected(readd, 'ERR_KID_REVOKED', /the key id to add was revoked/);
  assert.ok(!/signer/.test(readd.out));
  // A statement for another device class.
  ok('trust-statement', '--key', at('sup.key'), '--op', 'revoke', '--kid', 'aa', '--vendor', VENDOR, '--class', OTHER, '-o', at('cls5.cose'));
  const cls = run('apply-statement', '--state', dir, '--statement', at('cls5.cose'));
  rejected(cls, 'ERR_WRONG_CLASS', /the trust statement is for another device class/);
  assert.ok(!/manifest/.test(cls.out));
  // Revoking the last supplier anchor.
  stmt(at('sup.key'), at('revs.cose'), '--op', 'revoke', '--kid', kidOf('supp'));
  ok('apply-statement', '--state', dir, '--statement', at('revs.cose'));
  stmt(at('sup.key'), at('revlast.cose'), '--op', 'revoke', '--kid', kidOf('sup'));
  rejected(run('apply-statement', '--state', dir, '--statement', at('revlast.cose')), 'ERR_LAST_ANCHOR', /would revoke the last active supplier anchor/);
  // A revoked signer is named as the statement's signer.
  stmt(at('supp.key'), at('bysupp.cose'), '--op', 'revoke', '--kid', 'bb');
  rejected(run('apply-statement', '--state', dir, '--statement', at('bysupp.cose')), 'ERR_REVOKED', /the statement's signer key id is revoked/);
});
