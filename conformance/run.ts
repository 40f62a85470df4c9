// Runs the suite: loads the module under test and the profile, runs every
// check with its own deterministic context, and assesses the outcomes.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256 } from '@noble/curves/nist.js';
import { CAPS } from '../bindings/abi.js';
import { loadModule } from '../host/index.js';
import { DEFAULT_MODULE_PATH, instantiate } from '../host/loader.js';
import { defaultKid, type KeyAlg, type PrivateKeyInfo } from '../host/keys.js';
import { catalogueItems, type Level } from './catalogue/index.js';
import { CHECKS } from './checks/index.js';
import type { Check, CheckContext, CheckRecord, ModuleUnderTest, Rng } from './checks/registry.js';
import { assess } from './assess.js';
import { PARTS, type ModuleFacts } from './parts.js';
import { loadProfile, type LoadedProfile } from './profile.js';
import { nativeSelfTest } from './native.js';
import type { Acceptance, Report } from './report_types.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunOptions {
  /** Another build of the module (default: the built one). */
  modulePath?: string;
  slTarget?: Level;
  profilePath?: string;
  acceptPath?: string;
  /** Build and run the wasm2c self-test where wasm2c and gcc are present (default true). */
  native?: boolean;
  /** Checks to run (default: all); for tests. */
  checks?: readonly Check[];
  onProgress?: (done: number, total: number, id: string) => void;
}

export interface SuiteResult {
  report: Report;
  /** Evidence files by path relative to the report folder ("evidence/<check>/log.txt"). */
  evidence: Map<string, Uint8Array>;
}

export class UsageError extends Error {}

/**
 * The clock a check's modules read (audit record timestamps): from a fixed
 * instant, 1 ms later at each read, so the evidence (sealed states, backups,
 * audit exports) is the same byte for byte in every run.
 */
const CHECK_EPOCH_NS = 1_767_225_600_000n * 1_000_000n;   // 2026-01-01T00:00:00Z
function checkClock(): () => bigint {
  let t = CHECK_EPOCH_NS;
  return () => (t += 1_000_000n);
}

/** SHA-256 in counter mode over a seed: the deterministic source of a check. */
export function seededRng(seed: string): Rng {
  let counter = 0;
  let pool = new Uint8Array(0);
  let at = 0;
  const base = createHash('sha256').update(seed).digest();
  const more = () => {
    const c = Buffer.alloc(8);
    c.writeBigUInt64LE(BigInt(counter++));
    pool = new Uint8Array(createHash('sha256').update(base).update(c).digest());
    at = 0;
  };
  const bytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (at === pool.length) more();
      out[i] = pool[at++];
    }
    return out;
  };
  return {
    bytes,
    below(n: number) {
      const b = bytes(4);
      return ((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0) % n;
    },
  };
}

/** The test key `name` (deterministic: derived from its name). */
export function testKey(name: string, alg: KeyAlg = 'ed25519'): PrivateKeyInfo {
  const secretKey = new Uint8Array(createHash('sha256').update(`iacsec conformance test key ${alg} ${name}`).digest());
  const publicKey = alg === 'ed25519' ? ed25519.getPublicKey(secretKey) : p256.getPublicKey(secretKey, false);
  return { alg, secretKey, publicKey, kid: defaultKid(publicKey) };
}

async function moduleUnderTest(path: string | undefined): Promise<ModuleUnderTest & { memoryBytes: number; size: number }> {
  const file = path ?? DEFAULT_MODULE_PATH;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UsageError(`cannot read module ${file}: ${(e as Error).message}`);
  }
  const loaded = await instantiate({ bytes, log: () => {} });
  const x = loaded.exports;
  const caps = typeof x.iacsec_caps === 'function' ? x.iacsec_caps() >>> 0 : 0;
  return {
    source: path ?? 'built-in',
    bytes,
    sha256: loaded.sha256,
    size: loaded.size,
    abiVersion: typeof x.iacsec_abi_version === 'function' ? x.iacsec_abi_version() : 0,
    caps,
    capabilities: Object.entries(CAPS).filter(([, bit]) => (caps & bit) !== 0).map(([n]) => n),
    exports: new Set(loaded.exportNames),
    imports: loaded.imports,
    memoryBytes: loaded.memory.buffer.byteLength,
  };
}

/** The accept file: {"accepted": [{"id", "justification", "owner", "expires"?}]}. */
export async function loadAccept(path: string, knownIds: ReadonlySet<string>): Promise<{ entries: Map<string, Acceptance>; sha256: string }> {
  let bytes: Buffer;
  try { bytes = await readFile(path); } catch (e) { throw new UsageError(`cannot read accept file ${path}: ${(e as Error).message}`); }
  let v: unknown;
  try { v = JSON.parse(bytes.toString('utf8')); } catch (e) { throw new UsageError(`${path}: not JSON (${(e as Error).message})`); }
  const list = (v as { accepted?: unknown }).accepted;
  if (!Array.isArray(list)) throw new UsageError(`${path}: needs "accepted": [ {id, justification, owner} ... ]`);
  const entries = new Map<string, Acceptance>();
  for (const [i, e] of list.entries()) {
    const a = e as Record<string, unknown>;
    for (const f of ['id', 'justification', 'owner']) {
      if (typeof a[f] !== 'string' || (a[f] as string).trim() === '') throw new UsageError(`${path}: accepted[${i}].${f} must be a non-empty string`);
    }
    if (!knownIds.has(a.id as string)) throw new UsageError(`${path}: accepted[${i}].id '${a.id}' is not in the catalogue`);
    if (a.expires !== undefined && (typeof a.expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(a.expires))) {
      throw new UsageError(`${path}: accepted[${i}].expires must be a date YYYY-MM-DD`);
    }
    entries.set(a.id as string, { id: a.id as string, justification: a.justification as string, owner: a.owner as string,
      ...(a.expires ? { expires: a.expires as string } : {}) });
  }
  return { entries, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The installed version of a package, looked up the way Node resolves it (node_modules here, then above). */
function pkgVersion(name: string): string {
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const p = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(p)) return (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version;
    if (dirname(dir) === dir) return 'not installed';
  }
}

export function toolInfo(): Report['tool'] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string; dependencies: Record<string, string> };
  return {
    name: 'iacsec conformance',
    version: pkg.version,
    node: process.version,
    runtime: `Node.js ${process.versions.node}, V8 ${process.versions.v8}`,
    platform: `${process.platform}-${process.arch}`,
    assemblyscript: pkgVersion('assemblyscript'),
    dependencies: Object.fromEntries(Object.keys(pkg.dependencies).sort().map((d) => [d, pkgVersion(d)])),
  };
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

export async function runSuite(o: RunOptions = {}): Promise<SuiteResult> {
  const slTarget = (o.slTarget ?? 2) as Level;
  if (![1, 2, 3, 4].includes(slTarget)) throw new UsageError('--sl must be 1, 2, 3 or 4');
  const mut = await moduleUnderTest(o.modulePath);
  const profile: LoadedProfile = await loadProfile(o.profilePath);
  const catalogue = catalogueItems();
  const accept = o.acceptPath ? await loadAccept(o.acceptPath, new Set(catalogue.map((c) => c.id))) : undefined;
  const facts: ModuleFacts = { caps: mut.caps, exports: mut.exports };
  const checks = o.checks ?? CHECKS;
  const evidence = new Map<string, Uint8Array>();
  const records: CheckRecord[] = [];
  const enc = new TextEncoder();

  let done = 0;
  for (const check of checks) {
    o.onProgress?.(done, checks.length, check.id);
    const dir = `evidence/${safeName(check.id)}`;
    const lines: string[] = [`check ${check.id}: ${check.title}`, `requirements: ${check.requirements.join(', ')}`, `kind: ${check.kind}`];
    const files: string[] = [];
    const part = check.part ? PARTS[check.part] : undefined;
    let rec: Omit<CheckRecord, 'evidence'>;
    const base = { id: check.id, title: check.title, kind: check.kind, requirements: check.requirements, remedy: check.remedy };
    if (check.kind === 'capability' && part && !part.present(facts)) {
      rec = { ...base, result: 'not-implemented', summary: `not implemented: this build has no ${part.name} (${part.detection})`, measured: {} };
    } else {
      const ctx: CheckContext = {
        module: mut,
        profile: profile.profile,
        slTarget,
        root: ROOT,
        rng: seededRng(`iacsec conformance ${check.id}`),
        key: (name, alg) => testKey(name, alg),
        load: (bytes) => loadModule({ bytes: bytes ?? mut.bytes, log: (l) => lines.push(`module: ${l}`), clock: checkClock() }),
        instantiate: (bytes) => instantiate({ bytes: bytes ?? mut.bytes, log: (l) => lines.push(`module: ${l}`), clock: checkClock() }),
        log: (l) => { lines.push(l); },
        input: (name, data) => {
          const path = `${dir}/${safeName(name)}`;
          evidence.set(path, typeof data === 'string' ? enc.encode(data) : data);
          files.push(path);
          return path;
        },
      };
      try {
        const out = await check.run(ctx);
        rec = { ...base, result: out.result, summary: out.summary, measured: out.measured ?? {} };
      } catch (e) {
        lines.push(`ERROR ${(e as Error).stack ?? String(e)}`);
        rec = { ...base, result: 'error', summary: `error: ${(e as Error).message}`, measured: {} };
      }
    }
    lines.push(`result: ${rec.result}: ${rec.summary}`);
    for (const [k, v] of Object.entries(rec.measured)) lines.push(`measured ${k} = ${v}`);
    evidence.set(`${dir}/log.txt`, enc.encode(`${lines.join('\n')}\n`));
    records.push({ ...rec, evidence: [`${dir}/log.txt`, ...files] });
    done++;
  }
  o.onProgress?.(done, checks.length, '');

  const native = o.native === false ? { status: 'skipped' as const, detail: 'not run (--no-native)' } : await nativeSelfTest(mut.bytes, mut.sha256);
  evidence.set('evidence/native-selftest.txt', enc.encode(`${native.status}: ${native.detail}\n`));

  const a = assess(catalogue, records, facts, slTarget, accept?.entries ?? new Map());
  const count = (r: string) => records.filter((k) => k.result === r).length;
  const report: Report = {
    reportVersion: 1,
    generatedAt: new Date().toISOString(),
    tool: toolInfo(),
    module: {
      source: mut.source, sha256: mut.sha256, size: mut.size, abiVersion: mut.abiVersion, caps: mut.caps, capabilities: mut.capabilities,
      exports: mut.exports.size, imports: mut.imports, memoryBytes: mut.memoryBytes,
      parts: Object.values(PARTS).filter((p) => p.id !== 'integrator').map((p) => ({ id: p.id, name: p.name, present: p.present(facts), detection: p.detection })),
    },
    profile: { source: profile.source, name: profile.profile.name, sha256: profile.sha256 },
    accept: { source: o.acceptPath ?? null, sha256: accept?.sha256 ?? null, entries: accept?.entries.size ?? 0 },
    options: { slTarget, native: o.native !== false },
    native,
    summary: { ...a.summary, checks: { total: records.length, pass: count('pass'), fail: count('fail'), error: count('error'), notImplemented: count('not-implemented') } },
    frs: a.frs,
    items: a.items,
    checks: records,
    gaps: a.gaps,
  };
  return { report, evidence };
}
