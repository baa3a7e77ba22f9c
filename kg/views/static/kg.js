/* Search over every entity name, alias and report, on every page.
 * The data is a script (assets/search-data.js), loaded on first use: pages opened from
 * file:// may not fetch() a JSON file. Results are built with textContent only. */
(function () {
  "use strict";
  var root = document.documentElement.getAttribute("data-root") || "";
  var LIMIT = 40;
  var entries = null;
  var waiting = [];

  var TYPE_ZH = {Enterprise: "企业", Project: "项目", Programme: "计划/工程", Organization: "机构",
    Place: "地点", Zone: "园区", Person: "人物", Event: "事件", Report: "报告",
    Indicator: "指标"};

  function norm(s) {
    return String(s).normalize("NFKC").toLowerCase().replace(/[\s"'“”‘’「」《》]+/g, "");
  }

  function load(done) {
    if (entries) { done(); return; }
    waiting.push(done);
    if (waiting.length > 1) return;
    var s = document.createElement("script");
    s.src = root + "assets/search-data.js";
    s.onload = function () {
      entries = (window.KG_SEARCH || []).map(function (e) {
        return {name: e[0], type: e[1], href: e[2], mentions: e[3], aliases: e[4], where: e[5],
          key: norm(e[0]), keys: e[4].map(norm)};
      });
      waiting.splice(0).forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }

  /* exact name, then name prefix, then name or alias containing the query; most-mentioned
   * first within each */
  function search(q) {
    var k = norm(q);
    if (!k) return [];
    var hits = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], score = -1, via = null;
      if (e.key === k) score = 0;
      else if (e.key.indexOf(k) === 0) score = 1;
      else if (e.key.indexOf(k) > 0) score = 2;
      else {
        for (var j = 0; j < e.keys.length; j++) {
          if (e.keys[j].indexOf(k) >= 0) { score = e.keys[j] === k ? 1 : 3; via = e.aliases[j]; break; }
        }
      }
      if (score >= 0) hits.push({e: e, score: score, via: via, order: i});
    }
    hits.sort(function (a, b) { return a.score - b.score || a.order - b.order; });
    return hits.slice(0, LIMIT);
  }

  function render(list, hits) {
    list.textContent = "";
    if (!hits.length) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "没有结果 · no match";
      list.appendChild(none);
    }
    hits.forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + h.e.href;
      var img = document.createElement("img");
      img.src = root + "assets/icons/" + h.e.type + ".svg";
      img.className = "icon"; img.alt = ""; img.width = 14; img.height = 14;
      a.appendChild(img);
      a.appendChild(document.createTextNode(h.e.name));
      if (h.via) {
        var al = document.createElement("span");
        al.className = "alias"; al.textContent = "= " + h.via;
        a.appendChild(al);
      }
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = (TYPE_ZH[h.e.type] || h.e.type) + (h.e.mentions ? " · " + h.e.mentions + "次" : "") +
        (h.e.where ? " · " + h.e.where : "");
      a.appendChild(meta);
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = false;
  }

  function attach(input) {
    var list = input.parentNode.querySelector(".kg-search-results");
    var run = function () {
      var q = input.value;
      if (!norm(q)) { list.hidden = true; list.textContent = ""; return; }
      load(function () { if (input.value === q) render(list, search(q)); });
    };
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { load(function () {}); if (input.value) run(); });
    input.addEventListener("keydown", function (ev) {
      var first = list.querySelector("a");
      if (ev.key === "Enter" && first) { ev.preventDefault(); window.location.href = first.href; }
      else if (ev.key === "ArrowDown" && first) { ev.preventDefault(); first.focus(); }
      else if (ev.key === "Escape") { list.hidden = true; }
    });
    list.addEventListener("keydown", function (ev) {
      var a = document.activeElement;
      if (!a || a.tagName !== "A") return;
      var li = a.parentNode;
      if (ev.key === "ArrowDown" && li.nextSibling) { ev.preventDefault(); li.nextSibling.querySelector("a").focus(); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); (li.previousSibling ? li.previousSibling.querySelector("a") : input).focus(); }
      else if (ev.key === "Escape") { list.hidden = true; input.focus(); }
    });
    document.addEventListener("click", function (ev) {
      if (!input.parentNode.contains(ev.target)) list.hidden = true;
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input.kg-search"), attach);
  window.kgSearch = {search: function (q, done) { load(function () { done(search(q)); }); }};
})();
