// The command line's shared parts: one description per subcommand (from
// which both the parser and its --help are made), the exit codes, argument
// checks that report every problem at once, and bounded reads of the files
// named on the command line (each error names its argument).

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { readFileBounded, FileTooLargeError } from './atomic_file.js';
import { parsePrivateKey, parsePublicKey, type PrivateKeyInfo, type PublicKeyInfo } from './keys.js';
import { parseUuid } from './manifest.js';

/** The exit codes of every subcommand. */
export const EXIT = { OK: 0, REFUSED: 1, USAGE: 2, FAILED: 3 } as const;

export const EXIT_CODES_TEXT = `exit codes:
  0  done: accepted, passed, or the change was made (and saved)
  1  refused: the module refused the manifest, statement, backup or change, or a boot check failed
  2  usage: an argument was rejected before any work: unknown or missing option, bad value, or a
     file or directory named on the command line is missing, of the wrong kind, unreadable or too long
  3  failed: the device state could not be used or saved: not provisioned, damaged or rolled back
     (fail-secure), locked by another process past the timeout, directory unwritable, disk full
`;

/** A command line the tool rejects before doing any work (exit 2); carries every problem found. */
export class UsageError extends Error {
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.join('; '));
    this.name = 'UsageError';
    this.problems = list;
  }
}

/** The device state could not be used or saved (exit 3). */
export class StateUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateUseError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in help (FILE, UUID, N ...). */
  arg?: string;
  help: string;
  required?: boolean;
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** Synopsis lines, without the leading "iacsec NAME". */
  synopsis: string[];
  options: Record<string, OptionSpec>;
  /** Free text after the options (what the command does, its rules). */
  notes?: string;
  examples: string[];
  /** Positional arguments allowed (with their names for help and errors). */
  positionals?: { name: string; help: string }[];
  run(v: Values, positionals: string[]): Promise<number>;
}

export const MODULE_OPTION: OptionSpec = { type: 'string', arg: 'PATH', help: 'use another build of the module (default: the bundled build/iacsec.wasm)' };
export const JSON_OPTION: OptionSpec = { type: 'boolean', help: 'print the result as one JSON object on stdout' };
const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'this help' };

function optionLine(name: string, o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  const tags = [o.required ? 'required' : '', o.multiple ? 'repeatable' : ''].filter(Boolean).join(', ');
  return `  ${flag.padEnd(28)} ${o.help}${tags ? ` (${tags})` : ''}`;
}

/** The --help text of one subcommand: synopsis, options, notes, examples, exit codes. */
export function commandHelp(spec: CommandSpec): string {
  const lines = [`usage: ${spec.synopsis.map((s, i) => `${i === 0 ? '' : '       '}iacsec ${spec.name} ${s}`).join('\n')}`, '', spec.summary, ''];
  if (spec.positionals?.length) {
    lines.push('arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(28)} ${p.help}`);
    lines.push('');
  }
  lines.push('options:');
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP_OPTION })) lines.push(optionLine(name, o));
  lines.push('');
  if (spec.notes) lines.push(spec.notes.trimEnd(), '');
  lines.push(spec.examples.length > 1 ? 'examples:' : 'example:');
  for (const e of spec.examples) lines.push(`  ${e}`);
  lines.push('', EXIT_CODES_TEXT);
  return lines.join('\n');
}

/**
 * Parses argv against the spec. Unknown options, values of the wrong kind,
 * and every missing required option are reported together as one UsageError.
 */
export function parseCommand(spec: CommandSpec, argv: string[]): { values: Values; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP_OPTION })) {
    options[name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  }
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true }) as unknown as typeof parsed;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const problems: string[] = [];
  const allowed = spec.positionals?.length ?? 0;
  if (parsed.positionals.length > allowed) {
    problems.push(`unexpected argument '${parsed.positionals[allowed]}'`);
  }
  const missing = Object.entries(spec.options)
    .filter(([name, o]) => o.required && (parsed.values[name] === undefined || parsed.values[name] === ''))
    .map(([name]) => `--${name}`);
  for (const p of spec.positionals?.slice(parsed.positionals.length) ?? []) missing.push(p.name);
  if (missing.length > 0) problems.push(`missing required ${missing.length === 1 ? 'option' : 'options'}: ${missing.join(', ')}`);
  if (problems.length > 0) throw new UsageError(problems);
  return parsed;
}

/**
 * Collects argument problems; `done()` throws them as one UsageError. Each
 * check returns its value, or undefined after recording a problem.
 */
export class Checks {
  readonly problems: string[] = [];
  constructor(readonly v: Values) {}

  add(problem: string): void { this.problems.push(problem); }

  str(name: string): string | undefined {
    const x = this.v[name];
    return typeof x === 'string' ? x : undefined;
  }

  list(name: string): string[] {
    const x = this.v[name];
    return Array.isArray(x) ? x : typeof x === 'string' ? [x] : [];
  }

  flag(name: string): boolean { return this.v[name] === true; }

  uuid(name: string): Uint8Array | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    try { return parseUuid(s); } catch (e) { this.add(`--${name}: ${(e as Error).message}`); return undefined; }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T | undefined {
    const s = this.str(name) ?? fallback;
    if (s === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(s)) {
      this.add(`--${name} must be ${allowed.slice(0, -1).join(', ')}${allowed.length > 1 ? ' or ' : ''}${allowed[allowed.length - 1]} (got '${s}')`);
      return undefined;
    }
    return s as T;
  }

  /** An unsigned integer below 2^64. */
  u64(name: string): bigint | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    if (!/^[0-9]{1,20}$/.test(s) || BigInt(s) >= 1n << 64n) {
      this.add(`--${name} must be an unsigned integer below 2^64 (got '${s}')`);
      return undefined;
    }
    return BigInt(s);
  }

  /** UTF-8 text of min..max bytes. */
  text(name: string, min: number, max: number, value = this.str(name)): string | undefined {
    if (value === undefined) return undefined;
    const n = Buffer.byteLength(value, 'utf8');
    if (n < min || n > max) {
      this.add(`--${name} must be ${min} to ${max} bytes of UTF-8 (got ${n})`);
      return undefined;
    }
    return value;
  }

  /** Even-length hex of min..max bytes. */
  hex(name: string, min: number, max: number): Uint8Array | undefined {
    const s = this.str(name);
    if (s === undefined) return undefined;
    if (!/^([0-9a-fA-F]{2})*$/.test(s) || s.length / 2 < min || s.length / 2 > max) {
      this.add(`--${name} must be ${min} to ${max} bytes as even-length hex (got '${s}')`);
      return undefined;
    }
    return new Uint8Array(Buffer.from(s, 'hex'));
  }

  done(): void {
    if (this.problems.length > 0) throw new UsageError(this.problems);
  }
}

/** The flag as shown in messages: "--manifest", "-o", or a positional's label as given ("backup file"). */
export function flagName(name: string): string {
  if (!/^[a-z][a-z-]*$/.test(name)) return name;
  if (name === 'out') return '-o';
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** An input file's problem in words, for "<flag> <path>: <problem>". */
function fileProblem(e: unknown, limit: number, what: string): string {
  if (e instanceof FileTooLargeError) return `longer than ${limit} bytes, the most a ${what} may be (refused after reading ${limit + 1} bytes)`;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'ENOTREG') return `not a regular file (a FIFO, socket or device cannot be a ${what})`;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  return (e as Error).message;
}

/**
 * Reads an input file named by an option, at most `limit` bytes (limit + 1
 * are read to tell a longer one), refusing FIFOs, devices and directories
 * without waiting on them. Every problem is a UsageError naming the option.
 */
export async function readInput(flag: string, path: string, limit: number, what: string): Promise<Uint8Array> {
  try {
    return await readFileBounded(path, limit);
  } catch (e) {
    throw new UsageError(`${flagName(flag)} ${path}: ${fileProblem(e, limit, what)}`);
  }
}

/** Key files are small: a JWK, a PEM or a COSE_Key is well under this. */
export const KEY_FILE_MAX_BYTES = 16384;

export async function readPublicKeyInput(flag: string, path: string, kid?: Uint8Array): Promise<PublicKeyInfo> {
  const data = await readInput(flag, path, KEY_FILE_MAX_BYTES, 'key file');
  try {
    return parsePublicKey(data, kid);
  } catch (e) {
    throw new UsageError(`${flagName(flag)} ${path}: not a usable public key (.cose_key, .pub.pem or .key): ${(e as Error).message}`);
  }
}

export async function readPrivateKeyInput(flag: string, path: string): Promise<PrivateKeyInfo> {
  const data = await readInput(flag, path, KEY_FILE_MAX_BYTES, 'key file');
  try {
    return parsePrivateKey(Buffer.from(data).toString('utf8'));
  } catch (e) {
    throw new UsageError(`${flagName(flag)} ${path}: ${(e as Error).message}`);
  }
}

/**
 * An image to stream: it must exist and not be a directory. Devices and
 * pipes are allowed (the module refuses an image as soon as it passes the
 * size its manifest declares, so /dev/zero ends at once).
 */
export async function checkImageInput(flag: string, path: string): Promise<string> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    await access(path, constants.R_OK);
    return path;
  } catch (e) {
    throw new UsageError(`${flagName(flag)} ${path}: ${fileProblem(e, 0, 'image')}`);
  }
}

/** An output file: its directory must exist; an existing directory at the path is refused. */
export async function checkOutputPath(flag: string, path: string, problems: Checks): Promise<void> {
  const dir = dirname(path);
  const d = await stat(dir).catch(() => undefined);
  if (!d) { problems.add(`${flagName(flag)} ${path}: the directory ${dir} does not exist`); return; }
  if (!d.isDirectory()) { problems.add(`${flagName(flag)} ${path}: ${dir} is not a directory`); return; }
  const f = await stat(path).catch(() => undefined);
  if (f?.isDirectory()) problems.add(`${flagName(flag)} ${path}: is a directory, not a file`);
}

/** A --module path: must be a regular file (the loader reads it). */
export async function checkModuleInput(v: Values): Promise<string | undefined> {
  const p = v.module;
  if (typeof p !== 'string') return undefined;
  try {
    const st = await stat(p);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!st.isFile()) throw Object.assign(new Error('not regular'), { code: 'ENOTREG' });
  } catch (e) {
    throw new UsageError(`--module ${p}: ${fileProblem(e, 0, 'module')}`);
  }
  return p;
}

/** JSON with 64-bit values (counters, sizes, generations) as decimal strings and bytes as lowercase hex. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, x) => {
    if (typeof x === 'bigint') return x.toString();
    if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
    return x;
  }, 2);
}
