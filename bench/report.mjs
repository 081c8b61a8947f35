#!/usr/bin/env node
// Prints the one table of scripts/bench.sh from the JSON the three parts wrote:
//   node bench/report.mjs <native.json> <browser.json> [<peers.json>] [<page.json>]
// and checks the performance targets of the training issue. Exits 0 even
// when a target is missed (it is a measurement, not a test); the table says so.
import fs from 'node:fs';

const [nativeFile, browserFile, peersFile, pageFile] = process.argv.slice(2);
const read = (f) => (f && fs.existsSync(f) && fs.statSync(f).size > 0 ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);
const native = read(nativeFile);
const browser = read(browserFile) || [];
const peers = read(peersFile);
// The web app training on CIFAR-10 (bench/page.mjs): one Worker against the
// default (one per core), alternated in one run.
const app = read(pageFile);

// PyTorch, one thread, on this machine (shared/bench/peers/results/peers.json);
// NNLAB_TORCH_1T overrides it, e.g. after running the peers with native rows.
const TORCH_1T = Number(process.env.NNLAB_TORCH_1T || 19105);
const peer = (id) => peers && peers.peers.find((p) => p.id === id && p.trainSamplesPerSec);
const torchNative = peers && (peers.native || []).find((n) => n.id === 'native-torch-1t' && n.trainSamplesPerSec);
const torch1t = torchNative ? torchNative.trainSamplesPerSec.mean : TORCH_1T;

// GFLOP/s at the peers' count (comparable across rows); % of peak from the
// FLOPs nnlab actually computes (it skips the gradient with respect to the images).
const rows = [['what', 'train samples/s', 'GFLOP/s', '% peak', 'infer samples/s', 'GFLOP/s', '% peak']];
const pct = (g, peak) => (peak ? `${((100 * g) / peak).toFixed(0)}%` : '-');
const f0 = (x) => (x == null ? '-' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x == null ? '-' : x.toFixed(1));
if (native) {
  const p = native.peak && native.peak.gflops;
  rows.push([`nnlab native, 1 thread (${native.train.isa}; peak ${f1(p)} ${native.peak ? native.peak.what : ''})`,
    f0(native.train.samples_per_second), f1(native.train.gflops), pct(native.train.gflops_computed, p),
    f0(native.infer.samples_per_second), f1(native.infer.gflops), pct(native.infer.gflops_computed, p)]);
}
for (const r of browser) {
  if (r.error) { rows.push([`nnlab wasm ${r.build}`, r.error, '', '', '', '', '']); continue; }
  const p = r.peak && r.peak.gflops;
  rows.push([`nnlab wasm ${r.build}, Chromium (peak ${f1(p)} ${r.peak ? r.peak.what : ''})`,
    f0(r.train.samples_per_second), f1(r.train.gflops), pct(r.train.gflops_computed, p),
    f0(r.infer.samples_per_second), f1(r.infer.gflops), pct(r.infer.gflops_computed, p)]);
}
// One Worker, then the default (one per core), from the same run, at
// wall-clock samples/s; the details (rounds, the lesson's own read-out, the
// UI thread's share of a core) follow the table.
const appOne = app && app.results.find((r) => r.config === '1 Worker' || (r.config == null && r.workers === 1));
const appDefault = app && app.results.find((r) => r.config === 'default' || (r.config == null && r.workers > 1));
const appSpeedup = app && (app.speedup ?? (appOne && appDefault ? appDefault.samples_per_second / appOne.samples_per_second : null));
const shownRatio = (r) => r.shown_ratio ?? (r.shown ? r.shown / r.samples_per_second : null);
/** The read-out against the wall clock, each round (older JSON: one figure). */
const ratios = (r) => (r.rounds || [r]).map(shownRatio).filter((x) => x != null);
const workersOf = (r) => `${r.workers} Worker${r.workers > 1 ? 's' : ''}`;
const appName = (r) => (r.config === 'default' ? `default, ${workersOf(r)}` : workersOf(r));
for (const r of app ? app.results : []) {
  const vs = r === appDefault && appSpeedup != null ? `, ${appSpeedup.toFixed(2)}x one` : '';
  rows.push([`nnlab web app, live training on CIFAR-10, ${appName(r)}${vs} (UI drawing)`,
    f0(r.samples_per_second), f1((r.samples_per_second * 2405376) / 1e9), '', '-', '', '']);
}
for (const p of peers ? peers.peers : []) {
  if (!p.trainSamplesPerSec) { rows.push([p.id, 'FAILED', '', '', '', '', '']); continue; }
  rows.push([`${p.label} (peer)`, f0(p.trainSamplesPerSec.mean), f1(p.trainGflops), '',
    f0(p.inferSamplesPerSec.mean), f1(p.inferGflops), '']);
}
rows.push([`PyTorch 1 thread (${torchNative ? 'measured now' : 'peers.json on this machine'})`, f0(torch1t), '', '', '', '', '']);
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
const line = (r) => r.map((x, c) => (c === 0 ? String(x).padEnd(widths[c]) : String(x).padStart(widths[c]))).join(' | ');
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
rows.slice(1).forEach((r) => console.log(line(r)));
if (app && app.results.length) {
  const e = app.results[0];
  const per = e.rounds ? `, ${e.rounds.length} round${e.rounds.length > 1 ? 's' : ''} of ${app.seconds ?? '?'} s each, alternated` : '';
  console.log(`\nthe web app (${e.engine}; ${app.cores} cores${per}):`);
  const nw = Math.max('default / 1 Worker'.length, ...app.results.map((r) => appName(r).length));
  for (const r of app.results) {
    const parts = [`${f0(r.samples_per_second)} samples/s`];
    if (r.rounds && r.rounds.length > 1) parts[0] += ` (rounds ${r.rounds.map((x) => f0(x.samples_per_second)).join(', ')})`;
    if (shownRatio(r) != null) parts.push(`the lesson shows ${f0(r.shown)} at the end (${ratios(r).map((x) => x.toFixed(2)).join(' / ')}x wall clock${ratios(r).length > 1 ? ', per round' : ''})`);
    if (r.ui_busy != null) parts.push(`UI thread ${(100 * r.ui_busy).toFixed(0)}% of a core`);
    if (r.workers_text) parts.push(`"${r.workers_text}"`);
    console.log(`  ${appName(r).padEnd(nw)}  ${parts.join('; ')}`);
  }
  if (appSpeedup != null) console.log(`  ${'default / 1 Worker'.padEnd(nw)}  ${appSpeedup.toFixed(2)}x`);
}

// One training step part by part (each part timed alone), natively and in
// the page's build: where the time goes, beside TF.js's own kernel profile.
const profiles = [];
if (native && native.profile) profiles.push([`native (${native.train.isa})`, native.profile]);
for (const r of browser) if (!r.error && r.profile) profiles.push([`wasm ${r.build}`, r.profile]);
if (profiles.length) {
  const names = profiles[0][1].map((p) => p.what);
  const prow = [['one training step, part by part (ms; GFLOP/s)', ...profiles.map(([n]) => n)]];
  names.forEach((what, i) => prow.push([what, ...profiles.map(([, ps]) => {
    const p = ps[i];
    return p.flop > 0 ? `${p.ms.toFixed(3)} (${(p.flop / p.ms / 1e6).toFixed(1)})` : p.ms.toFixed(3);
  })]));
  const pw = prow[0].map((_, c) => Math.max(...prow.map((r) => String(r[c]).length)));
  const pline = (r) => r.map((x, c) => (c === 0 ? String(x).padEnd(pw[c]) : String(x).padStart(pw[c]))).join(' | ');
  console.log('');
  console.log(pline(prow[0]));
  console.log(pw.map((w) => '-'.repeat(w)).join('-|-'));
  prow.slice(1).forEach((r) => console.log(pline(r)));
}

// The build the web app loads: relaxed SIMD when the browser has it.
const ok = browser.filter((r) => !r.error);
const page = ok.find((r) => r.build === (r.relaxedSimdSupported ? 'relaxed' : 'simd128')) || ok[0];
const tfjs = peer('tfjs-wasm-simd');
// Each target: what it is, the value shown, and whether it is met (null:
// not measured in this run) with how far from the goal.
const targets = [];
const target = (name, value, goal, fmt = f0) =>
  targets.push({ name, shown: fmt(value), met: value >= goal, by: `${(value / goal).toFixed(2)}x` });
const notMeasured = (name, why) => targets.push({ name, shown: '-', met: null, by: why });
if (page) {
  target(`page (${page.build}) trains >= 15,000 samples/s`, page.train.samples_per_second, 15000);
  target(`page (${page.build}) infers >= 40,000 samples/s`, page.infer.samples_per_second, 40000);
  if (tfjs) {
    target(`page trains >= 20x TF.js wasm SIMD (${f0(tfjs.trainSamplesPerSec.mean)} in this run), one thread`,
      page.train.samples_per_second, 20 * tfjs.trainSamplesPerSec.mean);
    const best = app && app.results.reduce((a, r) => (r.samples_per_second > (a ? a.samples_per_second : 0) ? r : a), null);
    if (best && best.workers > 1) {
      target(`web app trains >= 20x TF.js wasm SIMD, ${best.workers} Workers (${app.cores} cores)`,
        best.samples_per_second, 20 * tfjs.trainSamplesPerSec.mean);
    }
  } else {
    notMeasured('page trains >= 20x TF.js wasm SIMD', 'peers skipped');
  }
}
if (native) target(`native trains >= PyTorch 1 thread (${f0(torch1t)})`, native.train.samples_per_second, torch1t);
// The web app: the default's Workers must pay for themselves with the UI
// drawing beside them, and the lesson's read-out must tell the truth.
const speedupName = 'default Workers >= 1.5x one Worker (page, UI drawing)';
const readoutName = 'page read-out within 10 % of wall clock';
if (appSpeedup != null) {
  target(`${speedupName}, ${appDefault.workers} Workers on ${app.cores} cores`, appSpeedup, 1.5, (x) => `${x.toFixed(2)}x`);
} else {
  notMeasured(speedupName, 'web app skipped: set NNLAB_CIFAR10');
}
// Every round's read-out against its own wall clock; the worst one decides.
const readouts = app ? app.results.filter((r) => shownRatio(r) != null) : [];
if (readouts.length) {
  const worst = Math.max(...readouts.flatMap(ratios).map((x) => Math.abs(x - 1)));
  targets.push({
    name: readoutName,
    shown: readouts.map((r) => `${r.config ?? workersOf(r)} ${ratios(r).map((x) => `${x.toFixed(2)}x`).join('/')}`).join(', '),
    met: worst <= 0.1,
    by: `worst ${(100 * worst).toFixed(0)}% off`,
  });
} else {
  notMeasured(readoutName, 'web app skipped: set NNLAB_CIFAR10');
}
console.log('\ntargets:');
for (const t of targets) {
  const verdict = t.met == null ? `not measured (${t.by})` : `${t.met ? 'met' : 'NOT met'} (${t.by})`;
  console.log(`  ${t.name}: ${t.shown} -> ${verdict}`);
}
