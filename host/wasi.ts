// The host's own minimal WASI preview 1 imports: a clock, entropy from the
// platform's CSPRNG, and fd_write to a logger. No file system, no
// environment, no arguments: the module gets nothing else.

import { randomFillSync } from 'node:crypto';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_FAULT = 21;
const ERRNO_INVAL = 28;
const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;

/** Thrown by proc_exit: the module asked to stop (only an abort does that). */
export class WasiExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`iacsec module exited with code ${exitCode}`);
    this.name = 'WasiExit';
    this.exitCode = exitCode;
  }
}

export type Logger = (line: string) => void;

export function createWasiImports(getMemory: () => WebAssembly.Memory, log: Logger, realtime: () => bigint = () => BigInt(Date.now()) * 1_000_000n) {
  const view = () => new DataView(getMemory().buffer);
  const inBounds = (ptr: number, len: number) => ptr >= 0 && len >= 0 && ptr + len <= getMemory().buffer.byteLength;
  const pending = new Map<number, string>();
  const decoder = new TextDecoder();

  return {
    wasi_snapshot_preview1: {
      clock_time_get(id: number, _precision: bigint, out: number): number {
        if (!inBounds(out, 8)) return ERRNO_FAULT;
        let ns: bigint;
        if (id === CLOCK_REALTIME) ns = realtime();
        else if (id === CLOCK_MONOTONIC) ns = process.hrtime.bigint();
        else return ERRNO_INVAL;
        view().setBigUint64(out, ns, true);
        return ERRNO_SUCCESS;
      },
      random_get(buf: number, len: number): number {
        if (!inBounds(buf, len)) return ERRNO_FAULT;
        randomFillSync(new Uint8Array(getMemory().buffer, buf, len));
        return ERRNO_SUCCESS;
      },
      fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
        if (fd !== 1 && fd !== 2) return ERRNO_BADF;
        if (!inBounds(iovs, iovsLen * 8) || !inBounds(nwritten, 4)) return ERRNO_FAULT;
        const dv = view();
        let total = 0;
        let text = pending.get(fd) ?? '';
        for (let i = 0; i < iovsLen; i++) {
          const ptr = dv.getUint32(iovs + i * 8, true);
          const len = dv.getUint32(iovs + i * 8 + 4, true);
          if (!inBounds(ptr, len)) return ERRNO_FAULT;
          text += decoder.decode(new Uint8Array(getMemory().buffer, ptr, len));
          total += len;
        }
        const lines = text.split('\n');
        pending.set(fd, lines.pop() ?? '');
        for (const line of lines) log(line);
        dv.setUint32(nwritten, total, true);
        return ERRNO_SUCCESS;
      },
      proc_exit(code: number): never {
        const rest = [...pending.values()].filter(Boolean);
        for (const line of rest) log(line);
        pending.clear();
        throw new WasiExit(code);
      },
    },
  };
}
