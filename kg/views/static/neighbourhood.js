/* An entity's neighbourhood: fixed positions from the build, no physics; double-click opens
 * the page of a node. */
(function () {
  "use strict";
  var el = document.getElementById("kg-neighbourhood-data");
  if (!el) return;
  var data = JSON.parse(el.textContent);
  var network = new vis.Network(
    document.getElementById("neighbourhood-graph"),
    {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},
    data.options
  );
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var href = data.nodes.filter(function (n) { return n.id === params.nodes[0]; })[0].href;
    if (href) window.location.href = href;
  });
  window.kgNeighbourhood = network;
})();
