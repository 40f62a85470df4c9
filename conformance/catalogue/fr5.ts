// FR5: Restricted data flow. The project's own catalogue of the in-scope IEC 62443-4-2
// requirements of this family: ids, paraphrased titles, the lowest SL at which
// each applies, scope, the part of iacsec that serves it, and the host tests
// that show it (the conformance checks that show it are in conformance/checks/).
// Integrator-scope items name what the product vendor must supply.

import type { CatalogueRequirement } from './_types.js';

// No requirement of this family is in the module's scope: restricted data flow
// (zones and conduits, CR 5.x) is a property of the network the gateway sits in.
export const FR5: readonly CatalogueRequirement[] = [
];
