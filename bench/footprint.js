// The module's footprint: file size (raw and gzip), code and data section
// sizes, and its fixed linear memory.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

function sections(bytes) {
  const out = {};
  let pos = 8;
  const leb = () => { let r = 0, s = 0, b; do { b = bytes[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const names = { 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export', 10: 'code', 11: 'data', 0: 'custom' };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const name = names[id] ?? `section ${id}`;
    out[name] = (out[name] ?? 0) + size;
    pos += size;
  }
  return out;
}

export function footprint(api, path) {
  const bytes = new Uint8Array(readFileSync(path));
  const info = api.info();
  const s = sections(bytes);
  const result = {
    fileBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    codeBytes: s.code ?? 0,
    dataBytes: s.data ?? 0,
    memoryBytes: info.memoryBytes,
    memoryFixed: info.memoryPages.initial === info.memoryPages.maximum,
    ioBytes: info.ioBytes,
  };
  console.log('\nFootprint');
  console.log(`  module file      ${result.fileBytes} bytes (${(result.fileBytes / 1024).toFixed(1)} KiB), gzip -9 ${result.gzipBytes} bytes`);
  console.log(`  code section     ${result.codeBytes} bytes`);
  console.log(`  data section     ${result.dataBytes} bytes (constants and precomputed tables)`);
  console.log(`  linear memory    ${result.memoryBytes} bytes, fixed: ${result.memoryFixed}; I/O area ${result.ioBytes} bytes`);
  const met = result.fileBytes < 65536;
  console.log(`  goal: module under 64 KiB: ${result.fileBytes} bytes ${met ? 'MET' : 'NOT MET'}`);
  return { result, goal: { goal: 'module file under 64 KiB', reached: result.fileBytes, target: 65536, met } };
}
