// sahifa: follow and "more / less like this" buttons without leaving the page, and the
// "read through" signal of the article page. Every form also works without this script.
(function () {
  'use strict';

  function send(form, submitter) {
    var data = new URLSearchParams(new FormData(form));
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    return fetch(form.action, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { 'X-Sahifa-Fetch': '1' }
    }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  function fallback(form, submitter) {
    if (submitter && submitter.name) {
      var h = document.createElement('input');
      h.type = 'hidden'; h.name = submitter.name; h.value = submitter.value;
      form.appendChild(h);
    }
    form.submit();
  }

  function followed(form, answer) {
    var op = form.querySelector('input[name="op"]');
    var btn = form.querySelector('button');
    if (op) { op.value = answer.following ? 'unfollow' : 'follow'; }
    if (btn) {
      btn.setAttribute('aria-pressed', answer.following ? 'true' : 'false');
      btn.textContent = answer.following ? btn.dataset.on : btn.dataset.off;
    }
  }

  function judged(form, answer) {
    var card = form.closest('.feed-card');
    if (!card) { return; }
    if (answer.recorded === 'more') {
      var b = form.querySelector('button.more');
      if (b) { b.disabled = true; b.textContent = '✓'; }
      return;
    }
    card.remove();
  }

  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains('js-keep') || !window.fetch) { return; }
    ev.preventDefault();
    var submitter = ev.submitter;
    send(form, submitter).then(function (answer) {
      if (form.dataset.js === 'follow') { followed(form, answer); } else { judged(form, answer); }
    }).catch(function () { fallback(form, submitter); });
  });

  // "Read through": the end of the body came into view after some time on the page.
  var end = document.getElementById('read-end');
  if (end && window.IntersectionObserver && window.fetch) {
    var opened = Date.now();
    var sent = false;
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (!e.isIntersecting || sent || Date.now() - opened < 10000) { return; }
        sent = true;
        seen.disconnect();
        fetch('/api/v1/events', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 'read', source: end.dataset.source, id: end.dataset.id })
        });
      });
    });
    seen.observe(end);
    // Reading slowly: look again when the reader has been on the page long enough.
    setTimeout(function () {
      if (!sent) { seen.unobserve(end); seen.observe(end); }
    }, 10500);
  }
}());
