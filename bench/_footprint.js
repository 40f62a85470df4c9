// The footprint of each build: file size (raw and gzip -9), code and data
// section sizes, exports, and its fixed linear memory (read from the file's
// memory section, not from a running instance).
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { memoryLimits } from '../dist/host/wasm_info.js';

const KIB = 1024;

function sections(bytes) {
  const out = {};
  let pos = 8;
  const leb = () => { let r = 0, s = 0, b; do { b = bytes[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const names = { 0: 'custom', 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export', 10: 'code', 11: 'data' };
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = leb();
    const name = names[id] ?? `section ${id}`;
    out[name] = (out[name] ?? 0) + size;
    pos += size;
  }
  return out;
}

/** builds: [{ name, path, limitKiB }]; a build whose file is missing is reported as such. */
export function footprint(builds) {
  return builds.map(({ name, path, limitKiB }) => {
    if (!existsSync(path)) return { name, path, missing: true, goal: { goal: `${name} under ${limitKiB} KiB`, reached: null, target: limitKiB * KIB, met: false, note: 'not built' } };
    const bytes = new Uint8Array(readFileSync(path));
    const s = sections(bytes);
    const mem = memoryLimits(bytes);
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).filter((e) => e.kind === 'function').length;
    const r = {
      name,
      path,
      fileBytes: bytes.length,
      gzipBytes: gzipSync(bytes, { level: 9 }).length,
      codeBytes: s.code ?? 0,
      dataBytes: s.data ?? 0,
      exports,
      memoryBytes: (mem?.initial ?? 0) * 65536,
      memoryFixed: mem ? mem.initial === mem.maximum : false,
    };
    const met = r.fileBytes < limitKiB * KIB;
    r.goal = { goal: `${name} under ${limitKiB} KiB`, reached: r.fileBytes, target: limitKiB * KIB, met };
    return r;
  });
}

export function footprintLines(items) {
  const lines = [];
  for (const f of items) {
    if (f.missing) { lines.push(`  ${f.name}: ${f.path} not built`); continue; }
    lines.push(`  ${f.name.padEnd(20)} ${String(f.fileBytes).padStart(7)} bytes (${(f.fileBytes / KIB).toFixed(1)} KiB, gzip -9 ${f.gzipBytes}), `
      + `code ${f.codeBytes}, data ${f.dataBytes}, ${f.exports} functions exported; `
      + `linear memory ${f.memoryBytes} bytes (${f.memoryBytes / KIB} KiB)${f.memoryFixed ? ', fixed' : ', may grow'}`);
  }
  return lines;
}
