#!/usr/bin/env node
// The web app itself, training in its live-training lesson on the real
// CIFAR-10 (with its user interface drawing at display rate): samples/s on
// one Web Worker (`?workers=1`) and on one per core (the default, data-
// parallel), after the archive is decoded in the page.
//
//   NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node bench/page.mjs [--dist dist] [--seconds 10] [--json]
//
// Needs the built site (scripts/serve.sh or `trunk build --release`) and
// playwright-core with /usr/bin/chromium (CHROMIUM=... overrides).
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/static-server.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf('--' + name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const DIST = path.resolve(opt('dist', path.join(ROOT, 'dist')));
const SECONDS = Number(opt('seconds', 10));
const ARCHIVE = process.env.NNLAB_CIFAR10;
if (!ARCHIVE) {
  console.error('set NNLAB_CIFAR10 to cifar-10-binary.tar.gz');
  process.exit(2);
}

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const updates = async (page) => Number((await page.locator('#live-updates').innerText()).replace(/,/g, '')) || 0;
const results = [];
try {
  for (const query of ['?workers=1', '']) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}${query}#live-training`);
    await page.setInputFiles('#live-data-file', ARCHIVE);
    await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById('live-data-status')?.innerText ?? ''), null, { timeout: 300_000 });
    await page.click('#live-run');
    // Past the warm-up (the first evaluation and snapshot), then count
    // weight updates over a fixed time, as the other benchmarks do.
    await page.waitForFunction(() => Number((document.getElementById('live-updates')?.innerText ?? '0').replace(/,/g, '')) >= 300, null, { timeout: 300_000 });
    const [u0, t0] = [await updates(page), Date.now()];
    await page.waitForTimeout(SECONDS * 1000);
    const [u1, t1] = [await updates(page), Date.now()];
    const workers = (await page.locator('#live-workers').innerText()).match(/\d+/)?.[0] ?? '1';
    const batch = 64;
    results.push({
      workers: Number(workers),
      engine: await page.locator('#live-engine').innerText(),
      samples_per_second: ((u1 - u0) * batch * 1000) / (t1 - t0),
      shown: Number(await page.locator('#live-speed').innerText()),
    });
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
if (argv.includes('--json')) {
  console.log(JSON.stringify({ cores: os.availableParallelism(), results }));
} else {
  for (const r of results) console.log(`${r.workers} Worker(s), ${r.engine}: ${r.samples_per_second.toFixed(0)} samples/s (the lesson shows ${r.shown})`);
}
