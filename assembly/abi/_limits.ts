// The ABI layer reads the module's limits from their one home.
export * from "../limits";
