// Reads the linear-memory limits out of a WebAssembly binary (memory
// section, id 5), so `iacsec info` can state them without trusting the module.

function readLeb(bytes: Uint8Array, at: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (at.pos >= bytes.length || shift > 28) throw new Error('truncated or oversized LEB128 in module');
    const b = bytes[at.pos++];
    result += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return result;
    shift += 7;
  }
}

export interface MemoryLimits { initial: number; maximum: number | undefined; }

/** Limits of the first memory the module defines, in 64 KiB pages; undefined if it defines none. */
export function memoryLimits(bytes: Uint8Array): MemoryLimits | undefined {
  const at = { pos: 8 };
  while (at.pos < bytes.length) {
    const id = bytes[at.pos++];
    const size = readLeb(bytes, at);
    const end = at.pos + size;
    if (id === 5) {
      const count = readLeb(bytes, at);
      if (count === 0) return undefined;
      const flags = readLeb(bytes, at);
      const initial = readLeb(bytes, at);
      const maximum = flags & 1 ? readLeb(bytes, at) : undefined;
      return { initial, maximum };
    }
    at.pos = end;
  }
  return undefined;
}
