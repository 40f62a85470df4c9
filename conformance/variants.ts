// Weakened variants: each weakens one control, and the suite must then fail
// exactly the matching catalogue items (tests/host/conformance_variants.test.js).
//
// Module variants are built from source: assembly/ is copied to a temporary
// folder, one documented change is applied (the text must be found exactly
// once), and the copy is compiled with AssemblyScript's asc and the
// project's asconfig.json (release target). Builds are cached by the SHA-256
// of the changed sources in build/conformance-cache/variants/. Profile
// variants patch one setting of the reference profile.

import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from './profile.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, 'build', 'conformance-cache', 'variants');

export interface ModuleVariant {
  id: string;
  description: string;
  /** File under assembly/ and the exact text replaced. */
  file: string;
  find: string;
  replace: string;
  /** Catalogue items whose capability must fail (and only those). */
  expectFailing: readonly string[];
}

export interface ProfileVariant {
  id: string;
  description: string;
  patch(p: Profile): void;
  /** Catalogue items that must get a failing profile check (and only those). */
  expectFailing: readonly string[];
}

export const MODULE_VARIANTS: readonly ModuleVariant[] = [
  {
    id: 'state-encryption-off',
    description: 'the sealed state keeps its sections in clear (authenticated by the tag, no longer encrypted)',
    file: 'firmware/state.ts',
    find: '  chacha20_xor(dst + HEADER_BYTES, src + HEADER_BYTES, SECTIONS_BYTES, ENC_KEY, tag, 0);\n',
    replace: '  memory.copy(dst + HEADER_BYTES, src + HEADER_BYTES, SECTIONS_BYTES);\n',
    expectFailing: ['CR 1.5', 'CR 1.14', 'CR 4.1'],
  },
  {
    id: 'anti-rollback-off',
    description: 'fw_begin no longer compares the security counter with the stored one',
    file: 'firmware/session.ts',
    find: '  if (counter < counter_value(NAME_HASH)) return ERR_ROLLBACK;\n',
    replace: '',
    expectFailing: ['EDR 3.10 RE1'],
  },
  {
    id: 'selftest-skipped',
    description: 'iacsec_selftest records a pass without running the known-answer tests',
    file: 'selftest.ts',
    find: '  const failed = run();\n',
    replace: '  const failed = 0;\n',
    expectFailing: ['CR 3.3', 'CR 3.3 RE1'],
  },
  {
    id: 'selftest-incomplete',
    description: 'the self-test no longer runs its ECDSA P-256 known-answer test',
    file: '_kat.ts',
    find: '  if (p256_verify(P256_PK, 65, P256_MSG, 6, P256_SIG, 64, P256_SIG_RAW) != OK) return KAT_P256_VERIFY;\n'
      + '  memory.copy(KAT_SCRATCH, P256_SIG, 64);\n'
      + '  store<u8>(KAT_SCRATCH + 40, load<u8>(KAT_SCRATCH + 40) ^ 0x01);\n'
      + '  if (p256_verify(P256_PK, 65, P256_MSG, 6, KAT_SCRATCH, 64, P256_SIG_RAW) == OK) return KAT_P256_VERIFY;\n',
    replace: '',
    expectFailing: ['CR 3.3'],
  },
  {
    id: 'signature-check-weakened',
    description: 'fw_begin skips the manifest signature check (the anchor lookup and revocation stay)',
    file: 'firmware/session.ts',
    find: '  if (sign1_verify_signature(r + A_PK, <usize>load<u8>(r + A_PK_LEN), sign1_alg(), 0, 0) != OK) return ERR_INVALID;\n',
    replace: '',
    expectFailing: ['EDR 3.10 RE1', 'CR 3.4 RE1', 'EDR 3.14 RE1'],
  },
  {
    id: 'revocation-ignored',
    description: 'fw_begin no longer checks whether the signer\'s key id is revoked',
    file: 'firmware/session.ts',
    find: '  if (load<u8>(r + A_REVOKED) != 0 || revoked_has(KID, kid_n)) return ERR_REVOKED;\n',
    replace: '',
    expectFailing: ['EDR 3.13', 'CR 1.9'],
  },
  {
    id: 'backup-signature-ignored',
    description: 'state_restore no longer checks the device signature of the backup (the seal check stays)',
    file: 'firmware/state.ts',
    find: '  if (ed25519_verify(device_public_key(), SIGNED, BACKUP_CTX_BYTES + BLOB_BYTES, b + BLOB_BYTES) != OK) return ERR_INVALID;\n',
    replace: '',
    expectFailing: ['CR 7.3 RE1'],
  },
  {
    id: 'lockout-off',
    description: 'a failed login is counted but never locks the account',
    file: 'auth/lockout.ts',
    find: '  if (n < th) return FAIL_COUNTED;\n',
    replace: '  if (n < th || th > 0) return FAIL_COUNTED;\n',
    expectFailing: ['CR 1.11'],
  },
  {
    id: 'unknown-user-fast',
    description: 'a login of an unknown name skips the stand-in key derivation (same answer, shorter time)',
    file: 'auth/login.ts',
    find: '  if (r == 0 || locked || disabled) ok = password_dummy(pw, plen);\n',
    replace: '  if (r == 0) ok = false;\n  else if (locked || disabled) ok = password_dummy(pw, plen);\n',
    expectFailing: ['CR 1.10'],
  },
  {
    id: 'mfa-never-asked',
    description: 'the login never asks for the second factor, whatever the account, role or profile require',
    file: 'auth/login.ts',
    find: '  return (f & (AF_TOTP | AF_MFA)) != 0 || (role_flags(<u32>load<u8>(r + A_ROLE)) & RF_MFA) != 0\n    || (prof(P_FLAGS) & PF_MFA_ALL) != 0;\n',
    replace: '  return f == 0xff && (role_flags(<u32>load<u8>(r + A_ROLE)) & RF_MFA) == 0xff && (prof(P_FLAGS) & PF_MFA_ALL) == 0xff;\n',
    // CR 1.10 too: a wrong code sent with the right password is then accepted, so the one-step answers differ.
    expectFailing: ['CR 1.1 RE2', 'CR 1.10'],
  },
  {
    id: 'rate-limit-off',
    description: 'the rate limiter admits a known source whatever its theoretical arrival time',
    file: 'ratelimit/gcra.ts',
    find: '    if (tat - now > src_tau) {\n',
    replace: '    if (tat - now > src_tau && src_tau < 0) {\n',
    expectFailing: ['CR 7.1', 'CR 7.1 RE1', 'CR 7.2'],
  },
  {
    id: 'role-report-without-mfa',
    description: 'iacsec_role_get reports no role as needing a second factor (the login still asks for one): the configuration report disagrees with the module',
    file: 'abi/auth.ts',
    find: '  if (index == 0) store<u32>(out + 4, 0xffff_ffff);\n  return OK;\n',
    replace: '  if (index == 0) store<u32>(out + 4, 0xffff_ffff);\n  store<u8>(out + 2, load<u8>(out + 2) & 0xfe);\n  return OK;\n',
    expectFailing: ['CR 7.6'],
  },
];

export const PROFILE_VARIANTS: readonly ProfileVariant[] = [
  { id: 'lockout-off', description: 'lockout.enabled false', patch: (p) => { p.lockout!.enabled = false; }, expectFailing: ['CR 1.11'] },
  { id: 'mfa-off-for-administrators', description: 'mfa.roles.administrator false', patch: (p) => { p.mfa!.roles!.administrator = false; }, expectFailing: ['CR 1.1 RE2'] },
  { id: 'default-password-kept', description: 'accounts.defaultPasswordKept true', patch: (p) => { p.accounts!.defaultPasswordKept = true; }, expectFailing: ['CR 1.5'] },
  { id: 'audit-off', description: 'audit.enabled false', patch: (p) => { p.audit!.enabled = false; }, expectFailing: ['CR 2.8', 'CR 2.9', 'CR 2.9 RE1', 'CR 2.10', 'CR 3.9', 'CR 6.2'] },
  { id: 'audit-chain-off', description: 'audit.chain false', patch: (p) => { p.audit!.chain = false; }, expectFailing: ['CR 3.9'] },
  { id: 'rate-limit-off', description: 'rateLimit.enabled false', patch: (p) => { p.rateLimit!.enabled = false; }, expectFailing: ['CR 7.1', 'CR 7.1 RE1'] },
  { id: 'state-not-persisted', description: 'state.persist false', patch: (p) => { p.state!.persist = false; }, expectFailing: ['EDR 3.10 RE1'] },
  { id: 'boot-check-off', description: 'firmware.bootCheck false', patch: (p) => { p.firmware!.bootCheck = false; }, expectFailing: ['EDR 3.14'] },
  // A None channel carries messages neither signed nor encrypted: integrity and confidentiality in transit both fail.
  { id: 'gateway-security-none', description: 'gateway.securityModes with None', patch: (p) => { p.gateway!.securityModes = ['None', 'SignAndEncrypt']; }, expectFailing: ['CR 3.1', 'CR 4.1'] },
  { id: 'gateway-sign-only', description: 'gateway.securityModes Sign only', patch: (p) => { p.gateway!.securityModes = ['Sign']; }, expectFailing: ['CR 4.1'] },
  { id: 'gateway-accept-unknown-clients', description: 'gateway.acceptUnknownClients true', patch: (p) => { p.gateway!.acceptUnknownClients = true; }, expectFailing: ['CR 1.8', 'CR 3.1 RE1'] },
];

function treeDigest(dir: string, h = createHash('sha256'), prefix = ''): ReturnType<typeof createHash> {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) treeDigest(p, h, `${prefix}${e.name}/`);
    else if (e.isFile()) h.update(`${prefix}${e.name}\0`).update(readFileSync(p)).update('\0');
  }
  return h;
}

/** Builds (or takes from the cache) the module with the variant's change; returns the .wasm path. */
export function buildModuleVariant(v: ModuleVariant): string {
  const dir = mkdtempSync(join(tmpdir(), `iacsec-variant-${v.id}-`));
  try {
    cpSync(join(ROOT, 'assembly'), join(dir, 'assembly'), { recursive: true });
    cpSync(join(ROOT, 'asconfig.json'), join(dir, 'asconfig.json'));
    const file = join(dir, 'assembly', v.file);
    const src = readFileSync(file, 'utf8');
    const at = src.indexOf(v.find);
    if (at < 0 || src.indexOf(v.find, at + 1) >= 0) throw new Error(`variant ${v.id}: the text to change is not in assembly/${v.file} exactly once`);
    writeFileSync(file, src.slice(0, at) + v.replace + src.slice(at + v.find.length));
    const digest = treeDigest(dir).update(pkgAsc()).digest('hex');
    const out = join(CACHE, `${v.id}-${digest.slice(0, 16)}.wasm`);
    if (existsSync(out)) return out;
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    mkdirSync(CACHE, { recursive: true });
    const asc = join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
    const r = spawnSync(process.execPath, [asc, '--config', 'asconfig.json', '--target', 'release', '--outFile', join(dir, 'out.wasm'), '--textFile', join(dir, 'out.wat')],
      { cwd: dir, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`variant ${v.id}: asc failed: ${r.stderr.slice(-2000)}`);
    cpSync(join(dir, 'out.wasm'), out);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pkgAsc(): string {
  return readFileSync(join(ROOT, 'node_modules', 'assemblyscript', 'package.json'), 'utf8');
}

/** Writes the reference profile with the variant's patch to dir; returns its path. */
export function writeProfileVariant(v: ProfileVariant, dir: string): string {
  const p = JSON.parse(readFileSync(join(ROOT, 'conformance', 'profiles', 'default.json'), 'utf8')) as Profile;
  v.patch(p);
  p.name = `${p.name} (${v.id})`;
  const path = join(dir, `profile-${v.id}.json`);
  writeFileSync(path, `${JSON.stringify(p, null, 2)}\n`);
  return path;
}
