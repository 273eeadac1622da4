// Lighthouse on several pages in one Node process and one Chromium (tests/test_lighthouse.py): a run per
// page as the CLI makes it (mobile emulation, default throttling, the given categories), without starting
// Node and Chromium again for each page. Usage:
//   node lighthouse_pages.mjs OUT_DIR CATEGORIES CHROME_FLAGS [CPU_SLOWDOWN] NAME=URL...
// writes OUT_DIR/NAME.json, Lighthouse's JSON report for URL; CPU_SLOWDOWN "-" keeps the default.
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "node_modules");
const {default: lighthouse} = await import(path.join(root, "lighthouse/core/index.js"));
const chromeLauncher = await import(path.join(root, "chrome-launcher/dist/index.js"));

const [outDir, categories, chromeFlags, cpu, ...pages] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH, chromeFlags: chromeFlags.split(" ")});
try {
  for (const page of pages) {
    const at = page.indexOf("=");
    const flags = {port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories.split(",")};
    if (cpu !== "-") flags.throttling = {cpuSlowdownMultiplier: Number(cpu)};
    const result = await lighthouse(page.slice(at + 1), flags);
    fs.writeFileSync(path.join(outDir, page.slice(0, at) + ".json"), result.report);
  }
} finally {
  await chrome.kill();
}
