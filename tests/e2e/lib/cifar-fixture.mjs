// A small archive in CIFAR-10's official layout, made here so tests that are
// about loading (streaming, storing, offline) do not need the 174 MB one:
// cifar-10-batches-bin/ with data_batch_4, 5, 2, batches.meta.txt,
// data_batch_1, 3 and test_batch last, as the official tar orders them.
// Record i of a file has label i % 10 and a colourful, label-dependent image.
import { writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const RECORD = 3073;

/** `n` CIFAR records of batch `seed` (different pixels per batch). */
export function records(n, seed) {
  const out = Buffer.alloc(n * RECORD);
  for (let i = 0; i < n; i++) {
    const base = i * RECORD;
    const label = i % 10;
    out[base] = label;
    for (let p = 0; p < 3072; p++) {
      const channel = Math.floor(p / 1024);
      const pixel = p % 1024;
      out[base + 1 + p] = (label * 25 + channel * 80 + pixel * (seed + 1) + i * 7) % 256;
    }
  }
  return out;
}

/** One 512-byte ustar header for a file (typeflag "0") or folder ("5"). */
function header(name, size, type = "0") {
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, "utf8");
  h.write(type === "5" ? "0000755\0" : "0000644\0", 100, "ascii");
  h.write("0000000\0", 108, "ascii");
  h.write("0000000\0", 116, "ascii");
  h.write(size.toString(8).padStart(11, "0") + "\0", 124, "ascii");
  h.write("15110115330\0", 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(type, 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

/** The tar.gz bytes: five training batches of `perBatch` records and a test batch of `test`. */
export function cifarArchive({ perBatch = 200, test = 200 } = {}) {
  const dir = "cifar-10-batches-bin/";
  const names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];
  const files = [
    [`${dir}data_batch_4.bin`, records(perBatch, 4)],
    [`${dir}data_batch_5.bin`, records(perBatch, 5)],
    [`${dir}data_batch_2.bin`, records(perBatch, 2)],
    [`${dir}batches.meta.txt`, Buffer.from(names.join("\n") + "\n\n")],
    [`${dir}data_batch_1.bin`, records(perBatch, 1)],
    [`${dir}data_batch_3.bin`, records(perBatch, 3)],
    [`${dir}test_batch.bin`, records(test, 9)],
  ];
  const parts = [header(dir, 0, "5")];
  for (const [name, bytes] of files) {
    parts.push(header(name, bytes.length), bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** Writes the archive to `path`; returns its size in bytes. */
export function writeCifarArchive(path, options) {
  const bytes = cifarArchive(options);
  writeFileSync(path, bytes);
  return bytes.length;
}
