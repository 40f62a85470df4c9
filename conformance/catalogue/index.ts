// The catalogue: every in-scope CR and RE, by foundational requirement.

import type { CatalogueItem, CatalogueRequirement, FrId } from './_types.js';
import { FR1 } from './fr1.js';
import { FR2 } from './fr2.js';
import { FR3 } from './fr3.js';
import { FR4 } from './fr4.js';
import { FR5 } from './fr5.js';
import { FR6 } from './fr6.js';
import { FR7 } from './fr7.js';

export type { CatalogueItem, CatalogueRequirement, FrId, Level, Scope, PartId } from './_types.js';

/** Names of the seven foundational requirements (paraphrased). */
export const FR_NAMES: Readonly<Record<FrId, string>> = {
  FR1: 'Identification and authentication control',
  FR2: 'Use control',
  FR3: 'System integrity',
  FR4: 'Data confidentiality',
  FR5: 'Restricted data flow',
  FR6: 'Timely response to events',
  FR7: 'Resource availability',
};

export const FRS: readonly FrId[] = ['FR1', 'FR2', 'FR3', 'FR4', 'FR5', 'FR6', 'FR7'];

export const REQUIREMENTS: readonly CatalogueRequirement[] = [...FR1, ...FR2, ...FR3, ...FR4, ...FR5, ...FR6, ...FR7];

/** Every CR and RE as one row each, in catalogue order (a CR, then its REs). */
export function catalogueItems(): CatalogueItem[] {
  const out: CatalogueItem[] = [];
  for (const r of REQUIREMENTS) {
    out.push({ id: r.id, fr: r.fr, title: r.title, sl: r.sl, scope: r.scope, part: r.part, shownBy: r.shownBy, vendorEvidence: r.vendorEvidence });
    for (const e of r.enhancements) {
      out.push({
        id: `${r.id} ${e.id}`, parent: r.id, fr: r.fr, title: e.title, sl: e.sl,
        scope: e.scope ?? r.scope, part: e.part ?? r.part, shownBy: r.shownBy, vendorEvidence: e.vendorEvidence,
      });
    }
  }
  return out;
}
