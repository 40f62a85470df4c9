// The firmware subcommands of the iacsec command line: keys, signing,
// trust statements, verification, install, boot check, device state.
// Exit codes: 0 accepted / done, 1 rejected or failed, 2 usage error.

import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadModule } from './index.js';
import { Firmware, FirmwareError, anchorOf, type AnchorRecord } from './firmware.js';
import {
  fromHex, generateKey, readPrivateKeyFile, readPublicKeyFile, toHex, writeKeyFiles, type KeyAlg, type PublicKeyInfo,
} from './keys.js';
import {
  coseSigner, decodeCoseSign1, decodeManifestPayload, formatUuid, parseUuid, signManifest, signTrustStatement,
  type DigestAlg, type ManifestFields,
} from './manifest.js';
import { StateStoreError, openStateStore, readSealKeyFile, statePaths } from './state_store.js';

export const FIRMWARE_USAGE = `firmware commands (signed firmware, EDR 3.10 / 3.12 / 3.13 / 3.14, CR 3.4):
  keygen --alg ed25519|p256 -o NAME [--kid HEX]
             writes NAME.key (private JWK, 0600), NAME.pub.pem (SPKI), NAME.cose_key (COSE_Key);
             default kid: first 8 bytes of SHA-256 of the raw public key, hex
  sign --key K.key --image FW --version V --counter N --vendor UUID --class UUID
       [--component NAME] [--digest sha256|sha512] -o FW.cose
             signs a manifest (COSE_Sign1, tag 18); component default "firmware", digest default sha256
  trust-statement --key SUPPLIER.key --op add-owner|revoke [--kid HEX] [--pub OWNER.cose_key]
       --vendor UUID --class UUID -o STMT.cose
             add-owner needs --pub (kid default: the key's own); revoke needs --kid
  verify --anchor PUB [--anchor PUB ...] --manifest FW.cose --image FW [--vendor UUID --class UUID]
  verify --state DIR --manifest FW.cose --image FW
             ACCEPTED / REJECTED: reason; exit 0 accepted, 1 rejected; never changes DIR
             (PUB: .cose_key, .pub.pem or .key; without --state, vendor/class default to the manifest's own)
  install --state DIR --manifest FW.cose --image FW
             verify for install, raise the stored security counter, save the state
  verify-boot --state DIR [--image FW --manifest FW.cose ...] [--config CFG --config-manifest CFG.cose ...]
             boot check of each installed blob against its manifest; exit 1 if any failed
  provision --state DIR --vendor UUID --class UUID --anchor PUB [--anchor PUB ...]
             device identity and supplier anchors; closes provisioning (irreversible)
  apply-statement --state DIR --statement STMT.cose
  anchors --state DIR
  counter --state DIR --component NAME
  state files: DIR/state.bin (sealed blob), DIR/seal.key (32-byte sealing key, 0600, created by provision);
  a real gateway keeps the sealing key in a secure element or TPM instead.
`;

export const FIRMWARE_COMMANDS = new Set([
  'keygen', 'sign', 'trust-statement', 'verify', 'install', 'verify-boot', 'provision', 'apply-statement', 'anchors', 'counter',
]);

class UsageError extends Error {}

type Values = Record<string, string | boolean | string[] | undefined>;
type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = { module: { type: 'string' }, help: { type: 'boolean', short: 'h' } };

function parse(argv: string[], options: Options): Values {
  try {
    const { values } = parseArgs({ args: argv, options: { ...COMMON, ...options }, allowPositionals: false, strict: true });
    return values as Values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function req(v: Values, name: string): string {
  const x = v[name];
  if (typeof x !== 'string' || x === '') throw new UsageError(`--${name} is required`);
  return x;
}

function list(v: Values, name: string): string[] {
  const x = v[name];
  return Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
}

function uuid(s: string, flag: string): Uint8Array {
  try { return parseUuid(s); } catch (e) { throw new UsageError(`--${flag}: ${(e as Error).message}`); }
}

async function openFirmware(v: Values): Promise<Firmware> {
  const api = await loadModule({ path: v.module as string | undefined });
  return new Firmware(api);
}

/** The image file as a stream of 64 KiB chunks. */
function imageStream(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 65536 });
}

async function readAnchors(paths: string[]): Promise<PublicKeyInfo[]> {
  return Promise.all(paths.map(async (p) => {
    try { return await readPublicKeyFile(p); } catch (e) { throw new Error(`${p}: ${(e as Error).message}`); }
  }));
}

function describe(f: ManifestFields): string {
  return `${f.component} ${f.version} (security counter ${f.securityCounter}, ${f.imageSize} bytes, ${f.digestAlg})`;
}

function rejected(e: unknown): string {
  if (e instanceof FirmwareError) return `REJECTED: ${e.reason} (${e.status})`;
  throw e;
}

/** Opens DIR's state for a fresh module; the state must exist unless `create`. */
async function openState(fw: Firmware, dir: string, opts: { create?: boolean; autosave?: boolean } = {}) {
  const p = statePaths(dir);
  if (!opts.create) {
    try { await stat(p.state); } catch { throw new StateStoreError(p.state, 'no state here: run `iacsec provision --state DIR ...` first'); }
  }
  const sealKey = await readSealKeyFile(p.sealKey, opts.create ?? false);
  return openStateStore(fw, { path: p.state, sealKey, autosave: opts.autosave ?? true });
}

async function keygen(argv: string[]): Promise<number> {
  const v = parse(argv, { alg: { type: 'string' }, out: { type: 'string', short: 'o' }, kid: { type: 'string' } });
  const alg = req(v, 'alg');
  if (alg !== 'ed25519' && alg !== 'p256') throw new UsageError('--alg must be ed25519 or p256');
  const name = req(v, 'out');
  const kid = typeof v.kid === 'string' ? fromHex(v.kid, '--kid') : undefined;
  const key = generateKey(alg as KeyAlg, kid);
  const files = await writeKeyFiles(name, key);
  console.log(`${alg} key, kid ${toHex(key.kid)}`);
  console.log(`private key  ${files.key} (mode 0600: keep it offline)`);
  console.log(`public key   ${files.pem}`);
  console.log(`COSE_Key     ${files.coseKey}`);
  return 0;
}

function counterArg(s: string): bigint {
  if (!/^[0-9]+$/.test(s)) throw new UsageError('--counter must be an unsigned integer');
  const n = BigInt(s);
  if (n >= 1n << 64n) throw new UsageError('--counter must be below 2^64');
  return n;
}

async function sign(argv: string[]): Promise<number> {
  const v = parse(argv, {
    key: { type: 'string' }, image: { type: 'string' }, version: { type: 'string' }, counter: { type: 'string' },
    vendor: { type: 'string' }, class: { type: 'string' }, component: { type: 'string' }, digest: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  const digest = (v.digest as string | undefined) ?? 'sha256';
  if (digest !== 'sha256' && digest !== 'sha512') throw new UsageError('--digest must be sha256 or sha512');
  const opts = {
    image: req(v, 'image'),
    vendor: uuid(req(v, 'vendor'), 'vendor'),
    deviceClass: uuid(req(v, 'class'), 'class'),
    version: req(v, 'version'),
    securityCounter: counterArg(req(v, 'counter')),
    component: (v.component as string | undefined) ?? 'firmware',
    out: req(v, 'out'),
  };
  const key = await readPrivateKeyFile(req(v, 'key'));
  const api = await loadModule({ path: v.module as string | undefined });
  const manifest = await signManifest({
    key, image: imageStream(opts.image), vendor: opts.vendor, deviceClass: opts.deviceClass, component: opts.component,
    version: opts.version, securityCounter: opts.securityCounter, digestAlg: digest as DigestAlg,
    hasher: digest === 'sha256' ? api.createSha256() : api.createSha512(),
  });
  await writeFile(opts.out, manifest);
  const f = decodeManifestPayload(decodeCoseSign1(manifest).payload);
  console.log(`signed ${describe(f)}`);
  console.log(`  key ${key.alg}, kid ${toHex(key.kid)}; manifest ${opts.out} (${manifest.byteLength} bytes)`);
  return 0;
}

async function trustStatement(argv: string[]): Promise<number> {
  const v = parse(argv, {
    key: { type: 'string' }, op: { type: 'string' }, kid: { type: 'string' }, pub: { type: 'string' },
    vendor: { type: 'string' }, class: { type: 'string' }, out: { type: 'string', short: 'o' },
  });
  const op = req(v, 'op');
  if (op !== 'add-owner' && op !== 'revoke') throw new UsageError('--op must be add-owner or revoke');
  const vendor = uuid(req(v, 'vendor'), 'vendor');
  const deviceClass = uuid(req(v, 'class'), 'class');
  const out = req(v, 'out');
  let kid = typeof v.kid === 'string' ? fromHex(v.kid, '--kid') : undefined;
  let publicKey: PublicKeyInfo | undefined;
  if (op === 'add-owner') {
    publicKey = await readPublicKeyFile(req(v, 'pub'), kid);
    kid = publicKey.kid;
  } else {
    if (v.pub !== undefined) throw new UsageError('--pub is for add-owner only');
    if (!kid) throw new UsageError('--kid is required for revoke');
  }
  const key = await readPrivateKeyFile(req(v, 'key'));
  const stmt = signTrustStatement(key, { operation: op, kid: kid!, publicKey, vendor, deviceClass });
  await writeFile(out, stmt);
  console.log(`trust statement ${op} kid ${toHex(kid!)}, signed by kid ${toHex(key.kid)}: ${out}`);
  return 0;
}

const VERIFY_OPTS: Options = {
  anchor: { type: 'string', multiple: true }, manifest: { type: 'string' }, image: { type: 'string' },
  vendor: { type: 'string' }, class: { type: 'string' }, state: { type: 'string' }, component: { type: 'string' },
};

async function verify(argv: string[]): Promise<number> {
  const v = parse(argv, VERIFY_OPTS);
  const manifestPath = req(v, 'manifest');
  const imagePath = req(v, 'image');
  const anchorPaths = list(v, 'anchor');
  const state = v.state as string | undefined;
  if (state && (anchorPaths.length > 0 || v.vendor !== undefined || v.class !== undefined)) {
    throw new UsageError('with --state, anchors, vendor and class come from the device state: drop --anchor/--vendor/--class');
  }
  if (!state && anchorPaths.length === 0) throw new UsageError('--anchor (or --state) is required');
  const manifest = new Uint8Array(await readFile(manifestPath));
  const fw = await openFirmware(v);
  if (state) {
    // Checked against the stored anchors and counters; nothing is written back.
    await openState(fw, state, { autosave: false });
  } else {
    const anchors = await readAnchors(anchorPaths);
    let vendor = typeof v.vendor === 'string' ? uuid(v.vendor, 'vendor') : undefined;
    let deviceClass = typeof v.class === 'string' ? uuid(v.class, 'class') : undefined;
    if (!vendor || !deviceClass) {
      let own: ManifestFields | undefined;
      try { own = decodeManifestPayload(decodeCoseSign1(manifest).payload); } catch { /* the module will reject it */ }
      const zero = new Uint8Array(16);
      const from: string[] = [];
      if (!vendor) { vendor = own?.vendor.byteLength === 16 ? own.vendor : zero; from.push('vendor'); }
      if (!deviceClass) { deviceClass = own?.deviceClass.byteLength === 16 ? own.deviceClass : zero; from.push('class'); }
      console.log(`note: ${from.join(' and ')} taken from the manifest itself, so not checked: pass --vendor and --class to check them`);
    }
    await fw.provision({ vendor, deviceClass, supplierAnchors: anchors.map(anchorOf) });
  }
  try {
    const f = await fw.verifyFirmware(manifest, imageStream(imagePath), { purpose: 'install', component: (v.component as string | undefined) ?? 'firmware' });
    const signer = { kid: f.signer.kid, alg: f.signer.role };
    console.log(`ACCEPTED: ${describe(f)}`);
    console.log(`  signed by kid ${signer.kid ? toHex(signer.kid) : '?'} (${signer.alg}); vendor ${formatUuid(f.vendor)}, class ${formatUuid(f.deviceClass)}`);
    return 0;
  } catch (e) {
    console.log(rejected(e));
    return 1;
  }
}

async function install(argv: string[]): Promise<number> {
  const v = parse(argv, { state: { type: 'string' }, manifest: { type: 'string' }, image: { type: 'string' }, component: { type: 'string' } });
  const dir = req(v, 'state');
  const manifest = new Uint8Array(await readFile(req(v, 'manifest')));
  const imagePath = req(v, 'image');
  const fw = await openFirmware(v);
  await openState(fw, dir);
  try {
    const f = await fw.verifyFirmware(manifest, imageStream(imagePath), { purpose: 'install', component: (v.component as string | undefined) ?? 'firmware' });
    console.log(`ACCEPTED: ${describe(f)}`);
    console.log(`  installed: stored security counter of '${f.component}' is now ${fw.securityCounter(f.component)}; state saved`);
    return 0;
  } catch (e) {
    console.log(rejected(e));
    return 1;
  }
}

async function verifyBoot(argv: string[]): Promise<number> {
  const v = parse(argv, {
    state: { type: 'string' }, image: { type: 'string', multiple: true }, manifest: { type: 'string', multiple: true },
    config: { type: 'string', multiple: true }, 'config-manifest': { type: 'string', multiple: true },
  });
  const dir = req(v, 'state');
  const images = list(v, 'image');
  const manifests = list(v, 'manifest');
  const configs = list(v, 'config');
  const configManifests = list(v, 'config-manifest');
  if (images.length !== manifests.length) throw new UsageError('give one --manifest per --image');
  if (configs.length !== configManifests.length) throw new UsageError('give one --config-manifest per --config');
  const blobs = [
    ...images.map((p, i) => ({ kind: 'image', path: p, manifest: manifests[i] })),
    ...configs.map((p, i) => ({ kind: 'config', path: p, manifest: configManifests[i] })),
  ];
  if (blobs.length === 0) throw new UsageError('nothing to check: give --image/--manifest or --config/--config-manifest');
  const fw = await openFirmware(v);
  await openState(fw, dir);
  let failed = 0;
  for (const b of blobs) {
    try {
      const manifest = new Uint8Array(await readFile(b.manifest));
      const f = await fw.verifyFirmware(manifest, imageStream(b.path), { purpose: 'boot', component: b.kind === 'image' ? 'firmware' : 'config' });
      console.log(`PASSED  ${b.kind} ${b.path}: ${describe(f)}`);
    } catch (e) {
      failed++;
      const why = e instanceof FirmwareError ? `${e.reason} (${e.status})` : (e as Error).message;
      console.log(`FAILED  ${b.kind} ${b.path}: ${why}`);
    }
  }
  console.log(failed === 0 ? `boot check passed (${blobs.length} checked)` : `boot check FAILED: ${failed} of ${blobs.length}`);
  return failed === 0 ? 0 : 1;
}

function printAnchors(list: AnchorRecord[]): void {
  for (const a of list) {
    console.log(`${a.role.padEnd(8)} ${a.alg.padEnd(7)} kid ${a.kidHex.padEnd(16)} ${a.revoked ? 'REVOKED' : 'active '} ${toHex(a.publicKey)}`);
  }
}

async function provision(argv: string[]): Promise<number> {
  const v = parse(argv, {
    state: { type: 'string' }, vendor: { type: 'string' }, class: { type: 'string' }, anchor: { type: 'string', multiple: true },
  });
  const dir = req(v, 'state');
  const vendor = uuid(req(v, 'vendor'), 'vendor');
  const deviceClass = uuid(req(v, 'class'), 'class');
  const anchorPaths = list(v, 'anchor');
  if (anchorPaths.length === 0) throw new UsageError('--anchor is required (a supplier public key)');
  const anchors = await readAnchors(anchorPaths);
  const p = statePaths(dir);
  if (await stat(p.state).then(() => true, () => false)) {
    throw new StateStoreError(p.state, 'this device is already provisioned (provisioning is irreversible)');
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const fw = await openFirmware(v);
  await openState(fw, dir, { create: true });
  await fw.provision({ vendor, deviceClass, supplierAnchors: anchors.map(anchorOf) });
  console.log(`provisioned: vendor ${formatUuid(vendor)}, class ${formatUuid(deviceClass)}; provisioning closed; state ${p.state}`);
  printAnchors(fw.anchors());
  return 0;
}

async function applyStatement(argv: string[]): Promise<number> {
  const v = parse(argv, { state: { type: 'string' }, statement: { type: 'string' } });
  const dir = req(v, 'state');
  const stmt = new Uint8Array(await readFile(req(v, 'statement')));
  const fw = await openFirmware(v);
  await openState(fw, dir);
  try {
    await fw.applyTrustStatement(stmt);
  } catch (e) {
    console.log(rejected(e));
    return 1;
  }
  console.log('ACCEPTED: trust statement applied; state saved');
  printAnchors(fw.anchors());
  return 0;
}

async function anchors(argv: string[]): Promise<number> {
  const v = parse(argv, { state: { type: 'string' } });
  const fw = await openFirmware(v);
  await openState(fw, req(v, 'state'), { autosave: false });
  printAnchors(fw.anchors());
  return 0;
}

async function counter(argv: string[]): Promise<number> {
  const v = parse(argv, { state: { type: 'string' }, component: { type: 'string' } });
  const component = req(v, 'component');
  const fw = await openFirmware(v);
  await openState(fw, req(v, 'state'), { autosave: false });
  console.log(`${component} ${fw.securityCounter(component)}`);
  return 0;
}

const HANDLERS: Record<string, (argv: string[]) => Promise<number>> = {
  keygen, sign, 'trust-statement': trustStatement, verify, install, 'verify-boot': verifyBoot, provision,
  'apply-statement': applyStatement, anchors, counter,
};

/** Runs one firmware subcommand; returns the exit code (2: usage error). */
export async function runFirmwareCommand(command: string, argv: string[]): Promise<number> {
  const handler = HANDLERS[command];
  if (!handler) {
    process.stderr.write(`iacsec: unknown command '${command}'\n${FIRMWARE_USAGE}`);
    return 2;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(FIRMWARE_USAGE);
    return 0;
  }
  try {
    return await handler(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`iacsec ${command}: ${e.message}\n\n${FIRMWARE_USAGE}`);
      return 2;
    }
    const msg = e instanceof FirmwareError ? `${e.message}` : e instanceof Error ? e.message : String(e);
    process.stderr.write(`iacsec ${command}: ERROR: ${msg}\n`);
    if (command === 'verify' || command === 'install' || command === 'verify-boot') console.log(`REJECTED: ${msg}`);
    return 1;
  }
}
