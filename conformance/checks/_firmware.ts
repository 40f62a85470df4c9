// Shared by the firmware and roots-of-trust checks: a provisioned module,
// images, signed manifests and trust statements, all deterministic.

import { anchorOf, firmware, type Firmware } from '../../host/firmware.js';
import { FirmwareError } from '../../host/firmware.js';
import { parseUuid, signManifest, signTrustStatement, type TrustStatementInput } from '../../host/manifest.js';
import type { Iacsec } from '../../host/api.js';
import type { PrivateKeyInfo } from '../../host/keys.js';
import type { CheckContext } from './registry.js';

export const VENDOR = parseUuid('3f6c2a9e-5b1d-4c7a-9e21-6d0b8a4f1c30');
export const CLASS = parseUuid('8d2e4b6a-1c3f-4e5d-a7b9-0c1d2e3f4a5b');
export const OTHER_VENDOR = parseUuid('00000000-0000-4000-8000-000000000001');
/** The component (slot) the checks install and boot. */
export const COMPONENT = 'gateway-fw';

export interface Provisioned { api: Iacsec; fw: Firmware; }

/** A fresh module, provisioned with these supplier anchors and closed (EDR 3.12). */
export async function provisioned(ctx: CheckContext, suppliers: PrivateKeyInfo[]): Promise<Provisioned> {
  const api = await ctx.load();
  const fw = firmware(api);
  await fw.provision({ vendor: VENDOR, deviceClass: CLASS, supplierAnchors: suppliers.map(anchorOf) });
  ctx.log(`provisioned: vendor and class set, ${suppliers.length} supplier anchor(s) (kid ${suppliers.map((k) => Buffer.from(k.kid).toString('hex')).join(', ')}), provisioning closed`);
  return { api, fw };
}

export interface ManifestOptions {
  counter: number;
  version?: string;
  component?: string;
  vendor?: Uint8Array;
}

export function manifestFor(key: PrivateKeyInfo, image: Uint8Array, o: ManifestOptions): Promise<Uint8Array> {
  return signManifest({
    key, image, vendor: o.vendor ?? VENDOR, deviceClass: CLASS, component: o.component ?? COMPONENT,
    version: o.version ?? `1.0.${o.counter}`, securityCounter: o.counter,
  });
}

export function statementFor(key: PrivateKeyInfo, s: Omit<TrustStatementInput, 'vendor' | 'deviceClass'>): Uint8Array {
  return signTrustStatement(key, { vendor: VENDOR, deviceClass: CLASS, ...s } as TrustStatementInput);
}

/** The status name the module answered: "OK", or the refusal's ("ERR_ROLLBACK", ...). */
export async function attempt(fw: Firmware, manifest: Uint8Array, image: Uint8Array, purpose: 'install' | 'boot' = 'install',
  component = COMPONENT): Promise<string> {
  try {
    await fw.verifyFirmware(manifest, image, { purpose, component });
    return 'OK';
  } catch (e) {
    if (e instanceof FirmwareError) return e.status;
    throw e;
  }
}

export async function applyStatement(fw: Firmware, statement: Uint8Array): Promise<string> {
  try {
    await fw.applyTrustStatement(statement);
    return 'OK';
  } catch (e) {
    if (e instanceof FirmwareError) return e.status;
    throw e;
  }
}

/** A copy of b with one bit flipped at byte i. */
export function flip(b: Uint8Array, i: number, bit = 0x01): Uint8Array {
  const c = b.slice();
  c[i] ^= bit;
  return c;
}

/** Tallies expected against observed outcomes and logs each. */
export class Tally {
  readonly cases: { name: string; want: string; got: string }[] = [];
  constructor(private readonly ctx: CheckContext) {}
  expect(name: string, want: string, got: string): boolean {
    this.cases.push({ name, want, got });
    this.ctx.log(`${got === want ? 'ok  ' : 'FAIL'} ${name}: expected ${want}, got ${got}`);
    return got === want;
  }
  get failed() { return this.cases.filter((c) => c.got !== c.want); }
  get ok() { return this.failed.length === 0; }
  /** Cases that expected a refusal (not OK) and got it. */
  get rejected() { return this.cases.filter((c) => c.want !== 'OK' && c.got === c.want).length; }
  get accepted() { return this.cases.filter((c) => c.want === 'OK' && c.got === 'OK').length; }
  describe(): string { return this.failed.map((c) => `${c.name}: expected ${c.want}, got ${c.got}`).join('; '); }
}
