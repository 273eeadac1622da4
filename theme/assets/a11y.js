/* Reading settings (字号 标准/大/特大, 高对比度): buttons in the header, kept in localStorage (which
   Chromium shares between all pages opened from disk, so the choice follows the reader over file://
   too). The small script in <head> (main.html) applies the stored choice before the first paint;
   this one wires the buttons, keeps aria-pressed true to what is shown, and follows changes made in
   other tabs. No network, no dependencies. */
(function () {
  "use strict";
  var KEYS = { text: "dx-text-size", contrast: "dx-contrast" };
  var SIZES = ["normal", "large", "xlarge"];
  var root = document.documentElement;

  function read(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }
  function write(key, value) {
    try {
      if (value === null) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, value);
    } catch (e) { /* storage off: the choice lasts for this page */ }
  }

  function apply() {
    var size = read(KEYS.text);
    if (size === "large" || size === "xlarge") root.setAttribute("data-dx-text", size);
    else root.removeAttribute("data-dx-text");
    if (read(KEYS.contrast) === "high") root.setAttribute("data-dx-contrast", "high");
    else root.removeAttribute("data-dx-contrast");
    sync();
    if (typeof later === "function") later();
  }

  function current() {
    return {
      size: root.getAttribute("data-dx-text") || "normal",
      high: root.getAttribute("data-dx-contrast") === "high"
    };
  }

  function sync() {
    var now = current();
    var i, b;
    var sizeButtons = document.querySelectorAll("[data-dx-text-size]");
    for (i = 0; i < sizeButtons.length; i++) {
      b = sizeButtons[i];
      b.setAttribute("aria-pressed", String(b.getAttribute("data-dx-text-size") === now.size));
    }
    var contrastButtons = document.querySelectorAll("[data-dx-contrast-toggle]");
    for (i = 0; i < contrastButtons.length; i++) {
      contrastButtons[i].setAttribute("aria-pressed", String(now.high));
    }
  }

  function setSize(size) {
    if (SIZES.indexOf(size) < 0) return;
    write(KEYS.text, size === "normal" ? null : size);
    apply();
  }

  function toggleContrast() {
    write(KEYS.contrast, current().high ? null : "high");
    apply();
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    var sizeButton = target.closest("[data-dx-text-size]");
    if (sizeButton) { setSize(sizeButton.getAttribute("data-dx-text-size")); return; }
    if (target.closest("[data-dx-contrast-toggle]")) { toggleContrast(); return; }
    var toggle = target.closest(".dx-a11y__toggle");
    if (toggle) {
      var box = toggle.closest(".dx-a11y");
      var open = !box.classList.contains("dx-a11y--open");
      box.classList.toggle("dx-a11y--open", open);
      toggle.setAttribute("aria-expanded", String(open));
      if (open) {
        var first = box.querySelector(".dx-a11y__panel button");
        if (first) first.focus();
      }
      return;
    }
    // a click elsewhere closes the narrow-screen strip
    var openBox = document.querySelector(".dx-a11y--open");
    if (openBox && !openBox.contains(target)) close(openBox, false);
  });

  function close(box, refocus) {
    box.classList.remove("dx-a11y--open");
    var toggle = box.querySelector(".dx-a11y__toggle");
    if (toggle) {
      toggle.setAttribute("aria-expanded", "false");
      if (refocus) toggle.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var box = document.querySelector(".dx-a11y--open");
    if (box) close(box, true);
  });

  // -- the navigation drawer on narrow screens (Material opens it with a label the keyboard cannot reach)
  var drawer = document.getElementById("__drawer");
  var menuButton = document.querySelector("[data-dx-drawer]");
  function setDrawer(open, moveFocus) {
    if (!drawer) return;
    if (drawer.checked !== open) {
      drawer.checked = open;
      drawer.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (menuButton) menuButton.setAttribute("aria-expanded", String(open));
    if (open && moveFocus) {
      window.requestAnimationFrame(function () {
        var first = document.querySelector(".md-sidebar--primary a.md-nav__link, .md-sidebar--primary label.md-nav__link");
        if (first) first.focus();
      });
    }
  }
  if (drawer && menuButton) {
    menuButton.addEventListener("click", function () { setDrawer(!drawer.checked, true); });
    drawer.addEventListener("change", function () { menuButton.setAttribute("aria-expanded", String(drawer.checked)); });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked) {
        setDrawer(false, false);
        menuButton.focus();
      }
    });
  }

  // another tab (or the kiosk's idle reset) changed the settings
  window.addEventListener("storage", function (event) {
    if (event.key === null || event.key === KEYS.text || event.key === KEYS.contrast) apply();
  });

  // Wide tables sit in scrolling boxes (Material's .md-typeset__scrollwrap; the 公开情况 charts'
  // .dx-chart__scroll): when one overflows (larger text makes more of them overflow) it must be
  // reachable by keyboard to scroll. Our .dx-table boxes are focusable as written.
  function scrollers() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .dx-chart__scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", box.classList.contains("dx-chart__scroll") ? "图表（可左右滚动）" : "表格（可左右滚动）");
          box.setAttribute("data-dx-scroller", "");
        }
      } else if (box.hasAttribute("data-dx-scroller")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-dx-scroller");
      }
    }
  }
  var pending = null;
  function later() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = null; scrollers(); });
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  document.addEventListener("DOMContentLoaded", later);

  // the kiosk layer resets the settings for the next visitor through this
  window.dxA11y = {
    reset: function () { write(KEYS.text, null); write(KEYS.contrast, null); apply(); },
    apply: apply
  };

  apply();
})();
