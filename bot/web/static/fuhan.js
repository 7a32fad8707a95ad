// Fuhan web pages: progressive enhancement only. Every page works without this script; with it,
// the search form and the commitments filters update the results in place (no reload), the quote
// of a permalink is scrolled to the middle of the screen, and permalinks get a copy button.
// Nothing here builds markup from data: results are server-rendered (escaped) pages, swapped in.
'use strict';

(function () {
  var inflight = null;

  // Fetches `url` and replaces the element #id with the one of the same id in the answer.
  function swap(id, url, push) {
    if (inflight) inflight.abort();
    var controller = new AbortController();
    inflight = controller;
    var target = document.getElementById(id);
    if (target) target.setAttribute('aria-busy', 'true');
    return fetch(url, { headers: { Accept: 'text/html' }, signal: controller.signal })
      .then(function (res) {
        return res.text();
      })
      .then(function (body) {
        var doc = new DOMParser().parseFromString(body, 'text/html');
        var fresh = doc.getElementById(id);
        var current = document.getElementById(id);
        if (!fresh || !current) {
          window.location.assign(url);
          return;
        }
        current.replaceWith(document.importNode(fresh, true));
        document.title = doc.title;
        if (push === 'push') history.pushState({ swap: id }, '', url);
        else if (push === 'replace') history.replaceState({ swap: id }, '', url);
      })
      .catch(function (err) {
        if (err && err.name === 'AbortError') return;
        window.location.assign(url);
      })
      .finally(function () {
        if (inflight === controller) inflight = null;
        var t = document.getElementById(id);
        if (t) t.removeAttribute('aria-busy');
      });
  }

  function formUrl(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value) !== '') params.append(key, String(value));
    });
    var query = params.toString();
    return form.getAttribute('action') + (query ? '?' + query : '');
  }

  document.querySelectorAll('form[data-swap]').forEach(function (form) {
    var id = form.getAttribute('data-swap');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      swap(id, formUrl(form), 'push');
    });
    if (form.hasAttribute('data-live')) {
      var timer = null;
      var update = function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          swap(id, formUrl(form), 'replace');
        }, 250);
      };
      form.addEventListener('input', update);
      form.addEventListener('change', update);
    }
  });

  // Sort links inside swapped results (the element is replaced, so listen on the document).
  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('a[data-swap-link]') : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    var url = new URL(link.href);
    // The sort order travels with the filter form too, so the next filter keeps it.
    ['sort', 'dir'].forEach(function (name) {
      var input = document.querySelector('form[data-swap] input[type=hidden][name=' + name + ']');
      if (!input) {
        input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        var form = document.querySelector('form[data-swap]');
        if (form) form.appendChild(input);
      }
      input.value = url.searchParams.get(name) || '';
    });
    swap('results', url.pathname + url.search, 'push');
  });

  window.addEventListener('popstate', function () {
    if (document.getElementById('results')) swap('results', location.pathname + location.search, null);
  });

  // A permalink's quote: in the middle of the screen, not under the top edge.
  var quote = document.getElementById('quote');
  if (quote) {
    quote.scrollIntoView({ block: 'center' });
    quote.classList.add('flash');
  }

  document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = button.getAttribute('data-copy');
      var done = function () {
        button.textContent = '已复制 · Copied';
      };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
    });
  });
})();
