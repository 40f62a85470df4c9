// The shape of report.json (JSON Schema: conformance/schema/report.schema.json).

import type { CheckRecord } from './checks/registry.js';
import type { FrId, Level, PartId, Scope } from './catalogue/index.js';

export type Verdict = 'pass' | 'fail' | 'not-applicable' | 'needs-integrator-evidence';

export interface Acceptance { id: string; justification: string; owner: string; expires?: string }

export interface ItemResult {
  id: string;
  parent?: string;
  fr: FrId;
  title: string;
  /** The lowest SL at which it applies. */
  sl: Level;
  scope: Scope;
  part: PartId;
  /** Applies at the target level. */
  applicable: boolean;
  verdict: Verdict;
  /** Why, in one line ("not implemented: ...", the failed checks, ...). */
  reason: string;
  /** What the module can do: every capability check passed (and its part is present). */
  capabilityMet: boolean;
  /** What this deployment achieves: capability met and every profile check passed. */
  achievedMet: boolean;
  /** Ids of the checks that show it. */
  checks: string[];
  shownBy: readonly string[];
  vendorEvidence?: string;
  accepted?: Acceptance;
  /** On requirement rows (CR/EDR): capability and achieved SL over the requirement and its REs; 0 = not even SL 1. */
  slC?: number;
  slA?: number;
}

export interface Gap {
  id: string;
  title: string;
  fr: FrId;
  /** The SL this gap blocks (the item's SL). */
  blocksSl: Level;
  severity: 'high' | 'medium' | 'low';
  status: 'open' | 'accepted' | 'needs-integrator-evidence';
  reason: string;
  closes: string;
  accepted?: Acceptance;
}

export interface FrSummary {
  fr: FrId;
  name: string;
  items: number;
  applicable: number;
  met: number;
  /** Share of applicable module/host items met at SL-T, 0..1; null when none applies. */
  score: number | null;
  slC: number | null;
  slA: number | null;
}

export interface Report {
  reportVersion: 1;
  generatedAt: string;
  tool: { name: string; version: string; node: string; runtime: string; platform: string; assemblyscript: string; dependencies: Record<string, string> };
  module: {
    source: string; sha256: string; size: number; abiVersion: number; caps: number; capabilities: string[];
    exports: number; imports: readonly string[]; memoryBytes: number;
    parts: { id: PartId; name: string; present: boolean; detection: string }[];
  };
  profile: { source: string; name: string; sha256: string };
  accept: { source: string | null; sha256: string | null; entries: number };
  options: { slTarget: Level; native: boolean };
  native: { status: 'pass' | 'fail' | 'skipped'; detail: string };
  summary: {
    slTarget: Level;
    met: boolean;
    score: number | null;
    applicable: number;
    metItems: number;
    acceptedItems: number;
    slC: number | null;
    slA: number | null;
    verdicts: Record<Verdict, number>;
    checks: { total: number; pass: number; fail: number; error: number; notImplemented: number };
  };
  frs: FrSummary[];
  items: ItemResult[];
  checks: CheckRecord[];
  gaps: Gap[];
}
