// The host's one home for CBOR (RFC 8949). Encoding goes through cbor-x with
// its extensions off; decoding is our own strict reader, because whatever the
// host decodes may matter for security (COSE_Key files, COSE_Sign1 headers
// shown to an operator) and must read exactly as the module reads it.
//
// The reader accepts the deterministic subset the module accepts
// (section 4.2.1): definite lengths, every argument in its shortest form,
// valid UTF-8 text, no duplicate map keys, at most MAX_DEPTH levels, and no
// bytes after the item. It knows no extension tags (cbor-x's records, packed
// or shared values), no floats and no simple values but false, true and null,
// so no byte can mean one thing to the host and another to the module. A
// value that passes decodes to exactly one encoding, so re-encoding it gives
// the same bytes (tests/host/cbor.test.js checks this against cbor-x).

import { Encoder, Tag } from 'cbor-x';

export { Tag };

const encoder = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false, pack: false } as never);

/** Encodes with cbor-x: Maps keep insertion order, so callers insert keys in deterministic order. */
export function cborEncode(value: unknown): Uint8Array {
  return new Uint8Array(encoder.encode(value));
}

/** A CBOR input the strict reader refuses, with the byte offset where it failed. */
export class CborError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`CBOR: ${message} (at byte ${offset})`);
    this.name = 'CborError';
    this.offset = offset;
  }
}

const MAX_DEPTH = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}

  fail(what: string): never { throw new CborError(what, this.pos); }

  byte(): number {
    if (this.pos >= this.b.byteLength) this.fail('unexpected end of input');
    return this.b[this.pos++];
  }

  /** The argument of a head with additional info ai, in its shortest form only. */
  argument(ai: number): bigint {
    if (ai < 24) return BigInt(ai);
    const n = ai === 24 ? 1 : ai === 25 ? 2 : ai === 26 ? 4 : ai === 27 ? 8 : 0;
    if (n === 0) this.fail(ai === 31 ? 'indefinite length is not accepted' : `reserved additional information ${ai}`);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.byte());
    const min = n === 1 ? 24n : n === 2 ? 0x100n : n === 4 ? 0x1_0000n : 0x1_0000_0000n;
    if (v < min) this.fail('argument not in its shortest form');
    return v;
  }

  bytes(n: bigint): Uint8Array {
    if (n > BigInt(this.b.byteLength - this.pos)) this.fail('length runs past the end of input');
    const out = this.b.slice(this.pos, this.pos + Number(n));
    this.pos += Number(n);
    return out;
  }

  item(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nested too deep');
    const start = this.pos;
    const h = this.byte();
    const mt = h >> 5;
    const ai = h & 31;
    if (mt === 7) {
      if (ai === 20) return false;
      if (ai === 21) return true;
      if (ai === 22) return null;
      this.pos = start;
      this.fail(ai >= 25 && ai <= 27 ? 'floats are not accepted' : `simple value ${ai} is not accepted`);
    }
    const arg = this.argument(ai);
    switch (mt) {
      case 0: return arg <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg) : arg;
      case 1: { const v = -1n - arg; return v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v; }
      case 2: return this.bytes(arg);
      case 3: {
        const raw = this.bytes(arg);
        try { return utf8.decode(raw); } catch { this.pos = start; return this.fail('text is not valid UTF-8'); }
      }
      case 4: {
        if (arg > BigInt(this.b.byteLength - this.pos)) this.fail('array longer than the input');
        const out: unknown[] = [];
        for (let i = 0n; i < arg; i++) out.push(this.item(depth + 1));
        return out;
      }
      case 5: {
        if (arg > BigInt(this.b.byteLength - this.pos)) this.fail('map longer than the input');
        const out = new Map<unknown, unknown>();
        const seen = new Set<string>();
        for (let i = 0n; i < arg; i++) {
          const keyStart = this.pos;
          const k = this.item(depth + 1);
          const keyBytes = Buffer.from(this.b.subarray(keyStart, this.pos)).toString('hex');
          if (seen.has(keyBytes)) { this.pos = keyStart; this.fail('duplicate map key'); }
          seen.add(keyBytes);
          out.set(k, this.item(depth + 1));
        }
        return out;
      }
      default: {
        const tag = arg <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg) : Number.NaN;
        return new Tag(this.item(depth + 1), tag);
      }
    }
  }
}

/** Decodes exactly one strict CBOR item filling all of `bytes`; throws CborError otherwise. */
export function cborDecode(bytes: Uint8Array): unknown {
  const r = new Reader(bytes);
  const v = r.item(0);
  if (r.pos !== bytes.byteLength) r.fail('bytes after the item');
  return v;
}
