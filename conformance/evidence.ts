// Writes the report folder and the evidence package, and verifies it.
//
// DIR/report.json, report.md, report.html, oscal-assessment-results.json,
// oscal-poam.json, evidence/<check>/log.txt and inputs, and
// DIR/manifest.json: the SHA-256 and size of every one of those files.
// With a signing key, DIR/manifest.cose is a COSE_Sign1 (RFC 9052, tag 18,
// signed by host/manifest.ts signCoseSign1) whose payload is
// {"manifest":"manifest.json","sha256":"<hex>"}, and DIR/signer.cose_key is
// the signer's public key. `iacsec conformance verify DIR` recomputes every
// digest, refuses changed, missing and unlisted files, and verifies the
// signature inside the module (iacsec_cose_sign1_verify).

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { STATUS } from '../bindings/abi.js';
import { loadModule } from '../host/index.js';
import { coseKeyDecode, coseKeyEncode, toHex, type PrivateKeyInfo, type PublicKeyInfo } from '../host/keys.js';
import { decodeCoseSign1, signCoseSign1 } from '../host/manifest.js';
import { assessmentResults, poam } from './oscal.js';
import { reportHtml } from './report_html.js';
import { reportMarkdown } from './report_md.js';
import type { SuiteResult } from './run.js';

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.cose';
export const SIGNER_KEY = 'signer.cose_key';
const PACKAGE_FILES = new Set([MANIFEST, SIGNATURE, SIGNER_KEY]);

export interface ManifestEntry { path: string; sha256: string; bytes: number }
export interface EvidenceManifest { manifestVersion: 1; algorithm: 'sha-256'; module: string; profile: string; files: ManifestEntry[] }

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const enc = new TextEncoder();

/** Every file the run writes, by path relative to the report folder. */
export function reportFiles(result: SuiteResult): Map<string, Uint8Array> {
  const { report, evidence } = result;
  const logs = new Map<string, string>();
  for (const [p, b] of evidence) if (p.endsWith('.txt')) logs.set(p, Buffer.from(b).toString('utf8'));
  const files = new Map<string, Uint8Array>(evidence);
  files.set('report.json', enc.encode(`${JSON.stringify(report, null, 2)}\n`));
  files.set('report.md', enc.encode(reportMarkdown(report)));
  files.set('report.html', enc.encode(reportHtml(report, logs)));
  files.set('oscal-assessment-results.json', enc.encode(`${JSON.stringify(assessmentResults(report), null, 2)}\n`));
  files.set('oscal-poam.json', enc.encode(`${JSON.stringify(poam(report), null, 2)}\n`));
  return files;
}

export function manifestOf(result: SuiteResult, files: ReadonlyMap<string, Uint8Array>): EvidenceManifest {
  return {
    manifestVersion: 1,
    algorithm: 'sha-256',
    module: result.report.module.sha256,
    profile: result.report.profile.sha256,
    files: [...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, b]) => ({ path, sha256: sha256(b), bytes: b.byteLength })),
  };
}

/** Writes the folder (replacing a previous run's files there); returns the paths written. */
export async function writeReport(dir: string, result: SuiteResult, signKey?: PrivateKeyInfo): Promise<string[]> {
  const files = reportFiles(result);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, 'evidence'), { recursive: true, force: true });
  for (const f of PACKAGE_FILES) await rm(join(dir, f), { force: true });
  for (const [p, b] of files) {
    await mkdir(dirname(join(dir, p)), { recursive: true });
    await writeFile(join(dir, p), b);
  }
  const manifest = enc.encode(`${JSON.stringify(manifestOf(result, files), null, 2)}\n`);
  await writeFile(join(dir, MANIFEST), manifest);
  const written = [...files.keys(), MANIFEST];
  if (signKey) {
    const payload = enc.encode(JSON.stringify({ manifest: MANIFEST, sha256: sha256(manifest) }));
    await writeFile(join(dir, SIGNATURE), signCoseSign1(signKey, payload));
    await writeFile(join(dir, SIGNER_KEY), coseKeyEncode(signKey));
    written.push(SIGNATURE, SIGNER_KEY);
  }
  return written;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  }
  return out.sort();
}

export interface VerifyResult {
  ok: boolean;
  files: number;
  signed: boolean;
  signer?: { kid: string; alg: string; pinned: boolean };
  problems: string[];
}

/**
 * Checks the package in dir. With `key`, the signature must be there and made
 * by that key; without it, a signature is checked against the embedded signer
 * key (and reported as not pinned).
 */
export async function verifyPackage(dir: string, key?: PublicKeyInfo): Promise<VerifyResult> {
  const problems: string[] = [];
  const res: VerifyResult = { ok: false, files: 0, signed: false, problems };
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = new Uint8Array(await readFile(join(dir, MANIFEST)));
  } catch {
    problems.push(`${MANIFEST} is missing`);
    return res;
  }
  let manifest: EvidenceManifest;
  try {
    manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as EvidenceManifest;
    if (manifest.manifestVersion !== 1 || !Array.isArray(manifest.files)) throw new Error('not a version 1 manifest');
  } catch (e) {
    problems.push(`${MANIFEST}: ${(e as Error).message}`);
    return res;
  }
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    if (f.path.startsWith('/') || f.path.split('/').includes('..')) { problems.push(`${f.path}: path outside the package`); continue; }
    let b: Uint8Array;
    try { b = new Uint8Array(await readFile(join(dir, f.path))); } catch { problems.push(`${f.path}: missing`); continue; }
    if (sha256(b) !== f.sha256 || b.byteLength !== f.bytes) problems.push(`${f.path}: changed (SHA-256 differs from the manifest)`);
    res.files++;
  }
  for (const p of await listFiles(dir)) if (!listed.has(p) && !PACKAGE_FILES.has(p)) problems.push(`${p}: not listed in the manifest`);

  if (existsSync(join(dir, SIGNATURE))) {
    res.signed = true;
    const cose = new Uint8Array(await readFile(join(dir, SIGNATURE)));
    let signer = key;
    if (!signer) {
      try { signer = coseKeyDecode(new Uint8Array(await readFile(join(dir, SIGNER_KEY)))); } catch (e) { problems.push(`${SIGNER_KEY}: ${(e as Error).message}`); }
    }
    if (signer) {
      res.signer = { kid: toHex(signer.kid), alg: signer.alg, pinned: key !== undefined };
      const api = await loadModule();
      const io = api.ioPtr;
      if (cose.byteLength + signer.publicKey.byteLength > api.ioBytes) {
        problems.push(`${SIGNATURE}: larger than the module's I/O area`);
      } else {
        api.heap().set(cose, io);
        const pk = io + ((cose.byteLength + 15) & ~15);
        api.heap().set(signer.publicKey, pk);
        const st = api.raw.iacsec_cose_sign1_verify(io, cose.byteLength, io, 0, pk, signer.publicKey.byteLength);
        if (st !== STATUS.OK.code) problems.push(`${SIGNATURE}: the signature does not verify with key ${toHex(signer.kid)} (status ${st})`);
        else {
          try {
            const payload = JSON.parse(Buffer.from(decodeCoseSign1(cose).payload).toString('utf8')) as { manifest: string; sha256: string };
            if (payload.manifest !== MANIFEST || payload.sha256 !== sha256(manifestBytes)) problems.push(`${SIGNATURE}: signs another ${MANIFEST} (digest differs)`);
          } catch (e) {
            problems.push(`${SIGNATURE}: payload: ${(e as Error).message}`);
          }
        }
      }
    }
  } else if (key) {
    problems.push(`${SIGNATURE} is missing: the package is not signed`);
  }
  res.ok = problems.length === 0;
  return res;
}
