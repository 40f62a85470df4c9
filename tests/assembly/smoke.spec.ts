import { iacsec_abi_version } from "../../assembly/index";
describe("abi", () => { it("has a version", () => { expect(iacsec_abi_version()).toBe(1); }); });
