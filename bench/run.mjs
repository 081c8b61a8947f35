#!/usr/bin/env node
// Runs bench/index.html in headless Chromium for each wasm build in bench/pkg/
// and prints the reports (a table, or JSON with --json).
//
//   node bench/run.mjs [--train 10] [--infer 4] [--peak 1] [--builds relaxed,simd128] [--json]
//
// The page is served by a tiny static server on 127.0.0.1 (a free port).
// Needs playwright-core (the project's devDependency) and /usr/bin/chromium
// (override with CHROMIUM=...); never downloads a browser.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf('--' + name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const TRAIN = Number(opt('train', 10));
const INFER = Number(opt('infer', 4));
const PEAK = Number(opt('peak', 1));
const BUILDS = opt('builds', 'relaxed,simd128').split(',');
const JSON_OUT = argv.includes('--json');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run',
];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves files under ROOT on 127.0.0.1; resolves to the server once listening. */
function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const file = path.join(ROOT, path.normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, ''));
    const name = file.endsWith(path.sep) ? path.join(file, 'index.html') : file;
    if (!name.startsWith(ROOT) || !fs.existsSync(name) || fs.statSync(name).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(name)] || 'application/octet-stream' });
    fs.createReadStream(name).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/index.html`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
const results = [];
try {
  for (const build of BUILDS) {
    if (!fs.existsSync(path.join(ROOT, 'pkg', build, 'nnlab_bench.js'))) {
      results.push({ build, error: `bench/pkg/${build} not built (run scripts/bench.sh)` });
      continue;
    }
    // A fresh page (and renderer) per build, so one cannot warm the other.
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}?build=${build}`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 60_000 });
    const timeout = (PEAK + TRAIN + INFER) * 1000 + 120_000;
    page.setDefaultTimeout(timeout);
    const result = await page.evaluate((s) => window.runBench(s), { peak: PEAK, train: TRAIN, infer: INFER });
    if (errors.length) result.pageErrors = errors;
    result.chromium = browser.version();
    results.push(result);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

if (JSON_OUT) {
  console.log(JSON.stringify(results));
} else {
  for (const r of results) {
    if (r.error) { console.log(`${r.build}: ${r.error}`); continue; }
    const pct = (g) => (r.peak ? ` (${((100 * g) / r.peak.gflops).toFixed(0)}% of ${r.peak.gflops.toFixed(1)} peak)` : '');
    console.log(`${r.build} [${r.train.isa}]: train ${r.train.samples_per_second.toFixed(0)} samples/s, ` +
      `${r.train.gflops.toFixed(1)} GFLOP/s${pct(r.train.gflops_computed)}; infer ${r.infer.samples_per_second.toFixed(0)} samples/s, ` +
      `${r.infer.gflops.toFixed(1)} GFLOP/s${pct(r.infer.gflops_computed)}`);
  }
}
