// The operator console: new alerts arrive by server-sent events and go to the top of the queue;
// camera previews refresh themselves. No inline script (the CSP forbids it).
(function () {
  "use strict";
  var table = document.getElementById("alert-queue");
  var status = document.getElementById("live-status");
  if (table && window.EventSource) {
    var body = table.tBodies[0];
    var source = new EventSource(table.dataset.stream);
    source.onopen = function () { status.textContent = "live"; };
    source.onerror = function () { status.textContent = "reconnecting…"; };
    source.addEventListener("alert", function (message) {
      var alert = JSON.parse(message.data);
      var row = document.getElementById("alert-" + alert.id) || document.createElement("tr");
      row.id = "alert-" + alert.id;
      row.className = "status-" + alert.status + " fresh";
      row.replaceChildren();
      var raised = new Date(alert.raised_at).toLocaleTimeString();
      [raised, alert.camera, null, alert.score.toFixed(3), (alert.verdict || alert.status).replace("_", " ")]
        .forEach(function (text) {
          var cell = document.createElement("td");
          if (text === null) {
            var link = document.createElement("a");
            link.href = "/alerts/" + encodeURIComponent(alert.id);
            link.textContent = alert.subject;
            cell.appendChild(link);
          } else {
            cell.textContent = text;
          }
          row.appendChild(cell);
        });
      body.insertBefore(row, body.firstChild);
    });
  }
  document.querySelectorAll("img[data-refresh]").forEach(function (img) {
    var base = img.src.split("?")[0];
    setInterval(function () { img.src = base + "?t=" + Date.now(); }, Number(img.dataset.refresh));
  });
})();
