// The independent reading of the sealed state blob with node:crypto
// (conformance/state_reference.ts), for the tests.
export { openState, sealState, sealStateV2, stateKeys } from '../../dist/conformance/state_reference.js';
