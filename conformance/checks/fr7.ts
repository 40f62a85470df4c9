// FR7 Resource availability: least functionality (CR 7.7), component
// inventory (CR 7.8), and the profile's rate limits (CR 7.1). The access
// control and state parts add their capability checks here. See registry.ts.

import { ALLOWED_IMPORTS, EXPORTS } from '../../bindings/abi.js';
import { outcome, type Check } from './registry.js';

/** A minimal module that imports env.system (not on the host's list). */
function moduleImporting(module: string, name: string): Uint8Array {
  const str = (s: string) => [s.length, ...Buffer.from(s)];
  const type = [0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
  const body = [...str(module), ...str(name), 0x00, 0x00];
  const imp = [0x02, body.length + 1, 0x01, ...body];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imp]);
}

const leastImports: Check = {
  id: 'least.imports',
  title: 'The module imports only allowed WASI functions, and the host refuses a module that imports anything else',
  requirements: ['CR 7.7'],
  kind: 'capability',
  part: 'core',
  remedy: 'remove imports outside ALLOWED_IMPORTS from the build',
  async run(ctx) {
    const allowed = new Set<string>(ALLOWED_IMPORTS);
    const extra = ctx.module.imports.filter((i) => !allowed.has(i));
    ctx.log(`module imports: ${ctx.module.imports.length ? ctx.module.imports.join(', ') : 'none'}`);
    let refused = false;
    const bad = moduleImporting('env', 'system');
    ctx.input('imports-env-system.wasm', bad);
    try {
      await ctx.instantiate(bad);
    } catch (e) {
      refused = /imports that this host does not provide/.test((e as Error).message);
      ctx.log(`host on a module importing env.system: ${(e as Error).message}`);
    }
    return outcome(extra.length === 0 && refused, `${ctx.module.imports.length} imports, all allowed; a module importing env.system is refused`,
      extra.length ? `imports outside the allow-list: ${extra.join(', ')}` : 'the host loaded a module importing env.system',
      { imports: ctx.module.imports.length, disallowed: extra.length, foreignRefused: refused });
  },
};

const inventory: Check = {
  id: 'inventory.identity',
  title: 'The module reports its ABI version, capabilities and exports, and the host its SHA-256, as an inventory entry',
  requirements: ['CR 7.8'],
  kind: 'capability',
  part: 'core',
  remedy: 'export iacsec_abi_version and iacsec_caps, and keep bindings/abi.ts in step with the build',
  async run(ctx) {
    const api = await ctx.load();
    const info = api.info();
    const known = Object.keys(EXPORTS).filter((n) => info.exports.includes(n)).length;
    ctx.log(`abi ${info.abiVersion}, caps 0x${info.caps.toString(16)} (${info.capabilities.join(' ')}), ${info.exports.length} exports (${known} described in bindings/abi.ts), sha256 ${info.sha256}`);
    const ok = info.abiVersion >= 1 && info.caps !== 0 && /^[0-9a-f]{64}$/.test(info.sha256) && info.sha256 === ctx.module.sha256;
    return outcome(ok, `ABI ${info.abiVersion}, ${info.capabilities.length} capabilities, ${info.exports.length} exports`, 'the module does not identify itself',
      { abiVersion: info.abiVersion, capabilities: info.capabilities.length, exports: info.exports.length });
  },
};

const rateLimit: Check = {
  id: 'profile.rate-limit',
  title: 'The deployment limits the request rate (and burst) of each client',
  requirements: ['CR 7.1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true with requestsPerSecond and burst of 1 or more',
  run: (ctx) => {
    const r = ctx.profile.rateLimit;
    return outcome(r?.enabled === true && (r.requestsPerSecond ?? 0) >= 1 && (r.burst ?? 0) >= 1,
      `${r?.requestsPerSecond}/s, burst ${r?.burst}`, 'rate limiting off');
  },
};

const outbound: Check = {
  id: 'profile.rate-limit-outbound',
  title: 'The deployment limits the load the component sends',
  requirements: ['CR 7.1 RE1'],
  kind: 'profile',
  remedy: 'set rateLimit.enabled to true and rateLimit.outboundPerSecond to 1 or more',
  run: (ctx) => {
    const r = ctx.profile.rateLimit;
    return outcome(r?.enabled === true && (r.outboundPerSecond ?? 0) >= 1, `${r?.outboundPerSecond}/s outbound`, 'no outbound limit (or rate limiting off)');
  },
};

export const CHECKS: readonly Check[] = [leastImports, inventory, rateLimit, outbound];
