// The browser tests drive Debian's Chromium through playwright-core (no browser download).
// `pnpm test` installs it when it is missing and we may (root with apt-get); otherwise it says how.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
if (existsSync(CHROMIUM)) process.exit(0);

const canApt = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
if (!canApt) {
  console.error(`Chromium is missing at ${CHROMIUM}; the browser tests need it.\nInstall it with: sudo apt-get install -y chromium`);
  process.exit(1);
}
console.log("Installing Debian chromium for the browser tests (one time)...");
execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
