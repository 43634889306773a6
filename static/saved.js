// sahifa: save and unsave from article cards without leaving the page. The forms work
// without this script (they post and come back); with it they post in the background.
(function () {
  "use strict";
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("save-toggle")) return;
    if (!window.fetch || !window.URLSearchParams) return;
    ev.preventDefault();
    var button = form.querySelector("button[type=submit]");
    var action = form.querySelector("input[name=action]");
    if (button) button.disabled = true;
    // getAttribute: the form holds an input named "action", which hides form.action.
    fetch(form.getAttribute("action"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (res) {
      var saved = !!res.saved;
      if (action) action.value = saved ? "unsave" : "save";
      if (button) {
        button.textContent = saved ? form.dataset.labelUnsave : form.dataset.labelSave;
        button.setAttribute("aria-pressed", saved ? "true" : "false");
        button.disabled = false;
      }
      form.classList.toggle("is-saved", saved);
    }).catch(function () {
      form.submit();
    });
  });
})();
