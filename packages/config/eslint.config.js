import { base, configPackage } from "@trellis/eslint-config";

export default [...base, ...configPackage];
