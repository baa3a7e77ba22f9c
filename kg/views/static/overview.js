/* The overview graph: positions come from the build, physics stays off, so the first draw
 * does not wait for a simulation. The page carries the most-mentioned entities in rank order
 * and shows the first ones; "show more", "all" and double-clicking a node (its neighbours)
 * reveal the rest. Filters by type, report and year apply to whatever is revealed. */
(function () {
  "use strict";
  var t0 = performance.now();
  window.kgTimings = {scriptStart: t0};
  var data = JSON.parse(document.getElementById("kg-overview-data").textContent);
  var root = document.documentElement.getAttribute("data-root") || "";
  var limit = data.initial;
  var expanded = new Set();
  var typesOn = new Set(data.types);
  var reportSel = "";
  var yearSel = "";
  var reportYear = {};
  data.reports.forEach(function (r) { reportYear[r.id] = r.year === null ? "" : String(r.year); });

  var neighbours = {};
  data.edges.forEach(function (e) {
    (neighbours[e.from] = neighbours[e.from] || []).push(e.to);
    (neighbours[e.to] = neighbours[e.to] || []).push(e.from);
  });

  function passes(n) {
    if (!typesOn.has(n.kgType)) return false;
    if (reportSel && n.docs.indexOf(reportSel) < 0) return false;
    if (yearSel && !n.docs.some(function (d) { return reportYear[d] === yearSel; })) return false;
    return n.rank < limit || expanded.has(n.id);
  }

  var visible = new Set();
  function recompute() {
    visible = new Set();
    data.nodes.forEach(function (n) { if (passes(n)) visible.add(n.id); });
    var shown = 0;
    visible.forEach(function (id) { if (id.charAt(0) === "e") shown++; });
    document.getElementById("shown-count").textContent = String(shown);
  }
  /* before the views exist: a DataView remembers the ids its filter passed when it was made,
   * and refresh() only removes ids it remembers */
  recompute();

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodeView = new vis.DataView(nodes, {filter: function (n) { return visible.has(n.id); }});
  var edgeView = new vis.DataView(edges, {
    filter: function (e) { return visible.has(e.from) && visible.has(e.to); }
  });

  var container = document.getElementById("graph");
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, data.options);
  network.once("afterDrawing", function () {
    window.kgTimings.firstDraw = performance.now();
    window.kgTimings.sinceScript = window.kgTimings.firstDraw - t0;
  });

  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
  }

  Array.prototype.forEach.call(document.querySelectorAll("#type-filter input"), function (box) {
    box.addEventListener("change", function () {
      if (box.checked) typesOn.add(box.value); else typesOn.delete(box.value);
      refresh();
    });
  });
  document.getElementById("report-filter").addEventListener("change", function (ev) {
    reportSel = ev.target.value; refresh();
  });
  document.getElementById("year-filter").addEventListener("change", function (ev) {
    yearSel = ev.target.value; refresh();
  });
  document.getElementById("show-more").addEventListener("click", function () {
    limit += data.step; refresh();
  });
  document.getElementById("show-all").addEventListener("click", function () {
    limit = Infinity; refresh();
  });
  document.getElementById("show-reset").addEventListener("click", function () {
    limit = data.initial; expanded.clear(); refresh(); network.fit();
  });

  var details = document.getElementById("details");
  network.on("click", function (params) {
    if (!params.nodes.length) { details.hidden = true; return; }
    var n = nodes.get(params.nodes[0]);
    document.getElementById("details-name").textContent = n.title.split(" · ").slice(0, 2).join(" · ");
    document.getElementById("details-meta").textContent = n.title;
    document.getElementById("details-link").href = root + n.href;
    details.hidden = false;
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var id = params.nodes[0];
    (neighbours[id] || []).forEach(function (other) { expanded.add(other); });
    refresh();
  });

  window.kgOverview = {
    network: network,
    visibleIds: function () { return nodeView.getIds(); },
    expand: function (id) { (neighbours[id] || []).forEach(function (o) { expanded.add(o); }); refresh(); }
  };
})();
