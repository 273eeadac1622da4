/* The editors' web form (admin/, Decap CMS): the 索引号 widget, footnotes, admonitions, abbreviations and
   images' attribute lists kept through its editor, and a preview that looks like the record's page on
   the site, in the site's own styles. Loaded by admin/index.html right after decap-cms.js; the page's
   script element carries the stylesheets and collection names as data-*. Every text comes from the
   entry through React (escaped), never as HTML. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var me = document.getElementById("dx-admin");
  if (!CMS || !h || !createClass || !me) return;

  function list(attr) {
    try { return JSON.parse(me.getAttribute(attr) || "[]"); } catch (e) { return []; }
  }

  // 索引号: shown, never typed. A new record is saved without one; `disclosure check --fix` (run by
  // `disclosure admin` after each save, or by the county's CI) allocates the next number.
  var PENDING = "保存后自动分配（disclosure check --fix），分配后永久不变";
  var IndexNoControl = createClass({
    render: function () {
      var value = this.props.value;
      return h("output", {
        id: this.props.forID, className: this.props.classNameWrapper, "data-dx-index-no": value || "",
        style: { display: "block", padding: "16px 20px", color: value ? "inherit" : "#555" }
      }, value ? String(value) : PENDING);
    }
  });
  var IndexNoPreview = createClass({
    render: function () { return h("span", null, this.props.value ? String(this.props.value) : "（待分配）"); }
  });
  CMS.registerWidget("dx-index-no", IndexNoControl, IndexNoPreview);

  list("data-preview-css").forEach(function (href) { CMS.registerPreviewStyle(href); });

  // Python-Markdown blocks that Decap's rich-text editor does not know, kept as written: as editor
  // components each is a block of its own in the editor, shown and edited as a small form.
  // Lines after the first indented four spaces (blank lines between them) belong to the block.
  var INDENTED = "((?:(?: {4}|\\t)[^\\n]*(?:\\n|$)|[ \\t]*\\n(?= {4}|\\t))*)";
  function dedent(lines) { return String(lines || "").replace(/\n+$/, "").replace(/^(?: {4}|\t)/gm, ""); }
  function indent(text) { return String(text || "").trim().replace(/\n(?=[^\n])/g, "\n    "); }
  // a definition (a footnote's, an abbreviation's) in the preview: its label, what it defines and its text
  function definition(label, key) {
    return function (d) { return h("p", { className: "dx-muted" }, label + " " + String(d[key] || "") + "：" + String(d.text || "")); };
  }

  // 脚注: `[^1]: 数据来源：县统计局。`. Decap reads it as a link's definition, puts it into the reference
  // (`[^1](数据来源：县统计局。)`, a link to nowhere) and drops it: every footnote of a record edited here
  // was lost.
  CMS.registerEditorComponent({
    id: "dx-footnote",
    label: "脚注",
    fields: [
      { name: "id", label: "脚注编号（正文中写作 [^编号]）", widget: "string" },
      { name: "text", label: "脚注内容", widget: "text" }
    ],
    pattern: new RegExp("^\\[\\^([^\\]\\s]+)\\]:[ \\t]*([^\\n]*)\\n?" + INDENTED),
    fromBlock: function (m) { return { id: m[1], text: m[3] ? m[2] + "\n" + dedent(m[3]) : m[2] }; },
    toBlock: function (d) { return "[^" + String(d.id || "").trim() + "]: " + indent(d.text); },
    toPreview: definition("脚注", "id")
  });

  // 提示框: `!!! warning "注意"` and its indented text (admonition). Decap made the text a code block.
  CMS.registerEditorComponent({
    id: "dx-admonition",
    label: "提示框",
    fields: [
      { name: "kind", label: "类型", widget: "select", default: "note", options: [
        { label: "说明（note）", value: "note" }, { label: "提示（tip）", value: "tip" },
        { label: "信息（info）", value: "info" }, { label: "注意（warning）", value: "warning" },
        { label: "警告（danger）", value: "danger" }] },
      { name: "title", label: "标题（留空则不显示标题栏）", widget: "string", required: false },
      { name: "text", label: "内容", widget: "text" }
    ],
    pattern: new RegExp("^(!!!|\\?\\?\\?\\+?)[ \\t]+([\\w-]+)(?:[ \\t]+\"([^\"\\n]*)\")?[ \\t]*\\n" + INDENTED),
    fromBlock: function (m) {
      return { marker: m[1], kind: m[2], title: m[3] === undefined ? null : m[3], text: dedent(m[4]) };
    },
    toBlock: function (d) {
      var title = d.title === null || d.title === undefined ? "" : " \"" + String(d.title).replace(/"/g, "”") + "\"";
      return (d.marker || "!!!") + " " + String(d.kind || "note") + title + "\n    " + indent(d.text);
    },
    toPreview: function (d) {
      return h("div", { className: "admonition " + String(d.kind || "note") },
        d.title ? h("p", { className: "admonition-title" }, String(d.title)) : null,
        h("p", null, String(d.text || "")));
    }
  });

  // 缩略语: `*[GDP]: 国内生产总值` (abbr: every GDP in the text explained on hover). Decap escaped it into
  // text (`\*\[GDP]: 国内生产总值`): the definition was shown on the page and explained nothing.
  CMS.registerEditorComponent({
    id: "dx-abbreviation",
    label: "缩略语",
    fields: [
      { name: "abbr", label: "缩略语（正文中原样出现的词，如 GDP）", widget: "string" },
      { name: "text", label: "全称", widget: "string" }
    ],
    pattern: /^\*\[([^\]\n]+)\]:[ \t]*([^\n]*)/,
    fromBlock: function (m) { return { abbr: m[1], text: m[2] }; },
    toBlock: function (d) { return "*[" + String(d.abbr || "").trim() + "]: " + String(d.text || "").trim(); },
    toPreview: definition("缩略语", "abbr")
  });

  // 图片: Decap's own image component, which also keeps an attribute list after the image
  // (`![图](files/图.png){ width="300" }`, attr_list). Decap's took the image alone and wrote the list
  // back as a paragraph of its own: the image showed at full width and the braces as text. Registered
  // under Decap's id, it replaces that one (the toolbar's image button inserts it too). As in Decap's,
  // an image starting a paragraph becomes a block of its own. An attribute list is what the builder
  // takes for one (records.ATTRIBUTE_LIST): `{备注}` stays text.
  var ATTRIBUTES = "\\{(?:\\s*[:#.]|[ ]*[^\\s=}]+[ ]*=)[^}\\n]*\\}";
  function attributeList(attrs, written) {
    attrs = String(attrs || "").trim();
    if (!attrs) return "";
    if (written && written.slice(1, -1).trim() === attrs) return written;  // as it was written, spaces and all
    return "{" + (attrs.charAt(0) === ":" ? "" : " ") + attrs + " }";
  }
  CMS.registerEditorComponent({
    id: "image",
    label: "图片",
    fields: [
      { name: "image", label: "图片", widget: "image", media_library: { allow_multiple: false } },
      { name: "alt", label: "替代文字（图片无法显示或读屏软件朗读时用）", widget: "string", required: false },
      { name: "title", label: "标题（鼠标停在图片上时显示，可留空）", widget: "string", required: false },
      { name: "attrs", label: "显示属性（如 width=\"300\" 为宽 300 像素，可留空）", widget: "string", required: false }
    ],
    pattern: new RegExp("^!\\[([^\\]]*)\\]\\((.*?)(\\s\"([^\"]*)\")?\\)(" + ATTRIBUTES + ")?"),
    fromBlock: function (m) {
      return { image: m[2], alt: m[1], title: m[4], attrs: m[5] ? m[5].slice(1, -1).trim() : "", written: m[5] || "" };
    },
    toBlock: function (d) {
      var title = d.title ? " \"" + String(d.title).replace(/"/g, "\\\"") + "\"" : "";
      return "![" + String(d.alt || "") + "](" + String(d.image || "") + title + ")" + attributeList(d.attrs, d.written);
    },
    toPreview: function (d, getAsset, fields) {
      var field = fields && fields.find(function (f) { return f.get("widget") === "image"; });
      var src = d.image && getAsset ? getAsset(d.image, field) : d.image;
      var width = /(?:^|\s)width=["']?(\d+)/.exec(String(d.attrs || ""));
      return h("img", { src: src ? String(src) : "", alt: String(d.alt || ""), title: d.title ? String(d.title) : undefined,
        width: width ? width[1] : undefined });
    }
  });

  // labels of the select options (ids → Chinese names), from the collection's own config
  function labels(collection, name) {
    var out = {};
    var fields = collection && collection.get("fields");
    if (!fields) return out;
    fields.forEach(function (f) {
      if (f.get("name") !== name || !f.get("options")) return;
      f.get("options").forEach(function (o) {
        if (o && o.get) out[o.get("value")] = o.get("label");
        else out[o] = o;
      });
    });
    return out;
  }
  function plain(v) { return v && v.toJS ? v.toJS() : v; }
  function text(v) { return v === undefined || v === null || v === "" ? "—" : String(v); }

  var RecordPreview = createClass({
    render: function () {
      var entry = this.props.entry, collection = this.props.collection;
      var get = function (k) { return plain(entry.getIn(["data", k])); };
      var deps = labels(collection, "department"), doms = labels(collection, "domains"), items = labels(collection, "item");
      var domains = [].concat(get("domains") || []).map(function (d) { return doms[d] || d; }).join("、");
      var tags = [].concat(get("tags") || []).join(" ");
      function row(a, av, b, bv) {
        return h("tr", null, h("th", { scope: "row" }, a), h("td", b ? null : { colSpan: 3 }, text(av)),
          b ? h("th", { scope: "row" }, b) : null, b ? h("td", null, text(bv)) : null);
      }
      var attachments = [].concat(get("attachments") || []);
      return h("div", { className: "md-typeset", style: { padding: "1rem 1.5rem" } },
        h("article", { className: "dx-record", lang: "zh" },
          h("h1", { className: "dx-record__title" }, text(get("title"))),
          h("table", { className: "dx-meta" },
            h("caption", null, "信息索引"),
            h("tbody", null,
              row("索引号", get("index_no") || "（保存后分配）", "发布机构", deps[get("department")] || get("department")),
              row("名称", get("title")),
              row("成文日期", get("written"), "发布日期", get("date")),
              row("文号", get("doc_no"), "有效性", get("validity")),
              row("所属领域", domains, "公开事项", items[get("item")] || get("item")),
              row("主题词", tags))),
          h("div", { className: "dx-record__body" }, this.props.widgetFor("body")),
          attachments.length ? h("section", { className: "dx-attachments" },
            h("h2", null, "附件"),
            h("ul", null, attachments.map(function (a, i) {
              return h("li", { key: i }, text(a && a.title), " ", h("span", { className: "dx-muted" }, "（" + text(a && a.path) + "）"));
            }))) : null));
    }
  });
  list("data-collections").forEach(function (name) { CMS.registerPreviewTemplate(name, RecordPreview); });
})();
