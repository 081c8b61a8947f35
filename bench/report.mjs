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
// The web app training on CIFAR-10 (bench/page.mjs): one Worker, and one per core.
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
for (const r of app ? app.results : []) {
  rows.push([`nnlab web app, live-training lesson, ${r.workers} Worker${r.workers > 1 ? 's' : ''} (${r.engine}; real CIFAR-10, UI drawing)`,
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
const targets = [];
const target = (name, value, goal) => targets.push([name, value, goal]);
if (page) {
  target(`page (${page.build}) trains >= 15,000 samples/s`, page.train.samples_per_second, 15000);
  target(`page (${page.build}) infers >= 40,000 samples/s`, page.infer.samples_per_second, 40000);
  if (tfjs) {
    target(`page trains >= 20x TF.js wasm SIMD (${f0(tfjs.trainSamplesPerSec.mean)} in this run), one thread`,
      page.train.samples_per_second, 20 * tfjs.trainSamplesPerSec.mean);
    const best = app && app.results.reduce((a, r) => (r.samples_per_second > (a ? a.samples_per_second : 0) ? r : a), null);
    if (best && best.workers > 1) {
      target(`web app trains >= 20x TF.js wasm SIMD, ${best.workers} Workers (data-parallel, ${app.cores} cores)`,
        best.samples_per_second, 20 * tfjs.trainSamplesPerSec.mean);
    }
  } else {
    targets.push(['page trains >= 20x TF.js wasm SIMD', null, null]);
  }
}
if (native) target(`native trains >= PyTorch 1 thread (${f0(torch1t)})`, native.train.samples_per_second, torch1t);
console.log('\ntargets:');
for (const [name, value, goal] of targets) {
  const verdict = goal == null ? 'not measured (peers skipped)' : value >= goal ? `met (${(value / goal).toFixed(2)}x)` : `NOT met (${(value / goal).toFixed(2)}x)`;
  console.log(`  ${name}: ${f0(value)} -> ${verdict}`);
}
