// A small reader of a WebAssembly binary's type, import, function and export
// sections: enough to state every export's signature without trusting the
// module's own answers.

function reader(bytes) {
  let pos = 0;
  const r = {
    get pos() { return pos; },
    set pos(p) { pos = p; },
    byte() { return bytes[pos++]; },
    leb() {
      let result = 0, shift = 0, b;
      do { b = bytes[pos++]; result |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
      return result >>> 0;
    },
    name() { const n = r.leb(); const s = Buffer.from(bytes.subarray(pos, pos + n)).toString('utf8'); pos += n; return s; },
  };
  return r;
}

const VALTYPES = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };

export function readSections(bytes) {
  const r = reader(bytes);
  r.pos = 8;
  const types = [];
  const funcTypes = [];
  const imports = [];
  const exports = [];
  let importedFuncs = 0;
  let memory;
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.leb(); n > 0; n--) {
        r.byte(); // 0x60
        const params = []; for (let k = r.leb(); k > 0; k--) params.push(VALTYPES[r.byte()]);
        const results = []; for (let k = r.leb(); k > 0; k--) results.push(VALTYPES[r.byte()]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = r.leb(); n > 0; n--) {
        const module = r.name(), name = r.name(), kind = r.byte();
        if (kind === 0) { funcTypes.push(r.leb()); importedFuncs++; }
        else if (kind === 1) { r.byte(); const f = r.leb(); r.leb(); if (f & 1) r.leb(); }
        else if (kind === 2) { const f = r.leb(); r.leb(); if (f & 1) r.leb(); }
        else if (kind === 3) { r.byte(); r.byte(); }
        imports.push({ module, name, kind });
      }
    } else if (id === 3) {
      for (let n = r.leb(); n > 0; n--) funcTypes.push(r.leb());
    } else if (id === 5) {
      r.leb();
      const flags = r.leb();
      memory = { initial: r.leb(), maximum: flags & 1 ? r.leb() : undefined };
    } else if (id === 7) {
      for (let n = r.leb(); n > 0; n--) {
        const name = r.name(), kind = r.byte(), index = r.leb();
        exports.push({ name, kind, index });
      }
    }
    r.pos = end;
  }
  const functions = {};
  for (const e of exports) if (e.kind === 0) functions[e.name] = types[funcTypes[e.index]];
  return { imports, exports, functions, memory, importedFuncs };
}
