// The audit subcommands of the iacsec command line (CR 3.9, CR 6.1):
// verify an exported or drained log, show its records read-only.
// Exit codes: 0 verified (or shown), 1 not verified or an error, 2 usage error.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyLog, exportItems, type VerifyResult } from './audit_verify.js';
import { decodeRecord, recordToJson, CATEGORIES, type AuditRecord } from './audit_record.js';
import { parseCheckpoint } from './audit_note.js';
import { drainFiles } from './audit_drain.js';
import { statePaths, readSealKeyFile } from './state_store.js';
import { loadModule } from './index.js';
import { Audit } from './audit.js';

export const AUDIT_USAGE = `audit commands (tamper-evident audit log, CR 3.9, CR 6.1):
  audit verify (FILE... | --state DIR) [--pubkey KEY] [--seal-key HEX --seal-first N] [--checkpoint NOTE] [--json]
             checks an exported or drained log (files in order, oldest first); names the first
             item that is wrong and how far the log is proven; KEY: the device public key as
             64 hex digits, base64, or a file holding either or the 32 raw bytes; NOTE: a file
             with a later checkpoint (e.g. from the syslog collector) the log must reach.
             exit 0 only when the log verifies and is proven (needs --pubkey, or --state)
             --state DIR: the device state directory's audit files (DIR/audit.cbor.N .. audit.cbor,
             written at every change of state), checked with DIR's device key unless --pubkey
  audit show (FILE... | --state DIR) [--json] [--since SEQ] [--category C]
             prints the records read-only; C: ${Object.keys(CATEGORIES).join(', ')}
  audit pubkey --state DIR
             prints the device public key (hex) that verifies DIR's audit log: give it to the auditor
`;

export const AUDIT_COMMANDS = new Set(['audit']);

class UsageError extends Error {}

async function readKey(v: string): Promise<Uint8Array> {
  const fromText = (s: string): Uint8Array | undefined => {
    const t = s.trim();
    if (/^[0-9a-fA-F]{64}$/.test(t)) return new Uint8Array(Buffer.from(t, 'hex'));
    if (/^[A-Za-z0-9+/]{43}=$/.test(t)) return new Uint8Array(Buffer.from(t, 'base64'));
    return undefined;
  };
  const direct = fromText(v);
  if (direct) return direct;
  let raw: Buffer;
  try { raw = await readFile(v); } catch { throw new UsageError(`--pubkey: '${v}' is neither a key (hex or base64) nor a readable file`); }
  if (raw.length === 32) return new Uint8Array(raw);
  const k = fromText(raw.toString('utf8'));
  if (!k) throw new UsageError(`--pubkey: ${v} holds no 32-byte key (hex, base64 or raw)`);
  return k;
}

async function readFiles(files: string[]): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for (const f of files) {
    try { parts.push(await readFile(f)); } catch (e) { throw new Error(`${f}: ${(e as Error).message}`); }
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The audit files of a state directory, oldest first. */
async function stateFiles(dir: string): Promise<string[]> {
  const files = await drainFiles(dir);
  if (files.length === 0) throw new Error(`${dir}: no audit files (audit.cbor) here`);
  return files;
}

/** The device public key of a state directory (derived in the module from DIR/device.key). */
async function statePublicKey(dir: string): Promise<Uint8Array> {
  const secret = await readSealKeyFile(statePaths(dir).deviceSecret);
  const a = new Audit(await loadModule());
  a.setDeviceSecret(secret);
  secret.fill(0);
  return a.devicePublicKey();
}

function report(r: VerifyResult, keyed: boolean): string {
  const lines: string[] = [];
  lines.push(`items ${r.items}, records ${r.records} (seq ${r.firstSeq ?? '-'}..${r.lastSeq ?? '-'}), checkpoints ${r.checkpoints}`);
  if (r.declaredGaps.length) lines.push(`losses the log records: ${r.declaredGaps.map(([a, b]) => `${a}..${b}`).join(', ')}`);
  if (r.sealsUnchecked) lines.push(`seals of ${r.sealsUnchecked} checkpoint${r.sealsUnchecked === 1 ? '' : 's'} not checked (give --seal-key to check them)`);
  if (r.skipped.length) lines.push(`numbers skipped at ${r.skipped.length} restart${r.skipped.length === 1 ? '' : 's'} (the chain is unbroken: nothing is missing)`);
  if (r.problem) lines.push(`FAILED at item ${r.problem.item} (byte ${r.problem.offset}): ${r.problem.kind}: ${r.problem.message}`);
  if (!keyed) lines.push('signatures NOT checked (no --pubkey): nothing is proven');
  else if (r.provenThrough > 0n) lines.push(`proven through record ${r.provenThrough} (checkpoint ${r.provenCheckpoint})`);
  else lines.push('proven: nothing');
  lines.push(r.ok && keyed ? 'VERIFIED' : 'NOT VERIFIED');
  return lines.join('\n');
}

async function verify(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: {
      pubkey: { type: 'string' }, 'seal-key': { type: 'string' }, 'seal-first': { type: 'string' },
      checkpoint: { type: 'string' }, json: { type: 'boolean', default: false }, state: { type: 'string' },
    },
  });
  if (positionals.length === 0 && values.state === undefined) throw new UsageError('audit verify needs a FILE or --state DIR');
  if (positionals.length > 0 && values.state !== undefined) throw new UsageError('audit verify takes FILE... or --state DIR, not both');
  const files = values.state !== undefined ? await stateFiles(values.state) : positionals;
  const publicKey = values.pubkey ? await readKey(values.pubkey) : values.state !== undefined ? await statePublicKey(values.state) : undefined;
  let seal;
  if (values['seal-key'] !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(values['seal-key'])) throw new UsageError('--seal-key is 64 hex digits');
    if (!values['seal-first'] || !/^[1-9][0-9]*$/.test(values['seal-first'])) throw new UsageError('--seal-key needs --seal-first N (the first sealed checkpoint)');
    seal = { key: new Uint8Array(Buffer.from(values['seal-key'], 'hex')), first: BigInt(values['seal-first']) };
  }
  let latest: string | undefined;
  if (values.checkpoint) {
    latest = await readFile(values.checkpoint, 'utf8');
    parseCheckpoint(latest);
  }
  const bytes = await readFiles(files);
  const r = verifyLog(bytes, { publicKey, seal, latest });
  const ok = r.ok && publicKey !== undefined;
  if (values.json) {
    console.log(JSON.stringify({
      verified: ok, signaturesChecked: publicKey !== undefined, items: r.items, records: r.records, checkpoints: r.checkpoints,
      firstSeq: r.firstSeq?.toString(), lastSeq: r.lastSeq?.toString(), provenThrough: r.provenThrough.toString(),
      provenCheckpoint: r.provenCheckpoint?.toString(), declaredGaps: r.declaredGaps.map(([a, b]) => [a.toString(), b.toString()]),
      skipped: r.skipped.map(([a, b]) => [a.toString(), b.toString()]),
      problem: r.problem ? { ...r.problem, seq: r.problem.seq?.toString() } : undefined,
    }, null, 2));
  } else {
    console.log(report(r, publicKey !== undefined));
  }
  return ok ? 0 : 1;
}

function line(r: AuditRecord): string {
  const who = [r.iface, r.peer, r.subject].filter(Boolean).join(' ');
  const detail = r.event
    ? `status ${r.event.status} a ${r.event.a} b ${r.event.b}${r.event.component ? ` component ${Buffer.from(r.event.component).toString()}` : ''}`
    : r.detail ? `detail ${Buffer.from(r.detail).toString('hex')}` : '';
  return [String(r.seq).padStart(8), new Date(r.time).toISOString(), r.clockSync === 'synchronized' ? 'sync' : 'nosync',
    r.category, `${r.typeName ?? r.type}`, r.outcome, who, detail].filter(Boolean).join('  ');
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { json: { type: 'boolean', default: false }, since: { type: 'string' }, category: { type: 'string' }, state: { type: 'string' } },
  });
  if (positionals.length === 0 && values.state === undefined) throw new UsageError('audit show needs a FILE or --state DIR');
  if (positionals.length > 0 && values.state !== undefined) throw new UsageError('audit show takes FILE... or --state DIR, not both');
  if (values.since !== undefined && !/^[0-9]+$/.test(values.since)) throw new UsageError('--since is a sequence number');
  if (values.category !== undefined && !(values.category in CATEGORIES)) {
    throw new UsageError(`--category: one of ${Object.keys(CATEGORIES).join(', ')}`);
  }
  const since = values.since !== undefined ? BigInt(values.since) : 0n;
  const bytes = await readFiles(values.state !== undefined ? await stateFiles(values.state) : positionals);
  const seen = new Set<bigint>();
  for (const it of exportItems(bytes)) {
    if (it.kind !== 'record') continue;
    const r = decodeRecord(it.record!);
    if (seen.has(r.seq)) continue;   // a record exported twice is shown once
    seen.add(r.seq);
    if (r.seq < since || (values.category && r.category !== values.category)) continue;
    console.log(values.json ? JSON.stringify(recordToJson(r)) : line(r));
  }
  return 0;
}

async function pubkey(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { state: { type: 'string' } } });
  if (values.state === undefined) throw new UsageError('audit pubkey needs --state DIR');
  console.log(Buffer.from(await statePublicKey(values.state)).toString('hex'));
  return 0;
}

export async function runAuditCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'verify': return await verify(rest);
      case 'show': return await show(rest);
      case 'pubkey': return await pubkey(rest);
      default: throw new UsageError(sub ? `unknown audit command '${sub}'` : 'audit needs a command');
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`iacsec audit: ${(e as Error).message}\n${AUDIT_USAGE}`);
      return 2;
    }
    process.stderr.write(`iacsec audit: ${(e as Error).message}\n`);
    return 1;
  }
}
