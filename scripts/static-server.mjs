// The static server for the built site: loopback only, correct MIME types
// (wasm must be application/wasm for streaming compilation), files streamed
// (the CIFAR-10 archive is 163 MB), and the user's data/ folder mounted at
// /data/ so the page can find a downloaded archive. /data/manifest.json always
// answers (listing what is there), so the page can ask without a 404.
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { readdir, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".gz": "application/gzip",
  ".bin": "application/octet-stream",
};

/** The file under `base` that `path` names, or null when it would escape `base`. */
function inside(base, path) {
  const file = normalize(join(base, path));
  return file === base || file.startsWith(base + sep) ? file : null;
}

/**
 * A link of `bitsPerSecond` shared by every response of the host, like a
 * classroom's Wi-Fi: each chunk waits until the link is free, then holds it
 * for its own length. Returns a function making one response's pacer.
 */
function pacedLink(bitsPerSecond) {
  const bytesPerMs = bitsPerSecond / 8 / 1000;
  let free = 0;
  return () =>
    new Transform({
      transform(chunk, _encoding, done) {
        const now = performance.now();
        const start = Math.max(now, free);
        free = start + chunk.length / bytesPerMs;
        // Sent when its last byte would have crossed the link.
        setTimeout(() => done(null, chunk), free - now);
      },
    });
}

/**
 * Serves `root` on 127.0.0.1 (port 0 = a free one) and `dataDir` (optional) at /data/.
 * `isolated: false` leaves out the cross-origin isolation headers, like most
 * static hosts (tests check the page still trains, on one Worker).
 * `dataFile` serves that file as /data/cifar-10-binary.tar.gz (and lists it in
 * the manifest). `bitsPerSecond` paces every response through one shared link.
 * `stats.dataBytes` counts the bytes sent from /data/ (the manifest too).
 * `manifest: false` behaves like any static host: no /data/manifest.json.
 * Resolves to { url, port, stats, close() }.
 */
export async function serve(root, { port = 0, dataDir = null, dataFile = null, isolated = true, bitsPerSecond = 0, manifest = true } = {}) {
  const base = resolve(root);
  const data = dataDir ? resolve(dataDir) : null;
  const stats = { dataBytes: 0, dataRequests: 0 };
  const pacer = bitsPerSecond > 0 ? pacedLink(bitsPerSecond) : null;
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const headers = {
      "Cache-Control": "no-store",
      // Cross-origin isolation, so SharedArrayBuffer is available: the
      // training Workers share batches and gradients through it.
      ...(isolated && {
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Embedder-Policy": "require-corp",
      }),
    };
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      const isData = path.startsWith("/data/");
      if (isData) stats.dataRequests += 1;
      if (path === "/data/manifest.json" && manifest) {
        const files = data ? await readdir(data).catch(() => []) : [];
        if (dataFile) files.push("cifar-10-binary.tar.gz");
        const body = JSON.stringify({ files: files.filter((f) => !f.startsWith(".")) });
        stats.dataBytes += Buffer.byteLength(body);
        res.writeHead(200, { ...headers, "Content-Type": MIME[".json"] });
        res.end(body);
        return;
      }
      let file =
        isData && dataFile && path === "/data/cifar-10-binary.tar.gz"
          ? resolve(dataFile)
          : isData && data
            ? inside(data, path.slice("/data/".length))
            : inside(base, path);
      if (!file) {
        res.writeHead(403, headers).end("forbidden");
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, "index.html");
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, {
        ...headers,
        "Content-Type": MIME[extname(file)] ?? "application/octet-stream",
        "Content-Length": info.size,
      });
      const stream = createReadStream(file);
      if (isData) stream.on("data", (chunk) => (stats.dataBytes += chunk.length));
      // A client that goes away (a closed tab) ends the file stream too.
      res.on("close", () => stream.destroy());
      if (pacer) stream.pipe(pacer()).pipe(res);
      else stream.pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("server error");
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    stats,
    // Ends open connections too (a paced download would keep close() waiting).
    close: () =>
      new Promise((ok) => {
        server.close(ok);
        for (const socket of sockets) socket.destroy();
      }),
  };
}
