// The case list asks every few seconds for cases filed since it was shown; new ones are added on top
// (on the first page) and the page title counts them. Without JavaScript the list is still complete.
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var rows = document.getElementById("case-rows");
  var shown = {}, baseTitle = document.title;
  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    td.textContent = text;
    return td;
  }
  function add(c) {
    if (shown[c.id]) return;
    shown[c.id] = true;
    var tr = document.createElement("tr");
    tr.className = "new-row";
    var ref = document.createElement("td"), link = document.createElement("a");
    link.href = c.url; link.textContent = c.reference; ref.appendChild(link);
    if (c.overdue) { var w = document.createElement("span"); w.className = "overdue"; w.textContent = " ⚠"; ref.appendChild(w); }
    tr.appendChild(ref);
    tr.appendChild(cell(c.filed + " (" + c.age + "ที่แล้ว)"));
    tr.appendChild(cell(c.category + " · " + c.subject, "subject"));
    tr.appendChild(cell(c.school + " อ." + c.district));
    tr.appendChild(cell(c.state));
    tr.appendChild(cell(c.owner || "—"));
    tr.appendChild(cell(c.photos ? String(c.photos) : ""));
    rows.insertBefore(tr, rows.firstChild);
    var none = document.getElementById("no-cases");  // "no cases" is no longer true
    if (none) none.remove();
  }
  function check() {
    var url = live.dataset.poll + (live.dataset.poll.indexOf("?") < 0 ? "?" : "&") +
              "since=" + encodeURIComponent(live.dataset.since);
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (r.status === 401) { window.location.reload(); throw new Error("signed out"); } return r.json(); })
      .then(function (s) {
        if (s.count > 0) {
          document.title = "(" + s.count + " ใหม่) " + baseTitle;
          live.hidden = false;
          live.textContent = "มีเรื่องใหม่ " + s.count + " เรื่อง ตั้งแต่เปิดหน้านี้";
          if (live.dataset.page === "1") s.cases.slice().reverse().forEach(add);
        }
        setTimeout(check, live.dataset.seconds * 1000);
      })
      .catch(function () { setTimeout(check, 30000); });
  }
  setTimeout(check, live.dataset.seconds * 1000);
})();
