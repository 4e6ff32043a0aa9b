// Every console page asks every few seconds what is new for the signed-in officer (which also tells the
// server they are at their desk) and shows it in the "ข้อความใหม่" panel; the ids shown are acknowledged,
// so those messages are not pushed to the officer's LINE. The panel keeps what this tab showed (across
// pages) until the officer hides it. Without JavaScript, nothing is acknowledged: LINE gets it as before.
(function () {
  var box = document.getElementById("inbox");
  if (!box) return;
  var list = document.getElementById("inbox-items"), count = document.getElementById("inbox-count");
  var notify = document.getElementById("inbox-notify"), hide = document.getElementById("inbox-clear");
  var key = "ccpc-inbox-" + box.dataset.me, prefix = "";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  function stored() {
    try { return JSON.parse(sessionStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    try { sessionStorage.setItem(key, JSON.stringify(items.slice(-20))); } catch (e) { /* private mode: fine */ }
  }
  function title(n) {
    var base = prefix && document.title.indexOf(prefix) === 0 ? document.title.slice(prefix.length) : document.title;
    prefix = n ? "(" + n + " " + box.dataset.title + ") " : "";
    document.title = prefix + base;
  }
  function render(items) {
    list.textContent = "";
    items.forEach(function (m) {
      var li = document.createElement("li"), head = document.createElement("p");
      li.dataset.id = m.id;
      if (m.url) {
        var a = document.createElement("a");
        a.href = m.url; a.textContent = box.dataset.case + " " + m.reference;
        head.appendChild(a);
      }
      li.appendChild(head);
      m.parts.forEach(function (part) {
        var p = document.createElement("p");
        p.className = "words";
        p.textContent = part.type === "image" ? box.dataset.photo : part.text.trim();
        li.appendChild(p);
      });
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
    count.textContent = items.length ? String(items.length) : "";
    title(items.length);
  }
  function tell(fresh) {
    if (!fresh.length || !("Notification" in window) || Notification.permission !== "granted") return;
    fresh.forEach(function (m) {
      var words = m.parts.map(function (p) { return p.type === "image" ? box.dataset.photo : p.text; }).join(" ");
      try { new Notification(box.dataset.title + " " + m.reference, {body: words.slice(0, 200), tag: "ccpc-" + m.id}); }
      catch (e) { /* some browsers allow notifications only from a service worker */ }
    });
  }
  function acknowledge(ids) {
    if (!ids.length) return;
    fetch(box.dataset.seen, {method: "POST", credentials: "same-origin",
                             headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
                             body: JSON.stringify({ids: ids})}).catch(function () { /* pushed after the grace */ });
  }
  function check() {
    fetch(box.dataset.poll, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (r.status === 401) { window.location.reload(); throw new Error("signed out"); } return r.json(); })
      .then(function (s) {
        var items = stored(), known = {};
        items.forEach(function (m) { known[m.id] = true; });
        var fresh = s.messages.filter(function (m) { return !known[m.id]; });
        items = items.concat(fresh);
        store(items);
        render(items);
        tell(fresh);
        acknowledge(s.messages.map(function (m) { return m.id; }));
        setTimeout(check, (s.seconds || box.dataset.seconds) * 1000);
      })
      .catch(function () { setTimeout(check, 30000); });
  }
  hide.addEventListener("click", function () { store([]); render([]); });
  if ("Notification" in window && Notification.permission === "default") {
    notify.hidden = false;
    notify.addEventListener("click", function () {
      Notification.requestPermission().then(function () { notify.hidden = true; });
    });
  }
  render(stored());
  check();
})();
