/* 政策文件库 filters (theme/disclosure/policies.html): type, 发布机构, year, validity and a search box over
 * title and 文号, run in the browser over policies/library.js (written at build time by
 * site_builder/outputs/policyfiles.py). The data file is a script calling window.__dxPolicy, so it loads
 * from disk (file://, a kiosk) as well as over http; nothing is fetched from the network.
 * The query is folded like the site search folds it (site_builder/outputs/search/fold.py: NFKC, lower
 * case, 简繁, brackets, whitespace), with the tables the data file carries; titles and 文号 come folded.
 * Without JavaScript the page lists every document, paginated. Text from content goes in as text nodes. */
(function () {
  "use strict";
  var PAGE = 20;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function folder(data) {
    var table = new Map(), ws = new Set(Array.from(data.fold.ws)), cache = new Map();
    var from = Array.from(data.fold.from), to = Array.from(data.fold.to);
    for (var i = 0; i < from.length; i++) table.set(from[i], to[i]);
    function foldChar(c) {
      var f = cache.get(c);
      if (f !== undefined) return f;
      var out = "";
      for (var ch of c.normalize("NFKC").toLowerCase()) {
        var m = table.get(ch);
        if (m !== undefined) ch = m;
        if (ws.has(ch)) ch = " ";
        out += ch;
      }
      cache.set(c, out);
      return out;
    }
    return function (text) {
      var out = "";
      for (var c of text) out += foldChar(c);
      return out;
    };
  }

  function siteRoot() {
    // the data file is policies/library.js under the site root: its resolved address gives the root
    var s = document.querySelector("script[data-dx-policy]");
    if (!s) return "";
    var src = s.src.split("?")[0];
    return src.slice(0, src.lastIndexOf("/policies/") + 1);
  }

  function start(data) {
    var form = document.getElementById("dx-policy-filter");
    var results = document.getElementById("dx-policy-results");
    var all = document.getElementById("dx-policy-all");
    var count = document.getElementById("dx-policy-count");
    if (!form || !results || !all) return;
    var fold = folder(data), root = siteRoot(), shown = PAGE;
    var fromDisk = location.protocol === "file:";

    function href(u) { return root + u + (fromDisk && /\/$/.test(u) ? "index.html" : ""); }

    function values() {
      return {
        words: fold(form.elements.q.value).split(" ").filter(Boolean),
        type: form.elements.type.value, dept: form.elements.dept.value,
        year: form.elements.year.value, validity: form.elements.validity.value
      };
    }
    function active(v) { return v.words.length || v.type || v.dept || v.year || v.validity; }
    function matches(doc, v) {
      return (!v.type || doc.k === v.type) && (!v.dept || doc.d === v.dept) &&
        (!v.year || String(doc.y) === v.year) && (!v.validity || doc.v === v.validity) &&
        v.words.every(function (w) { return doc.f.indexOf(w) !== -1; });
    }
    function item(doc) {
      var li = el("li", "dx-list__item");
      var a = el("a", "dx-list__title", doc.t);
      a.href = href(doc.u);
      li.appendChild(a);
      if (doc.v !== "现行有效") {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "dx-badge dx-badge--" + (doc.v === "失效" ? "expired" : "repealed"), doc.v));
      }
      var dl = el("dl", "dx-policy-meta");
      [["文号", doc.n || "—"], ["发布机构", doc.dn], ["成文日期", doc.w || "—"], ["发布日期", doc.p],
       ["有效性", doc.v], ["类型", doc.k]].forEach(function (pair) {
        var div = el("div");
        div.appendChild(el("dt", null, pair[0]));
        var dd = el("dd", pair[0] === "有效性" ? "dx-policy-v" + (doc.v !== "现行有效" ? " dx-policy-v--off" : "") : null, pair[1]);
        div.appendChild(dd);
        dl.appendChild(div);
      });
      li.appendChild(dl);
      if (doc.dl && doc.dl.length) {  // a 行政规范性文件's Word and PDF versions
        var p = el("p", "dx-policy-dl");
        doc.dl.forEach(function (f) {
          var a = el("a", null, f[0]);
          a.href = root + f[1];
          a.setAttribute("download", "");
          p.appendChild(a);
          p.appendChild(document.createTextNode(" "));
        });
        li.appendChild(p);
      }
      return li;
    }
    function render() {
      var v = values();
      if (!active(v)) {
        results.hidden = true;
        all.hidden = false;
        count.textContent = "";
        return;
      }
      var found = data.docs.filter(function (doc) { return matches(doc, v); });
      results.textContent = "";
      if (!found.length) {
        results.appendChild(el("p", "dx-empty", "没有符合条件的政策文件，请减少筛选条件或更换检索词。"));
      } else {
        var ol = el("ol", "dx-list dx-policy-list");
        found.slice(0, shown).forEach(function (doc) { ol.appendChild(item(doc)); });
        results.appendChild(ol);
        if (found.length > shown) {
          var more = el("button", "md-button dx-policy-more", "显示更多（还有 " + (found.length - shown) + " 件）");
          more.type = "button";
          more.addEventListener("click", function () { shown += PAGE; render(); });
          results.appendChild(more);
        }
      }
      count.textContent = "符合条件的政策文件共 " + found.length + " 件" + (found.length > shown ? "，已显示前 " + shown + " 件" : "") + "。";
      results.hidden = false;
      all.hidden = true;
    }
    function remember() {
      var v = new URLSearchParams();
      ["q", "type", "dept", "year", "validity"].forEach(function (k) {
        if (form.elements[k].value) v.set(k, form.elements[k].value);
      });
      var query = v.toString();
      try { history.replaceState(null, "", location.pathname + (query ? "?" + query : "")); } catch (e) { /* file:// in some browsers */ }
    }
    function changed() { shown = PAGE; render(); remember(); }

    var params = new URLSearchParams(location.search);
    ["q", "type", "dept", "year", "validity"].forEach(function (k) {
      if (params.has(k)) form.elements[k].value = params.get(k);
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (e) { e.preventDefault(); changed(); });
    form.addEventListener("reset", function () { setTimeout(changed, 0); });
    form.hidden = false;
    render();
  }

  window.__dxPolicy = function (data) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { start(data); });
    else start(data);
  };
})();
