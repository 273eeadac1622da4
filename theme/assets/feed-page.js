/* A feed's HTML page (disclosure/feed.html): the 复制地址 button copies the feed's address.
 *
 * The button stays hidden without script; the address (a read-only text area) selects itself when
 * focused, so it can still be copied by hand. Uses the Clipboard API where the page may (https://,
 * http://127.0.0.1), else selects the text and asks the browser to copy it.
 */
(function () {
  "use strict";

  function init() {
    var buttons = document.querySelectorAll("[data-dx-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var field = document.getElementById(button.getAttribute("data-dx-copy"));
      var status = document.getElementById("dx-feed-copied");
      if (!field) return;
      function say(text) { if (status) status.textContent = text; }
      function copied() { say("已复制订阅地址，请粘贴到 RSS 阅读器的“添加订阅”中。"); }
      function byHand() {
        field.focus();
        field.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        if (ok) copied(); else say("请按 Ctrl+C（苹果电脑按 ⌘+C）复制已选中的地址。");
      }
      field.addEventListener("focus", function () { field.select(); });
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = field.value;
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(copied, byHand);
        } else {
          byHand();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
