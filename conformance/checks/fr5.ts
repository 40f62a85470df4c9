// FR5 Restricted data flow: no requirement of this family is in the module's
// scope (zones and conduits, CR 5.x, are properties of the network the
// gateway sits in), so no checks. See registry.ts for the check interface.

import type { Check } from './registry.js';

export const CHECKS: readonly Check[] = [];
