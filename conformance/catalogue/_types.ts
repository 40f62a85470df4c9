// Shapes of the conformance catalogue (conformance/catalogue/fr1.ts .. fr7.ts).

export type FrId = 'FR1' | 'FR2' | 'FR3' | 'FR4' | 'FR5' | 'FR6' | 'FR7';
export type Level = 1 | 2 | 3 | 4;
/** Who can show the item: the module itself, the host shim, or only the product vendor. */
export type Scope = 'module' | 'host' | 'integrator';
/** The part of iacsec that serves an item (conformance/parts.ts tells how a build shows it has the part). */
export type PartId = 'core' | 'selftest' | 'firmware' | 'state' | 'config' | 'audit' | 'access' | 'gateway' | 'integrator';

export interface CatalogueEnhancement {
  /** "RE1", "RE2", ... */
  id: string;
  title: string;
  sl: Level;
  /** When it differs from its requirement's. */
  scope?: Scope;
  part?: PartId;
  vendorEvidence?: string;
}

export interface CatalogueRequirement {
  /** "CR 1.1", "EDR 3.10", ... */
  id: string;
  fr: FrId;
  /** A paraphrase, never the standard's text. */
  title: string;
  /** The lowest capability security level at which it applies (it applies at every level above too). */
  sl: Level;
  scope: Scope;
  part: PartId;
  /** Host tests (node:test files) that also show it, beside the conformance checks. */
  shownBy: readonly string[];
  /** Integrator scope: what the product vendor must supply. */
  vendorEvidence?: string;
  enhancements: readonly CatalogueEnhancement[];
}

/** One row of the matrix: a CR/EDR, or one of its REs ("CR 1.1 RE1"). */
export interface CatalogueItem {
  id: string;
  /** For an RE, the id of its requirement; else undefined. */
  parent?: string;
  fr: FrId;
  title: string;
  sl: Level;
  scope: Scope;
  part: PartId;
  shownBy: readonly string[];
  vendorEvidence?: string;
}
