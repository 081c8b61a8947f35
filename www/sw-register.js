// The page's side of the service worker (www/sw.js): registers it, and says
// so politely when a new version of nnlab has installed while this page is
// open ("A new version of nnlab is ready — Reload"). The button asks the
// waiting version to take over, then reloads; old and new never mix (sw.js).
//
// Where service workers are unavailable (file://, plain http on another
// machine) or registration fails, nothing happens: the app runs as before,
// online only. window.nnlabOffline resolves to { version } once a service
// worker is active (its install has precached the whole app), or to null
// when there is none; the tests wait for it.
const TEXT = {
  en: { ready: "A new version of nnlab is ready.", reload: "Reload", later: "Later" },
  zh: { ready: "nnlab 的新版本已准备好。", reload: "重新加载", later: "稍后" },
};

window.nnlabOffline = (async () => {
  if (!("serviceWorker" in navigator)) return null;
  try {
    // After the page has loaded: on a slow Wi-Fi the first visit's own downloads come first, and the
    // install then finds most files in the HTTP cache. updateViaCache "none": the browser's check for a
    // new sw.js on each visit always reaches the host, so a deploy is seen on the next visit.
    if (document.readyState !== "complete") await new Promise((ok) => addEventListener("load", ok, { once: true }));
    const registration = await navigator.serviceWorker.register("./sw.js", { updateViaCache: "none" });
    watchForUpdates(registration);
    const ready = await navigator.serviceWorker.ready;
    return { version: await ask(ready.active, "version") };
  } catch (err) {
    console.info(`nnlab works online only here (no service worker: ${err?.message ?? err})`);
    return null;
  }
})();

/** The reply of service worker `worker` to a message of `type`. */
function ask(worker, type) {
  return new Promise((ok) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => ok(event.data);
    worker.postMessage({ type }, [channel.port2]);
  });
}

function watchForUpdates(registration) {
  // Pages loaded from the network (the first visit) have no controller: nothing to update from.
  const controlled = Boolean(navigator.serviceWorker.controller);
  let reloading = false;
  const reload = () => {
    const waiting = registration.waiting;
    if (waiting) {
      reloading = true;
      waiting.postMessage({ type: "skip-waiting" }); // then controllerchange → reload
    } else {
      location.reload();
    }
  };
  if (controlled && registration.waiting) showNotice(reload);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) showNotice(reload);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
    // Another tab's Reload made the new version active: this page keeps its own version (sw.js) until reloaded.
    else if (controlled) showNotice(reload);
  });
}

/** The notice, once, with `onReload` on its button. */
function showNotice(onReload) {
  if (document.getElementById("update-notice")) return;
  const notice = document.createElement("div");
  notice.id = "update-notice";
  notice.className = "update-notice";
  notice.setAttribute("role", "status");
  const message = document.createElement("span");
  const reload = document.createElement("button");
  reload.id = "update-reload";
  reload.className = "btn small primary";
  reload.addEventListener("click", onReload);
  const later = document.createElement("button");
  later.className = "btn small";
  later.addEventListener("click", () => notice.remove());
  notice.append(message, reload, later);
  // In the page's language (the app sets <html lang>, "zh-CN" or "en"), also after a switch.
  const write = () => {
    const t = document.documentElement.lang.startsWith("zh") ? TEXT.zh : TEXT.en;
    message.textContent = t.ready;
    reload.textContent = t.reload;
    later.textContent = t.later;
  };
  write();
  new MutationObserver(write).observe(document.documentElement, { attributeFilter: ["lang"] });
  document.body.append(notice);
}
