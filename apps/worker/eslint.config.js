import { base } from "@trellis/eslint-config";

export default base;
