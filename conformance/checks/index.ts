// Every check of the suite, by foundational requirement (see registry.ts).

import type { Check } from './registry.js';
import { CHECKS as FR1 } from './fr1.js';
import { CHECKS as FR2 } from './fr2.js';
import { CHECKS as FR3 } from './fr3.js';
import { CHECKS as FR4 } from './fr4.js';
import { CHECKS as FR5 } from './fr5.js';
import { CHECKS as FR6 } from './fr6.js';
import { CHECKS as FR7 } from './fr7.js';

export type { Check, CheckContext, CheckOutcome, CheckRecord, CheckResult } from './registry.js';

export const CHECKS: readonly Check[] = [...FR1, ...FR2, ...FR3, ...FR4, ...FR5, ...FR6, ...FR7];
