// The end-to-end harness: the built site (dist/) served on 127.0.0.1, headless
// Chromium (Debian's /usr/bin/chromium, never a downloaded one) and pages that
// collect console errors. Under tests/e2e/run.mjs every test file shares the
// runner's server and browser (NNLAB_E2E_URL, NNLAB_E2E_WS); a file run on its
// own with `node --test` starts its own.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../../scripts/static-server.mjs";

// The same server as scripts/serve.sh; tests that need another host (paced,
// without headers, stopped mid-test) start their own with it.
export { serve };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DIST = process.env.DIST ? resolve(process.env.DIST) : join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");

/** Chromium's flags for every browser the tests use: the one place they are written. */
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"];

/** Options for chromium.launch or launchServer: headless, the flags above, then `args`. */
export function launchOptions(args = []) {
  return {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
  };
}

/** Throws unless dist/ is built; makes tests/artifacts/ for the screenshots. */
export function checkDist() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release --skip-version-check\` first`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * The site of a test file: the runner's server and browser when run by
 * tests/e2e/run.mjs, else its own. Resolves to { url, browser, close() }.
 */
export async function startSite() {
  checkDist();
  const server = process.env.NNLAB_E2E_URL ? null : await serve(DIST);
  const ws = process.env.NNLAB_E2E_WS;
  const browser = ws ? await chromium.connect(ws) : await chromium.launch(launchOptions());
  return {
    url: server?.url ?? process.env.NNLAB_E2E_URL,
    browser,
    // On the runner's browser, close() only disconnects: the browser server
    // closes the contexts this file made and ignores requests to stop.
    close: async () => {
      await browser.close();
      await server?.close();
    },
  };
}

/**
 * A browser of the caller's own, with `args` added to the usual flags, for a
 * test that needs a differently configured one; the caller closes it.
 */
export function launchBrowser(args = []) {
  return chromium.launch(launchOptions(args));
}

/** A fresh context (its own storage, service workers and caches) in the site's browser. */
export function newContext(site, { locale = "en-US", width = 1440, height = 900, ...options } = {}) {
  return site.browser.newContext({ locale, viewport: { width, height }, ...options });
}

/**
 * A page at `path` (relative to the site's URL, or a full URL of another
 * server) in a fresh context, collecting console errors and uncaught exceptions
 * in `errors` and the URLs of the Workers it starts in `workers`.
 * Options: `locale`, `width`, `height` and any other newContext option
 * (deviceScaleFactor, …); `context` opens it in that context instead (the
 * caller's, which close() leaves open); `wait`, the selector waited for after
 * loading (the menu; null for none); `setup(page)`, run before it loads.
 * Resolves to { page, context, errors, workers, close() }.
 */
export async function openPage(site, path, { context = null, wait = ".nav-link", setup = null, ...options } = {}) {
  const ctx = context ?? (await newContext(site, options));
  const page = await ctx.newPage();
  const close = () => (context ? page.close() : ctx.close());
  const errors = [];
  const workers = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  page.on("worker", (worker) => workers.push(worker.url()));
  try {
    await setup?.(page);
    await page.goto(new URL(path, site.url).href);
    if (wait) await page.waitForSelector(wait);
  } catch (err) {
    await close();
    throw err;
  }
  return { page, context: ctx, errors, workers, close };
}

/** The bytes of a download (download.path() is not available on the runner's browser, a remote one). */
export async function downloadBytes(download) {
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * Sets file input `selector` to the files at `paths`, as page.setInputFiles
 * does. On the runner's browser, a remote one to Playwright, setInputFiles
 * would first copy each file through the WebSocket (20 s for the 163 MB
 * CIFAR-10 archive); that browser runs on this machine, so Chromium is told
 * the paths and reads the files itself, as setInputFiles does locally.
 */
export async function setInputFiles(page, selector, paths) {
  if (!process.env.NNLAB_E2E_WS) return page.setInputFiles(selector, paths);
  await page.locator(selector).waitFor({ state: "attached" });
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result } = await cdp.send("Runtime.evaluate", { expression: `document.querySelector(${JSON.stringify(selector)})` });
    const files = [paths].flat().map((path) => resolve(path));
    await cdp.send("DOM.setFileInputFiles", { objectId: result.objectId, files });
  } finally {
    await cdp.detach();
  }
}
