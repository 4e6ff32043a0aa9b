// The sign-in page asks every two seconds whether the officer has sent the code from LINE.
(function () {
  var box = document.getElementById("sign-in");
  if (!box) return;
  var waiting = document.getElementById("waiting"), expired = document.getElementById("expired");
  waiting.hidden = false;
  function check() {
    fetch(box.dataset.status, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.signed_in) { window.location.assign(s.next); return; }
        if (s.expired) { waiting.hidden = true; expired.hidden = false; return; }
        setTimeout(check, 2000);
      })
      .catch(function () { setTimeout(check, 5000); });
  }
  setTimeout(check, 2000);
})();
