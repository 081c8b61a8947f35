// Starts the Rust app once Trunk has loaded the wasm module. Until the app has
// installed its own panic hook, a failure to load or start is shown in the
// error banner as the browser reports it, instead of leaving an empty page.
const banner = () => document.getElementById("error-banner");

function showFailure(reason) {
  const el = banner();
  if (!el) return;
  el.textContent = String(reason && reason.message ? reason.message : reason);
  el.hidden = false;
}

let started = false;
function boot() {
  if (started) return;
  started = true;
  try {
    window.wasmBindings.start();
  } catch (err) {
    showFailure(err);
  }
}

window.addEventListener("unhandledrejection", (event) => {
  if (!started) showFailure(event.reason);
});

if (window.wasmBindings) {
  boot();
} else {
  window.addEventListener("TrunkApplicationStarted", boot);
}
