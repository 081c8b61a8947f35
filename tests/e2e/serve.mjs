// The end-to-end tests serve the built site with the same server as scripts/serve.sh.
import { serve as serveSite } from "../../scripts/static-server.mjs";

/** Serves `root` on 127.0.0.1 at a free port; resolves to { url, close() }. */
export function serve(root, options = {}) {
  return serveSite(root, options);
}
