#!/usr/bin/env node
// Runs the end-to-end tests on ONE headless Chromium and ONE server of dist/.
// node --test runs each file in a process of its own, so this starts the
// browser (chromium.launchServer) and the server once, hands their addresses
// to the test files (NNLAB_E2E_WS, NNLAB_E2E_URL: see lib/site.mjs), runs
// `node --test`, then stops both and exits with node --test's status.
//
//   DIST=dist NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node tests/e2e/run.mjs [node --test flags] [files]
//
// Without files it runs every tests/e2e/*.test.mjs. Flags, written --flag=value
// (--test-name-pattern=…), go to node --test. A file also runs on its own, with
// a browser and server of its own: node --test tests/e2e/x.test.mjs
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { DIST, checkDist, launchOptions, serve } from "./lib/site.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("-"));
let files = args.filter((a) => !a.startsWith("-"));
if (files.length === 0) {
  files = readdirSync(HERE)
    .filter((f) => f.endsWith(".test.mjs"))
    .sort()
    .map((f) => relative(process.cwd(), join(HERE, f)));
}

checkDist();
const server = await serve(DIST);
const browser = await chromium.launchServer(launchOptions());
let status = 1;
try {
  const child = spawn(process.execPath, ["--test", ...flags, ...files], {
    stdio: "inherit",
    env: { ...process.env, DIST, NNLAB_E2E_URL: server.url, NNLAB_E2E_WS: browser.wsEndpoint() },
  });
  status = await new Promise((done) => {
    child.on("error", (err) => {
      console.error(err);
      done(1);
    });
    child.on("exit", (code) => done(code ?? 1));
  });
} finally {
  await browser.close();
  await server.close();
}
process.exit(status);
