// Capture every dashboard of a running local Superset as a PNG (docs/screenshots/).
//
//   npm install --prefix target/superset/node playwright-core@1
//   NODE_PATH=target/superset/node/node_modules \
//     SUPERSET_URL=http://127.0.0.1:8088 SUPERSET_PASSWORD=... node superset/screenshots.mjs
//
// Uses Debian's chromium (/usr/bin/chromium), never a downloaded browser build.
import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");

const base = process.env.SUPERSET_URL ?? "http://127.0.0.1:8088";
const user = process.env.SUPERSET_USER ?? "admin";
const password = process.env.SUPERSET_PASSWORD;
const outDir = process.env.SCREENSHOT_DIR ?? "docs/screenshots";
const slugs = (process.env.DASHBOARDS ?? "executive,customer-success,sales,product,marketing")
  .split(",");

const context = await chromium.launchPersistentContext(
  mkdtempSync(join(tmpdir(), "superset-shots-")),
  {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  },
);
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${base}/login/`);
await page.fill('#username', user);
await page.fill('#password', password);
await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")),
  page.keyboard.press("Enter")]);

for (const slug of slugs) {
  await page.goto(`${base}/superset/dashboard/${slug}/?standalone=1`);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${base}/superset/dashboard/${slug}/?standalone=1`);
  await page.waitForSelector(".dashboard-component-chart-holder", { timeout: 60000 });
  await page.waitForTimeout(2000);
  // grow the window to the whole dashboard, so every chart is laid out and rendered
  const height = await page.evaluate(() => Math.max(
    ...[...document.querySelectorAll(".dashboard-component-chart-holder, .grid-container")]
      .map((node) => node.getBoundingClientRect().bottom + window.scrollY)));
  await page.setViewportSize({ width: 1600, height: Math.ceil(height) + 40 });
  await page.waitForFunction(
    () => document.querySelectorAll(".loading, [aria-label='Loading']").length === 0,
    null, { timeout: 90000 });
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(3000);
  const errors = await page.locator(".alert-danger, .ant-alert-error, [data-test='error-tooltip']").count();
  const path = `${outDir}/${slug}.png`;
  await page.screenshot({ path });
  console.log(`${slug}: ${path}${errors ? ` (${errors} error tiles!)` : ""}`);
}
await context.close();
