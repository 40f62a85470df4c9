// A small JSON Schema (draft-07) validator for the shapes the suite reads
// (the configuration report's schema, host/config_report.schema.json): type
// (with integer and null), const, enum, pattern, required, properties,
// additionalProperties false, items. A keyword outside this list is refused
// (so a schema this validator cannot check is never taken as passed).
// Returns every violation with its JSON path; an empty list means valid.

type Schema = Record<string, unknown>;
const KNOWN = new Set(['$schema', '$id', 'title', 'description', 'type', 'const', 'enum', 'pattern', 'required', 'properties',
  'additionalProperties', 'items', 'minimum']);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(schema: Schema, v: unknown, path = '$', out: string[] = []): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) { out.push(`${path}: schema keyword '${k}' is not supported`); return out; }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) { out.push(`${path}: ${t}, not ${types.join(' or ')}`); return out; }
  }
  if ('const' in schema && v !== schema.const) out.push(`${path}: not ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(v)) out.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof schema.pattern === 'string' && typeof v === 'string' && !new RegExp(schema.pattern).test(v)) out.push(`${path}: does not match ${schema.pattern}`);
  if (typeof schema.minimum === 'number' && typeof v === 'number' && v < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
  if (typeOf(v) === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in o)) out.push(`${path}: '${r}' missing`);
    const props = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [k, x] of Object.entries(o)) {
      if (props[k]) validate(props[k], x, `${path}.${k}`, out);
      else if (schema.additionalProperties === false) out.push(`${path}: '${k}' is not in the schema`);
    }
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => validate(schema.items as Schema, x, `${path}[${i}]`, out));
  return out;
}
