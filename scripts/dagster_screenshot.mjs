// Capture the Dagster UI's asset graph as a PNG (docs/screenshots/dagster-asset-graph.png).
//
//   make dagster &      # or: dagster-webserver -m saas_metrics.orchestration.dagster -p 3000
//   npm install --prefix target/node playwright-core@1
//   NODE_PATH=target/node/node_modules node scripts/dagster_screenshot.mjs
//
// Uses Debian's chromium (/usr/bin/chromium), never a downloaded browser build.
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const base = process.env.DAGSTER_URL ?? "http://127.0.0.1:3000";
const group = process.env.DAGSTER_GROUP ?? "customer_success";
const location = process.env.DAGSTER_LOCATION ?? "saas_metrics.orchestration.dagster";
const out = process.env.SCREENSHOT ?? "docs/screenshots/dagster-asset-graph.png";

const context = await chromium.launchPersistentContext(
  mkdtempSync(join(tmpdir(), "dagster-shots-")),
  {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  },
);
const page = await context.newPage();
await page.goto(`${base}/asset-groups`, { waitUntil: "networkidle" });
// the first visit asks to join the community: skip it
const skip = page.getByRole("button", { name: "Skip" });
if (await skip.isVisible().catch(() => false)) await skip.click();
// one domain's group: its models, their lineage and latest materializations
await page.goto(`${base}/locations/${location}/asset-groups/${group}`,
  { waitUntil: "networkidle" });
await page.waitForTimeout(5000);
await page.screenshot({ path: out });
console.log(`wrote ${out}`);
await context.close();
