/* 站内搜索 · offline Chinese search for the disclosure site.
 *
 * Plain script, no bundler, no fetch(): every index file is a script that calls a registration
 * function on window.__dxSearch, so the same code loads it over http:// and from disk (file://).
 * The index format and the matching/ranking steps are documented in site_builder/search/ (encode.py,
 * query.py); keep this file in step with them. Results are built with DOM APIs and textContent only.
 */
(function () {
  "use strict";

  var PAGE = 10;
  var MAX_WORD_GRAMS = 8;
  var LEVEL_WEIGHT = [10, 4, 1];
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var VALUE = {};
  for (var a = 0; a < ALPHABET.length; a++) VALUE[ALPHABET.charAt(a)] = a;

  var reg = (window.__dxSearch = window.__dxSearch || {});
  var store = { meta: null, facets: null, shards: {}, docs: {} };
  reg.meta = function (m) { store.meta = m; };
  reg.facets = function (f) { store.facets = f; };
  reg.shard = function (n, data) { store.shards[n] = data; };
  reg.doc = function (packed) {  // a doc file names no id: its first record's id is on the script element
    var s = document.currentScript, first = s && s.getAttribute("data-doc");
    if (first === null || first === undefined) return;
    store.docs[Number(first)] = packed;  // its records' entries, deflated together
  };

  // -- loading: <script src> tags, one promise per file -------------------------------------------
  var loading = {};
  function load(src, docId) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        if (docId !== undefined) s.setAttribute("data-doc", String(docId));
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete loading[src]; reject(new Error("无法加载 " + src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  // -- folding (site_builder/search/fold.py): NFKC, lower case, 简繁, brackets, whitespace --------------
  var foldTable = null, wsSet = null, foldCache = new Map();
  function initFold(meta) {
    foldTable = new Map();
    var from = Array.from(meta.fold.from), to = Array.from(meta.fold.to);
    for (var i = 0; i < from.length; i++) foldTable.set(from[i], to[i]);
    wsSet = new Set(Array.from(meta.fold.ws));
  }
  function foldChar(c) {
    var f = foldCache.get(c);
    if (f !== undefined) return f;
    var out = "";
    for (var ch of c.normalize("NFKC").toLowerCase()) {
      var m = foldTable.get(ch);
      if (m !== undefined) ch = m;
      if (wsSet.has(ch)) ch = " ";
      out += ch;
    }
    foldCache.set(c, out);
    return out;
  }
  function fold(text) {
    var out = "";
    for (var c of text) out += foldChar(c);
    return out;
  }
  /* The folded text plus, for every folded code unit, the original [start, end) it came from. */
  function foldMapped(text) {
    var s = "", starts = [], ends = [], i = 0;
    for (var c of text) {
      var f = foldChar(c);
      for (var k = 0; k < f.length; k++) { starts.push(i); ends.push(i + c.length); }
      s += f;
      i += c.length;
    }
    return { s: s, starts: starts, ends: ends };
  }

  function queryWords(q) {
    var seen = new Set(), words = [];
    fold(q).split(" ").forEach(function (w) {
      if (w && !seen.has(w)) { seen.add(w); words.push(w); }
    });
    return words;
  }
  /* the bigram across the boundary of two consecutive words (present when they are likely adjacent) */
  function junction(a, b) { return Array.from(a).pop() + Array.from(b)[0]; }
  function unique(list) { return Array.from(new Set(list)); }
  function wordGrams(word) {
    var cps = Array.from(word);
    if (cps.length === 1) return [word];
    var wide = cps.some(function (c) { return c.codePointAt(0) > 0xffff; });
    var out = [];
    if (cps.length === 2 || wide) {
      for (var i = 0; i + 1 < cps.length; i++) out.push(cps[i] + cps[i + 1]);
    } else {
      for (var j = 0; j + 2 < cps.length; j++) out.push(cps[j] + cps[j + 1] + cps[j + 2]);
    }
    out = unique(out);
    if (out.length <= MAX_WORD_GRAMS) return out;
    // a long word: 8 grams spread over it (tokenize.py _spread), the text check keeps the result exact
    var k = out.length, picked = [];
    for (var m = 0; m < MAX_WORD_GRAMS; m++) picked.push(out[Math.floor((m * (k - 1)) / (MAX_WORD_GRAMS - 1))]);
    return unique(picked);
  }

  // -- index files (site_builder/search/encode.py) -------------------------------------------------
  function shardOf(gram, shards) {
    var h = 0x811c9dc5;
    for (var ch of gram) {
      h ^= ch.codePointAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return (h >>> 0) % shards;
  }
  function decodeIds(text, level, into) {
    if (!text) return;
    if (text.charAt(0) === "~") {
      for (var p = 1; p < text.length; p++) {
        var v = VALUE[text.charAt(p)], base = (p - 1) * 6;
        for (var k = 0; k < 6; k++) if ((v >> k) & 1) into.set(base + k, level);
      }
      return;
    }
    var prev = -1, n = 0;
    for (var i = 0; i < text.length; i++) {
      var x = VALUE[text.charAt(i)];
      if (x & 32) n = n * 32 + (x & 31);
      else { prev = prev + n * 32 + x + 1; into.set(prev, level); n = 0; }
    }
  }
  function decodeEntry(text) {
    var out = new Map();
    if (!text) return out;
    text.split(".").forEach(function (part, level) { decodeIds(part, level, out); });
    return out;
  }

  function Engine(base, meta) {
    this.base = base;
    this.meta = meta;
    this.parsed = new Map();
    this.depName = new Map(meta.departments.map(function (x) { return [x[0], x[1]]; }));
    this.domName = new Map(meta.domains.map(function (x) { return [x[0], x[1]]; }));
  }
  /* The facet codes of every record (facets.js, loaded only when the filters are shown: App.loadFacets;
     the format: site_builder/outputs/search/facets.py). `bytes`: its columns, inflated. */
  Engine.prototype.setFacets = function (f, bytes) {
    var meta = this.meta, n = meta.n, at = 0, cols = {};
    f.columns.forEach(function (c) {  // [name, width]: `width` planes of n bytes, the high one first
      var codes = new Array(n).fill(0);
      for (var k = 0; k < c[1]; k++, at += n) for (var i = 0; i < n; i++) codes[i] = codes[i] * 256 + bytes[at + i];
      cols[c[0]] = codes;
    });
    var groups = f.groups;
    this.dep = cols.grp.map(function (g) { return groups[g][0]; });
    this.dom = cols.grp.map(function (g) { return groups[g][1]; });  // shared arrays: read only
    this.year = cols.year.map(function (y) { return meta.year0 + y; });
    this.val = cols.val;
    this.prj = cols.prj;
    this.con = cols.con;  // 意见征集 status (an index into meta.consultations; the last: not a consultation)
    // facets with one labelled value or none per record (公报期号, 主题分类): 0 is none
    var self = this;
    (meta.labelledFacets || []).forEach(function (x) { self[x.key] = cols[x.key] || new Array(n).fill(0); });
  };
  Engine.prototype.shardSrc = function (s) { return this.base + "g/" + s + ".js?v=" + this.meta.build; };
  Engine.prototype.facetsSrc = function () { return this.base + "facets.js?v=" + this.meta.build; };
  Engine.prototype.docFirst = function (i) { return i - (i % this.meta.docsPerFile); };
  Engine.prototype.docSrc = function (i) {
    return this.base + "d/" + Math.floor(i / this.meta.docsPerDir) + "/" +
      Math.floor(i / this.meta.docsPerFile) + ".js?v=" + this.meta.build;
  };
  Engine.prototype.entry = function (gram) {
    if (!this.parsed.has(gram)) {
      var shard = store.shards[shardOf(gram, this.meta.shards)] || {};
      this.parsed.set(gram, decodeEntry(Object.prototype.hasOwnProperty.call(shard, gram) ? shard[gram] : ""));
    }
    return this.parsed.get(gram);
  };
  Engine.prototype.search = function (words) {
    var self = this, meta = this.meta;
    var grams = [];
    words.forEach(function (w) { grams = grams.concat(wordGrams(w)); });
    for (var j = 0; j + 1 < words.length; j++) grams.push(junction(words[j], words[j + 1]));
    var shards = unique(grams.map(function (g) { return shardOf(g, meta.shards); }));
    return Promise.all(shards.map(function (s) { return load(self.shardSrc(s)); })).then(function () {
      var score = null;
      for (var wi = 0; wi < words.length; wi++) {
        var level = null;
        var gs = wordGrams(words[wi]);
        for (var gi = 0; gi < gs.length; gi++) {
          var e = self.entry(gs[gi]);
          if (level === null) level = new Map(e);
          else {
            var next = new Map();
            level.forEach(function (lv, id) { if (e.has(id)) next.set(id, Math.max(lv, e.get(id))); });
            level = next;
          }
          if (!level.size) break;
        }
        if (score === null) {
          score = new Map();
          level.forEach(function (lv, id) { score.set(id, LEVEL_WEIGHT[lv]); });
        } else {
          var kept = new Map();
          score.forEach(function (s, id) { if (level.has(id)) kept.set(id, s + LEVEL_WEIGHT[level.get(id)]); });
          score = kept;
        }
        if (!score.size) break;
      }
      var ids = Array.from(score.keys());
      var phrase = new Map();
      ids.forEach(function (id) { phrase.set(id, 1); });
      if (words.length > 1) {
        for (var k = 0; k + 1 < words.length; k++) {
          var joined = self.entry(junction(words[k], words[k + 1]));
          ids.forEach(function (id) { if (!joined.has(id)) phrase.set(id, 0); });
        }
      }
      ids.sort(function (a, b) {  // ids are oldest first: on ties, the higher id (newer record) first
        return (phrase.get(b) - phrase.get(a)) || (score.get(b) - score.get(a)) || (b - a);
      });
      return ids;
    });
  };
  Engine.prototype.doc = function (i) {
    var self = this;
    if (this.docCache === undefined) this.docCache = new Map();
    if (this.docCache.has(i)) return this.docCache.get(i);
    var first = this.docFirst(i);
    var p = this.docFile(first).then(function (entries) { return entries[i - first]; }).then(function (d) {
      // the record's own facets (the codes of facets.js may not be loaded)
      d.dep = self.depName.has(d.p) ? self.depName.get(d.p) : d.p;
      d.domNames = (d.m || []).map(function (x) { return self.domName.has(x) ? self.domName.get(x) : x; });
      var con = (self.meta.consultationKeys || []).indexOf(d.c || "");
      d.consultation = con >= 0 ? (self.meta.consultations || [])[con] : "";
      d.fields = [[d.t].concat(d.g).join("\n"), [d.s, d.n, d.o, d.dep].join("\n"), d.b];
      // the body (the longest text) is folded once, with its mapping back, for the check and the snippet
      d.bodyMapped = foldMapped(d.b || "");
      d.folded = [fold(d.fields[0]), fold(d.fields[1]), d.bodyMapped.s];
      return d;
    });
    this.docCache.set(i, p);
    return p;
  };
  Engine.prototype.docFile = function (first) {  // a doc file's entries, inflated once for all its records
    if (this.docFiles === undefined) this.docFiles = new Map();
    if (!this.docFiles.has(first)) {
      this.docFiles.set(first, load(this.docSrc(first), first).then(function () {
        var packed = store.docs[first];
        delete store.docs[first];
        return inflate(packed);
      }));
    }
    return this.docFiles.get(first);
  };
  function inflated(packed) {  // base64 of deflated bytes → a Response of the bytes
    var bin = atob(packed), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")));
  }
  function inflate(packed) { return inflated(packed).text().then(JSON.parse); }
  function inflateBytes(packed) {
    return inflated(packed).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function contains(doc, words) {
    return words.every(function (w) {
      return doc.folded.some(function (t) { return t.indexOf(w) >= 0; });
    });
  }

  // -- highlighting: ranges in the original text of every folded match ------------------------------
  function matchRanges(text, words, from, to, mapped) {
    var m = mapped || foldMapped(text), ranges = [];
    words.forEach(function (w) {
      var at = m.s.indexOf(w);
      while (at >= 0) {
        var a = m.starts[at], b = m.ends[at + w.length - 1];
        if ((from === undefined || b > from) && (to === undefined || a < to)) ranges.push([a, b]);
        at = m.s.indexOf(w, at + Math.max(1, w.length));
      }
    });
    ranges.sort(function (x, y) { return x[0] - y[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }
  function appendMarked(el, text, ranges, from, to) {
    from = from || 0;
    to = to === undefined ? text.length : to;
    var pos = from;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], from), b = Math.min(r[1], to);
      if (b <= a) return;
      if (a > pos) el.appendChild(document.createTextNode(text.slice(pos, a)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(a, b);
      el.appendChild(mark);
      pos = b;
    });
    if (pos < to) el.appendChild(document.createTextNode(text.slice(pos, to)));
  }
  /* Where a snippet of text around a match at [at, at + len) starts and ends: about 40 characters
     before the match and 100 after, moved to a sensible boundary — after a sentence end (。！？；),
     else after a comma, a space or a table cell (" | ", search/tokenize.py), never inside a number or
     a Latin word. Returns [from, to]. */
  var SNIPPET_BEFORE = 40, SNIPPET_AFTER = 100, SNIPPET_SLACK = 30;
  var STRONG_END = "。！？；!?;…";
  var WEAK_END = "，、：,:）)」』”’》〕】 |";
  function wordChar(c) { return !!c && /[0-9A-Za-z０-９Ａ-Ｚａ-ｚ.%％\-_/]/.test(c); }
  function snippetBounds(text, at, len) {
    var n = text.length, from = 0, to = n, i, best;
    len = Math.max(1, len || 1);
    if (at - SNIPPET_BEFORE > 0) {
      var ideal = at - SNIPPET_BEFORE, lo = Math.max(0, ideal - SNIPPET_SLACK), hi = Math.max(lo, at - 6);
      best = -1;
      for (i = lo; i <= hi; i++) {  // right after a sentence end, nearest the ideal start
        if (i > 0 && STRONG_END.indexOf(text.charAt(i - 1)) >= 0 && (best < 0 || Math.abs(i - ideal) < Math.abs(best - ideal))) best = i;
      }
      if (best < 0) {
        for (i = lo; i <= hi; i++) {  // else after a comma, a space or a cell
          if (i > 0 && WEAK_END.indexOf(text.charAt(i - 1)) >= 0 && (best < 0 || Math.abs(i - ideal) < Math.abs(best - ideal))) best = i;
        }
      }
      if (best < 0) {  // else at least not inside a number or a word
        best = ideal;
        while (best > lo && wordChar(text.charAt(best - 1)) && wordChar(text.charAt(best))) best--;
        if (best > 0 && wordChar(text.charAt(best - 1)) && wordChar(text.charAt(best))) {
          best = ideal;
          while (best < at && wordChar(text.charAt(best))) best++;
        }
      }
      from = best;
      while (from < at && (text.charAt(from) === " " || text.charAt(from) === "|")) from++;
    }
    if (from + SNIPPET_BEFORE + SNIPPET_AFTER < n) {
      var end = Math.max(at + len, from + SNIPPET_BEFORE + SNIPPET_AFTER);
      var elo = Math.max(at + len, end - SNIPPET_SLACK), ehi = Math.min(n, end + SNIPPET_SLACK);
      best = -1;
      for (i = elo; i <= ehi; i++) {  // just after a sentence end
        if (STRONG_END.indexOf(text.charAt(i - 1)) >= 0 && (best < 0 || Math.abs(i - end) < Math.abs(best - end))) best = i;
      }
      if (best < 0) {
        for (i = elo; i < ehi; i++) {  // else just before a comma, a space or a cell
          if (WEAK_END.indexOf(text.charAt(i)) >= 0 && (best < 0 || Math.abs(i - end) < Math.abs(best - end))) best = i;
        }
      }
      if (best < 0) {
        best = end;
        while (best < ehi && wordChar(text.charAt(best - 1)) && wordChar(text.charAt(best))) best++;
      }
      to = Math.min(n, best);
      while (to > at + len && (text.charAt(to - 1) === " " || text.charAt(to - 1) === "|")) to--;
    }
    return [from, to];
  }
  /* The first of body, 内容概述, 主题词, 文号/索引号 that holds a query word, around its first match. */
  function snippet(el, doc, words) {
    var fields = [doc.b || "", doc.s || "", (doc.g || []).length ? "主题词：" + doc.g.join("、") : "",
      [doc.o ? "文号：" + doc.o : "", doc.n ? "索引号：" + doc.n : ""].filter(Boolean).join("　")];
    var text = fields[0] || fields[1], first = -1, firstLen = 1, m;
    for (var f = 0; f < fields.length && first < 0; f++) {
      if (!fields[f]) continue;
      m = f === 0 && doc.bodyMapped ? doc.bodyMapped : foldMapped(fields[f]);
      for (var w = 0; w < words.length; w++) {
        var at = m.s.indexOf(words[w]);
        if (at >= 0 && (first < 0 || at < first)) { first = at; firstLen = words[w].length; }
      }
      if (first >= 0) text = fields[f];
    }
    var bounds = first >= 0 ? snippetBounds(text, m.starts[first], m.ends[first + firstLen - 1] - m.starts[first])
      : snippetBounds(text, 0, 1);
    var from = bounds[0], to = bounds[1];
    if (from > 0) el.appendChild(document.createTextNode("…"));
    appendMarked(el, text, matchRanges(text, words, from, to, text === doc.b ? doc.bodyMapped : undefined), from, to);
    if (to < text.length) el.appendChild(document.createTextNode("…"));
  }

  function mark(name) { if (window.performance && performance.mark) performance.mark(name); }

  // -- the page -----------------------------------------------------------------------------------
  var FACETS = [  // the labelled facets of meta.js (labelledFacets) join these when it is loaded; codes: facets.js
    { key: "dom", label: "所属领域" },
    { key: "dep", label: "发布机构" },
    { key: "year", label: "发布年度" },
    { key: "val", label: "有效性" },
    { key: "prj", label: "重大建设项目" },  // only records of a project count (0: none)
    { key: "con", label: "意见征集" },
  ];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function emptySelection() {
    var s = {};
    FACETS.forEach(function (f) { s[f.key] = new Set(); });
    return s;
  }

  function App(root) {
    this.root = root;
    this.base = root.getAttribute("data-index");
    this.siteRoot = root.getAttribute("data-root") || "";
    this.form = root.querySelector("form");
    this.input = root.querySelector("input[name=q]");
    this.status = root.querySelector(".dx-search__status");
    this.facetsEl = root.querySelector(".dx-search__facets");
    this.list = root.querySelector(".dx-search__list");
    this.more = root.querySelector(".dx-search__more");
    this.toggle = root.querySelector(".dx-search__filter-toggle");
    // search.css folds the filters behind 筛选 on narrow screens: facets.js loads when they are seen
    this.narrow = window.matchMedia ? window.matchMedia("(max-width: 45em)") : null;
    this.facetsLoading = null;  // the promise of facets.js, once asked for
    this.facetsLoaded = false;
    this.headerInput = document.getElementById("dx-header-q");  // the header box (partials/dx-searchbox.html)
    this.selected = emptySelection();
    this.run = 0;
  }
  App.prototype.start = function () {
    var self = this;
    this.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = self.input.value.trim();
      try { history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname); } catch (e) { /* file:// may refuse */ }
      self.query(q);
    });
    var header = this.headerInput && this.headerInput.form;
    if (header) {  // on this page the header box searches in place, like the page's own box
      header.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var q = self.headerInput.value.trim();
        try { history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname); } catch (e) { /* file:// may refuse */ }
        self.query(q);
      });
    }
    if (this.toggle) {
      this.toggle.addEventListener("click", function () { self.setFiltersOpen(self.toggle.getAttribute("aria-expanded") !== "true"); });
    }
    if (this.narrow) {  // a window widened past the phone layout shows the filters: load them then
      var widened = function () { if (self.candidates && self.candidates.length && self.filtersShown()) self.wantFacets(); };
      if (this.narrow.addEventListener) this.narrow.addEventListener("change", widened);
      else if (this.narrow.addListener) this.narrow.addListener(widened);
    }
    this.more.addEventListener("click", function () { self.page(true); });
    this.list.addEventListener("keydown", function (ev) { self.arrowKeys(ev); });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key === "/" && !(t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) {
        ev.preventDefault();
        self.input.focus();
        self.input.select();
      }
    });
    var q = new URLSearchParams(location.search).get("q") || "";
    this.showQuery(q);
    this.setStatus(q ? "正在检索……" : "请输入检索词。");
    return load(this.base + "meta.js").then(function () {
      mark("dx-meta-loaded");
      if (!store.meta) throw new Error("索引文件无效");
      if (typeof DecompressionStream === "undefined") throw new Error("浏览器版本过旧，不支持离线检索，请升级浏览器");
      initFold(store.meta);
      self.engine = new Engine(self.base, store.meta);
      (store.meta.labelledFacets || []).forEach(function (x) {
        if (!FACETS.some(function (f) { return f.key === x.key; })) FACETS.push({ key: x.key, label: x.label, values: x.values });
      });
      self.selected = emptySelection();
      mark("dx-engine-ready");
      self.root.setAttribute("data-ready", "true");
      if (q) return self.query(q);
    }).catch(function (err) { self.fail(err); });
  };
  App.prototype.fail = function (err) {
    this.setStatus("检索出错：" + (err && err.message ? err.message : String(err)));
    this.root.setAttribute("data-state", "error");
  };
  App.prototype.setStatus = function (text) { this.status.textContent = text; };
  /* The query stays in both boxes: the page's and the header's. */
  App.prototype.showQuery = function (q) {
    if (this.input.value.trim() !== q) this.input.value = q;
    if (this.headerInput && this.headerInput.value.trim() !== q) this.headerInput.value = q;
  };
  /* Narrow screens: the filters are folded behind the 筛选 button (search.css shows them when open). */
  App.prototype.setFiltersOpen = function (open) {
    if (!this.toggle) return;
    this.toggle.setAttribute("aria-expanded", open ? "true" : "false");
    this.root.setAttribute("data-filters", open ? "open" : "closed");
    if (open) this.wantFacets();
  };
  /* Are the filters on screen: beside the results (wide screens), or opened with 筛选 (phones)? */
  App.prototype.filtersShown = function () {
    return !(this.narrow && this.narrow.matches) || this.root.getAttribute("data-filters") === "open";
  };
  /* facets.js, once: the filter panel says it is loading meanwhile, and is drawn when it is in. */
  App.prototype.loadFacets = function () {
    var self = this;
    if (!this.facetsLoading) {
      this.facetsLoading = load(this.engine.facetsSrc()).then(function () {
        if (!store.facets || !store.facets.data) throw new Error("筛选条件文件无效");
        return inflateBytes(store.facets.data);
      }).then(function (bytes) {
        self.engine.setFacets(store.facets, bytes);
        self.facetsLoaded = true;
        self.root.setAttribute("data-facets", "ready");
      }, function (err) {
        self.facetsLoading = null;  // opening 筛选 again tries again
        self.root.setAttribute("data-facets", "error");
        throw err;
      });
    }
    return this.facetsLoading;
  };
  /* The filters are needed now: load them if they are not, then draw them for the current results. */
  App.prototype.wantFacets = function () {
    var self = this, run = this.run;
    if (this.facetsLoaded || !this.engine) return;
    var first = !this.facetsLoading;
    var p = this.loadFacets();
    if (first) this.renderFacets();  // "正在载入筛选条件……"
    p.then(function () {
      if (run === self.run && self.candidates && self.candidates.length) self.renderFacets();
    }, function (err) {
      if (run !== self.run) return;
      self.facetsEl.textContent = "";
      self.facetsEl.appendChild(el("p", "dx-search__facets-note", "筛选条件载入失败（" + (err && err.message ? err.message : String(err)) + "），请稍后重试。"));
    });
  };
  App.prototype.updateToggle = function () {
    if (!this.toggle) return;
    var self = this, n = 0;
    FACETS.forEach(function (f) { n += self.selected[f.key].size; });
    this.toggle.hidden = !(this.candidates && this.candidates.length);
    this.toggle.textContent = n ? "筛选（已选 " + n + " 项）" : "筛选";
  };
  App.prototype.query = function (q) {
    var self = this, run = ++this.run;
    this.q = q;
    this.showQuery(q);
    this.words = queryWords(q);
    this.selected = emptySelection();
    this.list.textContent = "";
    this.facetsEl.textContent = "";
    this.more.hidden = true;
    this.candidates = [];
    this.updateToggle();
    if (!this.engine) return Promise.resolve();
    if (!this.words.length) {
      this.setStatus("请输入检索词。");
      this.root.setAttribute("data-state", "empty");
      return Promise.resolve();
    }
    this.root.setAttribute("data-state", "loading");
    this.setStatus("正在检索……");
    var searching = this.engine.search(this.words);  // the query's shards are asked for first
    if (this.filtersShown()) this.wantFacets();  // beside the shards, never before the first results
    return searching.then(function (ids) {
      mark("dx-ranked");
      if (run !== self.run) return;
      self.candidates = ids;
      self.verdict = new Map();
      return self.refresh(run);
    }).catch(function (err) { self.fail(err); });
  };
  App.prototype.passes = function (i, except) {
    var e = this.engine, s = this.selected;
    if (except !== "dep" && s.dep.size && !s.dep.has(e.dep[i])) return false;
    if (except !== "year" && s.year.size && !s.year.has(e.year[i])) return false;
    if (except !== "val" && s.val.size && !s.val.has(e.val[i])) return false;
    if (except !== "prj" && s.prj.size && !s.prj.has(e.prj[i])) return false;
    if (except !== "con" && s.con.size && !s.con.has(e.con[i])) return false;
    if (except !== "dom" && s.dom.size && !e.dom[i].some(function (d) { return s.dom.has(d); })) return false;
    for (var k = 0; k < FACETS.length; k++) {  // the labelled facets (公报期号, 主题分类)
      var f = FACETS[k];
      if (f.values && except !== f.key && s[f.key].size && !s[f.key].has(e[f.key][i])) return false;
    }
    return true;
  };
  App.prototype.refresh = function (run) {
    var self = this;
    this.root.setAttribute("data-state", "loading");
    this.filtered = this.candidates.filter(function (i) { return self.passes(i); });
    this.cursor = 0;
    this.exact = [];
    this.scattered = [];
    this.shown = 0;
    this.list.textContent = "";
    this.renderFacets();
    return this.page(false, run);
  };
  /* Show PAGE more results. Candidates are verified in rank order; the doc files of a batch load in
     parallel, and each verified result is shown as soon as it and every candidate before it are known
     (first results appear after one doc file, not ten). Scattered matches follow all verified ones. */
  App.prototype.page = function (more, run) {
    var self = this;
    run = run || this.run;
    var target = this.shown + PAGE;
    var firstNew = null;
    function show(i, doc, isScattered) {
      if (isScattered && !self.list.querySelector(".dx-search__divider")) {
        self.list.appendChild(el("li", "dx-search__divider", "以下结果包含检索词的全部字词，但字词不相连："));
      }
      var li = self.renderItem(i, doc, isScattered);
      self.list.appendChild(li);
      self.shown++;
      if (!firstNew) {
        firstNew = li;
        if (more) li.querySelector("a").focus();  // "more results": keyboard users continue from the first new one
      }
      if (!reg.firstResultsAt) { reg.firstResultsAt = performance.now(); mark("dx-first-results"); }  // bench/search_bench.py
    }
    function step() {
      if (self.exact.length >= target || self.cursor >= self.filtered.length) return Promise.resolve();
      var batch = self.filtered.slice(self.cursor, self.cursor + (target - self.exact.length));
      self.cursor += batch.length;
      // the first doc alone, then the rest in parallel: the first result shows without waiting for ten files
      var head = self.engine.doc(batch[0]);
      var rest = head.then(function () { return null; }, function () { return null; });
      var docs = batch.map(function (i, k) {
        return k === 0 ? head : rest.then(function () { return self.engine.doc(i); });
      });
      var chain = Promise.resolve();
      batch.forEach(function (i, k) {
        chain = chain.then(function () { return docs[k]; }).then(function (doc) {
          if (run !== self.run) return;
          if (!self.verdict.has(i)) self.verdict.set(i, contains(doc, self.words));
          if (self.verdict.get(i)) {
            self.exact.push(i);
            if (self.shown < target && self.shown === self.exact.length - 1) show(i, doc, false);
          } else {
            self.scattered.push(i);
          }
        });
      });
      return chain.then(step);
    }
    return step().then(function () {
      if (run !== self.run) return;
      var done = self.cursor >= self.filtered.length;
      var list = done ? self.exact.concat(self.scattered) : self.exact;
      var items = list.slice(self.shown, Math.min(target, list.length));  // scattered ones, at the end
      return Promise.all(items.map(function (i) { return self.engine.doc(i); })).then(function (docs) {
        if (run !== self.run) return;
        items.forEach(function (i, k) { show(i, docs[k], self.verdict.get(i) === false); });
        var total = self.filtered.length;
        self.more.hidden = self.shown >= (done ? list.length : total);
        // data-state says the page has settled: with the filters too, when they were asked for
        var settled = function () { if (run === self.run) self.root.setAttribute("data-state", total ? "results" : "none"); };
        if (self.facetsLoading && !self.facetsLoaded) self.facetsLoading.then(settled, settled);
        else settled();
        if (!total) {
          self.setStatus(self.candidates.length ? "当前筛选条件下没有结果，请减少筛选条件。" :
            "没有找到包含“" + self.q + "”的信息。请检查错别字，或减少、更换检索词。");
        } else {
          self.setStatus("找到 " + total + " 条相关信息" + (total > self.shown ? "，已显示前 " + self.shown + " 条" : "") + "。");
        }
      });
    }).catch(function (err) { self.fail(err); });
  };
  App.prototype.renderItem = function (i, doc, isScattered) {
    var li = el("li", "dx-search__item" + (isScattered ? " dx-search__item--scattered" : ""));
    li.setAttribute("data-id", String(i));
    var h = el("h2", "dx-search__title");
    var a = el("a");
    // directory URLs (records/x/) name a folder: from disk the browser needs its index.html
    a.href = this.siteRoot + doc.u + (location.protocol === "file:" && /\/$/.test(doc.u) ? "index.html" : "");
    appendMarked(a, doc.t, matchRanges(doc.t, this.words));
    h.appendChild(a);
    var validity = doc.v || "";
    if (validity && validity !== "有效") h.appendChild(el("span", "dx-badge dx-badge--expired", validity));
    var consultation = doc.consultation;  // 意见征集: its status on the build day
    if (consultation) h.appendChild(el("span", "dx-badge dx-badge--consultation", consultation));
    li.appendChild(h);
    var dl = el("p", "dx-search__meta");
    dl.appendChild(el("span", "dx-search__dep", "发布机构：" + doc.dep));
    var time = el("time", null, doc.d);
    time.setAttribute("datetime", doc.d);
    var date = el("span", "dx-search__date", "发布日期：");
    date.appendChild(time);
    dl.appendChild(date);
    if (doc.domNames.length) dl.appendChild(el("span", "dx-search__domain", "领域：" + doc.domNames.join("、")));
    if (doc.o) dl.appendChild(el("span", "dx-search__docno", "文号：" + doc.o));
    li.appendChild(dl);
    var p = el("p", "dx-search__snippet");
    snippet(p, doc, this.words);
    li.appendChild(p);
    return li;
  };
  App.prototype.renderFacets = function () {
    var self = this, e = this.engine, meta = e.meta;
    this.facetsEl.textContent = "";
    this.updateToggle();
    if (!this.candidates.length) return;
    var heading = el("h2", "dx-search__facets-title", "筛选结果");
    this.facetsEl.appendChild(heading);
    if (!this.facetsLoaded) {  // facets.js not asked for (folded on a phone) or on its way
      if (this.facetsLoading) this.facetsEl.appendChild(el("p", "dx-search__facets-note", "正在载入筛选条件……"));
      return;
    }
    FACETS.forEach(function (f) {
      var counts = new Map();
      self.candidates.forEach(function (i) {
        if (!self.passes(i, f.key)) return;
        var values = f.key === "dom" ? e.dom[i] : f.key === "prj" ? (e.prj[i] ? [e.prj[i]] : []) : [e[f.key][i]];
        if (f.key === "con" && !(meta.consultations || [])[e.con[i]]) return;  // not a consultation: not counted
        values.forEach(function (v) { if (!(f.values && v === 0)) counts.set(v, (counts.get(v) || 0) + 1); });
      });
      self.selected[f.key].forEach(function (v) { if (!counts.has(v)) counts.set(v, 0); });
      if (!counts.size) return;
      var values = Array.from(counts.keys());
      if (f.key === "year") values.sort(function (a, b) { return b - a; });
      else if (f.key === "val" || f.key === "con" || f.values) values.sort(function (a, b) { return a - b; });
      else values.sort(function (a, b) { return (counts.get(b) - counts.get(a)) || (a - b); });
      var fs = el("fieldset", "dx-facet dx-facet--" + f.key);
      fs.appendChild(el("legend", null, f.label));
      var ul = el("ul");
      values.forEach(function (v) {
        var name = f.values ? f.values[v - 1] : f.key === "dom" ? meta.domains[v][1] : f.key === "dep" ? meta.departments[v][1] :
          f.key === "year" ? v + "年" : f.key === "con" ? meta.consultations[v] : f.key === "prj" ? meta.projects[v] :
          (meta.validities[v] || "未注明");
        var li = el("li");
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.value = String(v);
        box.name = "facet-" + f.key;
        box.checked = self.selected[f.key].has(v);
        box.addEventListener("change", function () {
          if (box.checked) self.selected[f.key].add(v); else self.selected[f.key].delete(v);
          self.refresh(self.run);  // rebuilds the facets at once, then fills the results
          var again = self.facetsEl.querySelector("input[name='facet-" + f.key + "'][value='" + String(v) + "']");
          if (again) again.focus();
        });
        label.appendChild(box);
        label.appendChild(el("span", "dx-facet__name", name));
        label.appendChild(el("span", "dx-count", String(counts.get(v))));
        li.appendChild(label);
        ul.appendChild(li);
      });
      fs.appendChild(ul);
      self.facetsEl.appendChild(fs);
    });
    var any = FACETS.some(function (f) { return self.selected[f.key].size; });
    if (any) {
      var clear = el("button", "md-button dx-facet__clear", "清除筛选");
      clear.type = "button";
      clear.addEventListener("click", function () {
        FACETS.forEach(function (f) { self.selected[f.key].clear(); });
        self.refresh(self.run).then(function () { self.input.focus(); });
      });
      this.facetsEl.appendChild(clear);
    }
  };
  /* ↑/↓ move between result links. */
  App.prototype.arrowKeys = function (ev) {
    if (ev.key !== "ArrowDown" && ev.key !== "ArrowUp") return;
    var links = Array.from(this.list.querySelectorAll(".dx-search__title a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    ev.preventDefault();
    var next = links[at + (ev.key === "ArrowDown" ? 1 : -1)];
    if (next) next.focus();
  };

  // exposed for tests and the benchmark
  reg.fold = function (t) { return fold(t); };
  reg.queryWords = function (q) { return queryWords(q); };
  reg.snippetBounds = function (text, at, len) { return snippetBounds(text, at, len); };

  function boot() {
    var root = document.getElementById("dx-search");
    if (!root) return;
    var app = new App(root);
    reg.app = app;
    app.start();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
