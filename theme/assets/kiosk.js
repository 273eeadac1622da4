/* Touch-terminal layer of the kiosk copy (查阅点离线版); shipped only in kiosk copies.
   - back to the home page after the idle time in the kiosk bar's data-idle (seconds; 0 = never),
     counted from the last touch, pointer, key, wheel, scroll or input; the reading settings are
     reset for the next visitor at the same time;
   - 返回上一页 goes back in the terminal's history (the kiosk browser has no toolbar);
   - no long-press menu and no dragging of links or images (both lead out of the copy);
   - attachments open inside the page, in a viewer with a large 关闭 button, instead of being
     downloaded onto the terminal or replacing the page (which would lose the kiosk bar).
   No network, no dependencies. */
(function () {
  "use strict";
  var bar = document.querySelector("[data-dx-kiosk]");
  if (!bar) return;
  var idleSeconds = parseInt(bar.getAttribute("data-idle"), 10) || 0;
  var homeLink = bar.querySelector("[data-dx-home]");
  var onHome = bar.hasAttribute("data-dx-on-home");
  var viewer = null;

  // -- idle: one timeout, re-armed lazily so pointer moves cost nothing ----------------------------
  var last = Date.now();
  var timer = null;
  function limit() { return idleSeconds * 1000 * (viewer ? 4 : 1); }  // reading an attachment takes longer
  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, Math.max(50, ms));
  }
  function check() {
    var left = last + limit() - Date.now();
    if (left > 0) { schedule(left); return; }
    expire();
  }
  function activity() { last = Date.now(); }
  function expire() {
    if (window.dxA11y) window.dxA11y.reset();
    else {
      try { localStorage.removeItem("dx-text-size"); localStorage.removeItem("dx-contrast"); } catch (e) { /* */ }
    }
    if (onHome || !homeLink) {
      closeViewer(false);
      var drawer = document.getElementById("__drawer");
      if (drawer) drawer.checked = false;
      var fields = document.querySelectorAll("input[type=search], input[type=text]");
      for (var i = 0; i < fields.length; i++) fields[i].value = "";
      if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
      window.scrollTo(0, 0);
      last = Date.now();
      schedule(limit());
    } else {
      window.location.replace(homeLink.href);
    }
  }
  if (idleSeconds > 0) {
    ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "input", "focusin"].forEach(function (type) {
      document.addEventListener(type, activity, { capture: true, passive: true });
    });
    schedule(limit());
  }

  // -- back ---------------------------------------------------------------------------------------
  var back = bar.querySelector("[data-dx-back]");
  if (back) {
    back.addEventListener("click", function () {
      if (window.history.length > 1) window.history.back();
      else if (homeLink) window.location.href = homeLink.href;
    });
  }

  // -- no long-press menu, no dragging links out --------------------------------------------------
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
  document.addEventListener("dragstart", function (event) { event.preventDefault(); });

  // -- attachments in an in-page viewer -----------------------------------------------------------
  var opener = null;
  function openViewer(link) {
    closeViewer(false);
    opener = link;
    var title = (link.textContent || "").trim() || "附件";
    viewer = document.createElement("div");
    viewer.className = "dx-viewer";
    viewer.setAttribute("role", "dialog");
    viewer.setAttribute("aria-modal", "true");
    viewer.setAttribute("aria-labelledby", "dx-viewer-title");
    var head = document.createElement("div");
    head.className = "dx-viewer__bar";
    var heading = document.createElement("h2");
    heading.id = "dx-viewer-title";
    heading.className = "dx-viewer__title";
    heading.textContent = "附件：" + title;  // text, never HTML
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "dx-viewer__close";
    closeButton.textContent = "关闭附件";
    closeButton.addEventListener("click", function () { closeViewer(true); });
    head.appendChild(heading);
    head.appendChild(closeButton);
    var frame = document.createElement("iframe");
    frame.className = "dx-viewer__frame";
    frame.title = "附件：" + title;
    frame.src = link.href;
    viewer.appendChild(head);
    viewer.appendChild(frame);
    document.body.appendChild(viewer);
    document.documentElement.classList.add("dx-viewer-open");
    setInert(true);
    closeButton.focus();
  }
  function setInert(on) {  // the page behind the viewer can be neither tabbed to nor touched
    var children = document.body.children;
    for (var i = 0; i < children.length; i++) {
      if (children[i] === viewer || children[i] === bar) continue;
      if (on) children[i].setAttribute("inert", "");
      else children[i].removeAttribute("inert");
    }
  }
  function closeViewer(refocus) {
    if (!viewer) return;
    viewer.parentNode.removeChild(viewer);
    viewer = null;
    setInert(false);
    document.documentElement.classList.remove("dx-viewer-open");
    if (refocus && opener) opener.focus();
    opener = null;
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var link = target && target.closest("a[data-dx-attachment]");
    if (!link || event.defaultPrevented) return;
    event.preventDefault();
    openViewer(link);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && viewer) closeViewer(true);
  });
})();
