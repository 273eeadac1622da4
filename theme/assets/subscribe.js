/* 订阅 page: build an OPML file of the ticked domains and departments, in the browser.
 *
 * No network: the feed list is embedded in the page (<script type="application/json"
 * id="dx-subscribe-data">), so this works from a web server and straight from disk (file://).
 * The OPML is built with DOM APIs and XMLSerializer, so every title and address is escaped by the
 * serializer, never by string pasting. Plain script (no modules), loaded with a relative <script src>.
 */
(function () {
  "use strict";

  var OPML_TYPE = "text/x-opml+xml;charset=utf-8";

  function readData() {
    var node = document.getElementById("dx-subscribe-data");
    if (!node) return null;
    try {
      return JSON.parse(node.textContent);
    } catch (e) {
      return null;
    }
  }

  /* Build the OPML 2.0 document for the given feed keys (in the order the page lists them). */
  function buildOpml(data, keys) {
    var doc = document.implementation.createDocument(null, "opml", null);
    var root = doc.documentElement;
    root.setAttribute("version", "2.0");
    var head = doc.createElement("head");
    var title = doc.createElement("title");
    title.textContent = data.title || "我的订阅";
    head.appendChild(title);
    root.appendChild(head);
    var body = doc.createElement("body");
    root.appendChild(body);
    var folders = {};
    keys.forEach(function (key) {
      var feed = data.feeds[key];
      if (!feed) return;
      var folder = folders[feed.group];
      if (!folder) {
        folder = doc.createElement("outline");
        folder.setAttribute("text", feed.group);
        folder.setAttribute("title", feed.group);
        body.appendChild(folder);
        folders[feed.group] = folder;
      }
      var outline = doc.createElement("outline");
      outline.setAttribute("type", "rss");
      outline.setAttribute("text", feed.title);
      outline.setAttribute("title", feed.title);
      if (feed.description) outline.setAttribute("description", feed.description);
      outline.setAttribute("xmlUrl", feed.xmlUrl);
      outline.setAttribute("htmlUrl", feed.htmlUrl);
      outline.setAttribute("language", "zh-CN");
      folder.appendChild(outline);
    });
    return '<?xml version="1.0" encoding="utf-8"?>\n' + new XMLSerializer().serializeToString(doc) + "\n";
  }

  function download(text, filename) {
    var blob = new Blob([text], { type: OPML_TYPE });
    var href = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = href;
    a.download = filename;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(href); }, 10000);
  }

  function init() {
    var form = document.getElementById("dx-subscribe-form");
    var status = document.getElementById("dx-subscribe-status");
    var data = readData();
    if (!form || !data || !data.feeds) return;

    function say(text) {
      if (status) status.textContent = text;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var keys = [];
      var boxes = form.querySelectorAll('input[type="checkbox"][name="feed"]');
      for (var i = 0; i < boxes.length; i++) {
        if (boxes[i].checked && data.feeds[boxes[i].value]) keys.push(boxes[i].value);
      }
      if (!keys.length) {
        say("请至少勾选一个重点领域或发布机构。");
        var first = boxes[0];
        if (first) first.focus();
        return;
      }
      download(buildOpml(data, keys), form.getAttribute("data-filename") || "subscriptions.opml");
      say("已生成包含 " + keys.length + " 个订阅源的 OPML 文件，请在 RSS 阅读器中选择“导入 OPML”。");
    });
    form.addEventListener("reset", function () { say(""); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
