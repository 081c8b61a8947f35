// The static server for the built site: loopback only, correct MIME types
// (wasm must be application/wasm for streaming compilation), files streamed
// (the CIFAR-10 archive is 163 MB), and the user's data/ folder mounted at
// /data/ so the page can find a downloaded archive. /data/manifest.json always
// answers (listing what is there), so the page can ask without a 404.
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
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
 * Serves `root` on 127.0.0.1 (port 0 = a free one) and `dataDir` (optional) at /data/.
 * `isolated: false` leaves out the cross-origin isolation headers, like most
 * static hosts (tests check the page still trains, on one Worker).
 * Resolves to { url, port, close() }.
 */
export async function serve(root, { port = 0, dataDir = null, isolated = true } = {}) {
  const base = resolve(root);
  const data = dataDir ? resolve(dataDir) : null;
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
      if (path === "/data/manifest.json") {
        const files = data ? await readdir(data).catch(() => []) : [];
        res.writeHead(200, { ...headers, "Content-Type": MIME[".json"] });
        res.end(JSON.stringify({ files: files.filter((f) => !f.startsWith(".")) }));
        return;
      }
      let file = path.startsWith("/data/") && data ? inside(data, path.slice("/data/".length)) : inside(base, path);
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
      createReadStream(file).pipe(res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "text/plain" });
      res.end("server error");
    }
  });
  await new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", ok);
  });
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}/`,
    port: actual,
    close: () => new Promise((ok) => server.close(ok)),
  };
}
