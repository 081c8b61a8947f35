#!/usr/bin/env node
// The web app itself, training in its live-training lesson on the real
// CIFAR-10 (with its user interface drawing at display rate): one Web Worker
// (`?workers=1`) against the default (one per core if measured faster, see
// docs/parallel-training.md), in one
// run, after the archive is decoded in the page.
//
//   NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node bench/page.mjs [--dist dist] [--seconds 10] [--rounds 2] [--json]
//
// Fair to both: the two configurations alternate (1, default, 1, default for
// two rounds), each round a fresh page that decodes the archive, trains past
// a warm-up of 300 weight updates, then counts `#live-updates` (batches of
// 64) over `--seconds` of wall clock. Per configuration it reports the
// wall-clock samples/s (mean and each round), what the lesson's own read-out
// `#live-speed` showed at the end (and its ratio to the wall clock), what
// `#live-workers` said, and how much of one core the page's main thread was
// busy (Chrome DevTools Protocol TaskDuration over the window); then the
// ratio default / one Worker.
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
const ROUNDS = Number(opt('rounds', 2));
const ARCHIVE = process.env.NNLAB_CIFAR10;
if (!ARCHIVE) {
  console.error('set NNLAB_CIFAR10 to cifar-10-binary.tar.gz');
  process.exit(2);
}
if (!(SECONDS > 0) || !(ROUNDS >= 1)) {
  console.error('--seconds must be > 0 and --rounds >= 1');
  process.exit(2);
}
/** The lesson's mini-batch: one weight update is 64 samples. */
const BATCH = 64;
/** Weight updates before counting: past the first evaluation and snapshot. */
const WARM_UP = 300;
// `--also 2` adds `?workers=2` (the team forced, not measured first) to see
// the team's speed whatever the page decides.
const also = opt('also', '');
const CONFIGS = [
  { name: '1 Worker', query: '?workers=1' },
  { name: 'default', query: '' },
  ...also.split(',').filter(Boolean).map((n) => ({ name: `${n} Workers (asked for)`, query: `?workers=${n}` })),
];

const server = await serve(DIST);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
/** Digits of a read-out ("24,628" or "24628") as a number; 0 when there are none. */
const number = (text) => Number(String(text).replace(/[^0-9.]/g, '')) || 0;
const mean = (xs) => xs.reduce((a, x) => a + x, 0) / xs.length;

/** One round: a fresh page at `query`, trained and counted over SECONDS. */
async function round(query) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // Every Worker the page starts: the training Worker and its helpers.
  let started = 0;
  page.on('worker', () => started++);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  // The count and the clock read together, in the page.
  const updates = () => page.evaluate(() => ({
    n: Number((document.getElementById('live-updates')?.innerText ?? '0').replace(/,/g, '')) || 0,
    t: Date.now(),
  }));
  try {
    await page.goto(`${server.url}${query}#live-training`);
    await page.setInputFiles('#live-data-file', ARCHIVE);
    await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById('live-data-status')?.innerText ?? ''), null, { timeout: 300_000 });
    await page.click('#live-run');
    await page.waitForFunction((n) => Number((document.getElementById('live-updates')?.innerText ?? '0').replace(/,/g, '')) >= n, WARM_UP, { timeout: 300_000 });
    const [a, busy0] = [await updates(), await taskSeconds()];
    await page.waitForTimeout(SECONDS * 1000);
    const [b, busy1] = [await updates(), await taskSeconds()];
    const seconds = (b.t - a.t) / 1000;
    const samplesPerSecond = ((b.n - a.n) * BATCH) / seconds;
    const shown = number(await page.locator('#live-speed').innerText());
    const workersText = await page.locator('#live-workers').innerText();
    return {
      updates: b.n - a.n,
      seconds,
      samples_per_second: samplesPerSecond,
      shown,
      shown_ratio: shown / samplesPerSecond,
      ui_busy: (busy1 - busy0) / seconds,
      workers_text: workersText,
      workers_started: started,
      engine: await page.locator('#live-engine').innerText(),
    };
  } finally {
    await context.close();
  }
}

const rounds = CONFIGS.map(() => []);
try {
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of CONFIGS.entries()) {
      const one = await round(c.query);
      rounds[i].push(one);
      // Progress on stderr (stdout is the report, or the JSON).
      console.error(`  round ${r + 1}, ${c.name}: ${one.samples_per_second.toFixed(0)} samples/s (${one.updates} updates in ${one.seconds.toFixed(1)} s)`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}

const results = CONFIGS.map((c, i) => {
  const rs = rounds[i];
  const last = rs[rs.length - 1];
  const samplesPerSecond = mean(rs.map((x) => x.samples_per_second));
  // The lesson says how many Workers train ("on 2 Web Workers"); on one
  // Worker by choice it says nothing, and the Workers started count.
  const named = last.workers_text.match(/(\d+)\s*(?:Web\s+)?Workers?/i);
  return {
    config: c.name,
    query: c.query,
    workers: named ? Number(named[1]) : last.workers_started || 1,
    workers_text: last.workers_text,
    workers_started: last.workers_started,
    engine: last.engine,
    samples_per_second: samplesPerSecond,
    shown: last.shown,
    shown_ratio: last.shown / last.samples_per_second,
    ui_busy: mean(rs.map((x) => x.ui_busy)),
    rounds: rs,
  };
});
const speedup = results[1].samples_per_second / results[0].samples_per_second;

if (argv.includes('--json')) {
  console.log(JSON.stringify({ cores: os.availableParallelism(), seconds: SECONDS, batch: BATCH, results, speedup }));
} else {
  const f0 = (x) => Math.round(x).toLocaleString('en-US');
  for (const r of results) {
    console.log(`${r.config} (${r.workers} Worker${r.workers > 1 ? 's' : ''}, ${r.engine}): ${f0(r.samples_per_second)} samples/s wall clock`
      + ` (rounds ${r.rounds.map((x) => f0(x.samples_per_second)).join(', ')})`);
    console.log(`    the lesson shows ${f0(r.shown)} samples/s (${r.shown_ratio.toFixed(2)}x wall clock);`
      + ` #live-workers "${r.workers_text}"; page main thread busy ${(100 * r.ui_busy).toFixed(0)}% of a core`);
  }
  console.log(`default / 1 Worker: ${speedup.toFixed(2)}x (${os.availableParallelism()} cores, ${SECONDS} s per round, ${ROUNDS} round${ROUNDS > 1 ? 's' : ''} each)`);
}
