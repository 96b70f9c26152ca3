import { base, react, siblingApp } from "@trellis/eslint-config";

export default [...base, ...react, ...siblingApp];
