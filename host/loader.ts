// Loads a build of iacsec.wasm: checks its imports are ones this host
// provides, instantiates it with the host's WASI imports, runs the power-on
// self-test (CR 3.3), and refuses a module that fails it.

import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createWasiImports, type Logger } from './wasi.js';
import { IacsecSelfTestError } from './errors.js';
import { ALLOWED_IMPORTS, SELFTEST_IDS, STATUS } from '../bindings/abi.js';
import { memoryLimits, type MemoryLimits } from './wasm_info.js';

/** The release module built by `npm install` (build/iacsec.wasm). */
export const DEFAULT_MODULE_PATH = fileURLToPath(new URL('../../build/iacsec.wasm', import.meta.url));

const PROVIDED_IMPORTS = new Set<string>(ALLOWED_IMPORTS);

export interface LoadOptions {
  /** Another build of the module, as a file path or URL (default: the bundled release build). */
  path?: string | URL;
  /** The module's bytes, instead of a path. */
  bytes?: Uint8Array;
  /** Where the module's own output (fd_write) goes; default: stderr. */
  log?: Logger;
  /** The real-time clock the module reads (audit timestamps), in ns since the Unix epoch; default: the system clock. */
  clock?: () => bigint;
}

export interface LoadedModule {
  readonly exports: Record<string, (...args: number[]) => number> & { memory: WebAssembly.Memory };
  readonly memory: WebAssembly.Memory;
  readonly source: string;
  readonly sha256: string;
  readonly size: number;
  readonly imports: string[];
  readonly exportNames: string[];
  readonly memoryPages: MemoryLimits;
}

export async function instantiate(options: LoadOptions = {}): Promise<LoadedModule> {
  const source = options.bytes ? '<bytes>' : String(options.path ?? DEFAULT_MODULE_PATH);
  const bytes = options.bytes ?? new Uint8Array(await readFile(options.path ?? DEFAULT_MODULE_PATH));
  const module = await WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  const unknown = imports.filter((name) => !PROVIDED_IMPORTS.has(name));
  if (unknown.length > 0) throw new Error(`${source}: imports that this host does not provide: ${unknown.join(', ')}`);

  let memory: WebAssembly.Memory | undefined;
  const log = options.log ?? ((line: string) => process.stderr.write(`iacsec: ${line}\n`));
  const wasi = createWasiImports(() => {
    if (!memory) throw new Error('module memory used before instantiation finished');
    return memory;
  }, log, options.clock);
  const instance = await WebAssembly.instantiate(module, wasi);
  const exports = instance.exports as LoadedModule['exports'];
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new Error(`${source}: exports no memory`);
  memory = exports.memory;
  if (typeof exports._initialize === 'function') exports._initialize();

  return {
    exports,
    memory,
    source,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.byteLength,
    imports,
    exportNames: WebAssembly.Module.exports(module).map((e) => e.name),
    memoryPages: memoryLimits(bytes) ?? { initial: memory.buffer.byteLength / 65536, maximum: undefined },
  };
}

/** Runs the self-test; throws IacsecSelfTestError when any known-answer test fails. */
export function requireSelfTest(loaded: LoadedModule): void {
  const status = loaded.exports.iacsec_selftest();
  if (status !== STATUS.OK.code) {
    const id = loaded.exports.iacsec_selftest_failed();
    throw new IacsecSelfTestError(id, SELFTEST_IDS[id] ?? `unknown test (status ${status})`);
  }
}
