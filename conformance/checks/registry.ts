// The check registry of the conformance suite.
//
// HOW TO ADD A CHECK
// Each foundational requirement has one file here (fr1.ts .. fr7.ts) that
// exports `CHECKS: Check[]`. A check is a small object:
//
//   {
//     id: 'fw.anti-rollback',             // unique, lowercase, dotted: <area>.<what>
//     title: 'An older security counter is refused, also after a restart',
//     requirements: ['EDR 3.10 RE1'],     // catalogue ids it shows ("CR 1.1", "CR 1.1 RE2")
//     kind: 'capability',                 // 'capability': what the module can do (SL-C);
//                                         // 'profile': what the deployment profile enforces (SL-A)
//     part: 'firmware',                   // capability checks: the part they need (conformance/parts.ts);
//                                         // a build without it reports "not implemented", unrun
//     remedy: 'what would make it pass',  // goes into the gap register when the check fails
//     async run(ctx) {                    // black box, through the host API only
//       const api = await ctx.load();     // a fresh instance of the module under test, self-test passed
//       ctx.log('...');                   // every step that matters, into evidence/<id>/log.txt
//       ctx.input('manifest.cose', bytes) // an input, saved as evidence/<id>/manifest.cose
//       return { result: 'pass', summary: 'one line', measured: { rejected: 3 } };
//     },
//   }
//
// Rules: a check returns 'pass' only when what it measured shows the control
// works; it never returns a figure it did not measure. It must be
// deterministic: use ctx.rng and ctx.key() (seeded from the check id), never
// Math.random or the clock, so that the same module and profile give the
// same report. A thrown error counts as a failed check ('error'), with its
// message in the evidence. An item of the catalogue passes when every
// capability check and every profile check naming it passes; an item with
// no check at all fails as "not implemented".
//
// A new part (audit, access control, state store) adds its checks to the file
// of each FR it serves, with `part` set, and sets its capability bits in the
// module so that conformance/parts.ts detects it.

import type { Iacsec } from '../../host/api.js';
import type { LoadedModule } from '../../host/loader.js';
import type { PrivateKeyInfo, KeyAlg } from '../../host/keys.js';
import type { Level, PartId } from '../catalogue/index.js';
import type { Profile } from '../profile.js';

export type CheckResult = 'pass' | 'fail' | 'error' | 'not-implemented';

export interface CheckOutcome {
  result: 'pass' | 'fail';
  /** One line: what was shown, or what went wrong. */
  summary: string;
  /** Measured figures: vector counts, rejected cases, sizes (deterministic values only). */
  measured?: Record<string, number | string | boolean>;
}

/** Deterministic pseudo-random source of one check. */
export interface Rng {
  bytes(n: number): Uint8Array;
  /** An integer in [0, n). */
  below(n: number): number;
}

export interface ModuleUnderTest {
  /** The path given, or "built-in". */
  source: string;
  bytes: Uint8Array;
  sha256: string;
  abiVersion: number;
  caps: number;
  capabilities: string[];
  exports: ReadonlySet<string>;
  imports: readonly string[];
}

export interface CheckContext {
  readonly module: ModuleUnderTest;
  readonly profile: Profile;
  /** The target security level of this run. */
  readonly slTarget: Level;
  /** A fresh instance of the module under test through loadModule (self-test run; throws if it fails). */
  load(bytes?: Uint8Array): Promise<Iacsec>;
  /** A fresh instance without running the self-test (raw exports). */
  instantiate(bytes?: Uint8Array): Promise<LoadedModule>;
  readonly rng: Rng;
  /** A deterministic signing key named `name` for this check (same name, same key on every run). */
  key(name: string, alg?: KeyAlg): PrivateKeyInfo;
  /** The project root (for vectors in tests/vectors/). */
  readonly root: string;
  log(line: string): void;
  /** Saves an input into the evidence; returns its path relative to the evidence folder. */
  input(name: string, data: Uint8Array | string): string;
}

export interface Check {
  id: string;
  title: string;
  requirements: readonly string[];
  kind: 'capability' | 'profile';
  /** The part a capability check needs; profile checks read only the profile. */
  part?: PartId;
  remedy: string;
  run(ctx: CheckContext): Promise<CheckOutcome> | CheckOutcome;
}

/** A check's outcome as recorded in the report. */
export interface CheckRecord {
  id: string;
  title: string;
  kind: 'capability' | 'profile';
  requirements: readonly string[];
  result: CheckResult;
  summary: string;
  measured: Record<string, number | string | boolean>;
  /** Evidence files, relative to the report folder. */
  evidence: string[];
  remedy: string;
}

/** Pass when `ok`, else fail; the summary says which. */
export function outcome(ok: boolean, pass: string, fail: string, measured?: CheckOutcome['measured']): CheckOutcome {
  return { result: ok ? 'pass' : 'fail', summary: ok ? pass : fail, measured };
}
