// `node scripts/serve.mjs [port]`: serves dist/ (the built site) and data/ on 127.0.0.1.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./static-server.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
const { url } = await serve(join(root, "dist"), { port, dataDir: join(root, "data") });
console.log(`nnlab is being served at ${url}  (Ctrl+C to stop)`);
