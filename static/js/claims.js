// claims.js: narrows the claims index by actor, grade, tag and date range,
// within the page's status (/claims/<status>/ works without the script).
// The filters live in the query string (?actor=&reliability=&credibility=
// &tag=&from=&to=&page=), so a narrowed list can be shared. The list is
// paginated and the site may be large, so the script filters the whole
// site's claims, not the page: it reads claims/filter.json (what is
// filtered on, one entry per claim, newest first) and then only the
// claims/filter-<k>.json chunks holding the claims it shows (see
// generator/render/claimsfilter.go for the format).
(function () {
  'use strict';
  var box = document.querySelector('main .claims-filter[data-base]');
  if (!box || !window.fetch || !window.URLSearchParams || !window.history || !history.replaceState) return;
  var base = box.getAttribute('data-base');
  var pageStatus = box.getAttribute('data-status') || '';
  var details = box.querySelector('details');
  var form = box.querySelector('form');
  var statusEl = box.querySelector('.filter-status');
  var serverList = document.querySelector('main .claims-page');
  var PER_PAGE = 100; // as the server's pages (render.PerPage)
  var FIELDS = ['actor', 'reliability', 'credibility', 'tag', 'from', 'to'];
  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July',
    'August', 'September', 'October', 'November', 'December'];

  // A status given in the query belongs in the path: /claims/<status>/.
  var q0 = new URLSearchParams(location.search);
  if (q0.has('status')) {
    var st = q0.get('status');
    q0.delete('status');
    var rest = q0.toString();
    if (/^[a-z]+$/.test(st) && document.querySelector('nav.filter a[data-status="' + st + '"]')) {
      location.replace(base + 'claims/' + st + '/' + (rest ? '?' + rest : ''));
      return;
    }
  }

  box.hidden = false;
  var results = document.createElement('div');
  results.className = 'claims-results';
  results.hidden = true;
  serverList.parentNode.insertBefore(results, serverList.nextSibling);

  var index = null; // claims/filter.json, decoded
  var loading = null;
  var days = null; // each claim's day number, NaN when undated
  var chunks = new Map(); // chunk number → promise of its entries

  function load() {
    if (!loading) {
      loading = fetch(base + 'claims/filter.json').then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }).then(function (ix) {
        index = ix;
        days = new Array(ix.day.length);
        var d = 0;
        var dated = false;
        for (var i = 0; i < ix.day.length; i++) {
          var v = ix.day[i];
          if (v === null) {
            days[i] = NaN;
            continue;
          }
          d = dated ? d - v : v;
          dated = true;
          days[i] = d;
        }
        fill('actor', ix.actors);
        fill('reliability', ix.reliability);
        fill('credibility', ix.credibility);
        fill('tag', ix.tags);
        return ix;
      });
      loading.catch(function () {
        loading = null; // the next filter asks again
        statusEl.textContent = 'The filter could not be loaded; the status links above still work.';
      });
    }
    return loading;
  }

  function fill(name, pairs) {
    var sel = form.elements[name];
    for (var i = 0; i < pairs.length; i++) {
      var o = document.createElement('option');
      o.value = pairs[i][0];
      o.textContent = pairs[i][1];
      sel.appendChild(o);
    }
  }

  function chunk(k) {
    if (!chunks.has(k)) {
      var p = fetch(base + 'claims/filter-' + k + '.json').then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      chunks.set(k, p);
      p.catch(function () { chunks.delete(k); }); // asked again next time
    }
    return chunks.get(k);
  }

  // state is the filters of a query string.
  function state(search) {
    var q = new URLSearchParams(search);
    var s = {};
    FIELDS.forEach(function (f) { s[f] = q.get(f) || ''; });
    s.page = Math.max(1, parseInt(q.get('page'), 10) || 1);
    return s;
  }

  function query(s, page) {
    var q = new URLSearchParams();
    FIELDS.forEach(function (f) { if (s[f]) q.set(f, s[f]); });
    if (page > 1) q.set('page', String(page));
    var str = q.toString();
    return str ? '?' + str : '';
  }

  function active(s) {
    return FIELDS.some(function (f) { return s[f] !== ''; });
  }

  // dayOf is the day number of a YYYY-MM-DD date; NaN for any other
  // text, and for a day its month does not have (Date.UTC would roll
  // 2026-02-30 over into March).
  function dayOf(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) return NaN;
    var day = Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86400000;
    return isoOf(day) === iso ? day : NaN;
  }

  // clean drops from s the filters the site cannot apply: an actor or tag
  // it does not have (a shared link may outlive them), a grade letter it
  // does not use, a date that is none. It names what it dropped.
  function clean(s) {
    var ix = index;
    var ok = {
      actor: function (v) { return indexOf(ix.actors, v) >= 0; },
      reliability: function (v) { return indexOf(ix.reliability, v) >= 0; },
      credibility: function (v) { return indexOf(ix.credibility, v) >= 0; },
      tag: function (v) { return indexOf(ix.tags, v) >= 0; },
      from: function (v) { return !isNaN(dayOf(v)); },
      to: function (v) { return !isNaN(dayOf(v)); }
    };
    var dropped = [];
    FIELDS.forEach(function (f) {
      if (s[f] !== '' && !ok[f](s[f])) {
        var v = '\u201c' + s[f] + '\u201d';
        dropped.push(f === 'from' || f === 'to' ? v + ' is not a date' : 'this site has no ' + f + ' ' + v);
        s[f] = '';
      }
    });
    return dropped;
  }

  function indexOf(pairs, key) {
    for (var i = 0; i < pairs.length; i++) if (pairs[i][0] === key) return i;
    return -1;
  }

  // matches lists the claims (indexes, newest first) that pass s.
  function matches(s) {
    var ix = index;
    var st = pageStatus ? ix.statuses.indexOf(pageStatus) : -1;
    var actor = s.actor ? indexOf(ix.actors, s.actor) : -1;
    var tag = s.tag ? indexOf(ix.tags, s.tag) : -1;
    if ((s.actor && actor < 0) || (s.tag && tag < 0)) return [];
    var from = s.from ? dayOf(s.from) : NaN;
    var to = s.to ? dayOf(s.to) : NaN;
    var out = [];
    for (var i = 0; i < ix.by.length; i++) {
      if (st >= 0 && ix.status.charCodeAt(i) - 48 !== st) continue;
      if (s.reliability && ix.grade.charAt(2 * i) !== s.reliability) continue;
      if (s.credibility && ix.grade.charAt(2 * i + 1) !== s.credibility) continue;
      if (actor >= 0 && ix.by[i].indexOf(actor) < 0) continue;
      if (tag >= 0 && ix.tag[i].indexOf(tag) < 0) continue;
      if (s.from || s.to) {
        var d = days[i];
        if (isNaN(d) || d < from || d > to) continue;
      }
      out.push(i);
    }
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function link(href, text, cls) {
    var a = el('a', cls, text);
    a.setAttribute('href', href);
    return a;
  }

  function isoOf(day) {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  function dateText(day) {
    var t = new Date(day * 86400000);
    return t.getUTCDate() + ' ' + MONTHS[t.getUTCMonth()] + ' ' + t.getUTCFullYear();
  }

  // item is a claim as the claim-item of templates/base.html shows it.
  function item(i, entry) {
    var ix = index;
    var status = ix.statuses[ix.status.charCodeAt(i) - 48];
    var li = el('li', 'claim-item');
    li.setAttribute('data-status', status);
    li.appendChild(document.createTextNode('\n'));
    li.appendChild(el('span', 'badge status-' + status, status));
    li.appendChild(document.createTextNode(' '));
    var r = ix.grade.charAt(2 * i);
    var c = ix.grade.charAt(2 * i + 1);
    if (r !== '-' || c !== '-') {
      var g = el('abbr', 'grade', (r === '-' ? '?' : r) + (c === '-' ? '?' : c));
      g.title = entry[2];
      li.appendChild(g);
    }
    li.appendChild(document.createTextNode('\n'));
    var words = link(base + 'claims/' + entry[0] + '/', entry[1], 'claim-words');
    words.dir = 'auto'; // as the server's list: a claim may be in any script
    li.appendChild(words);
    li.appendChild(document.createTextNode('\n'));
    var meta = el('span', 'meta');
    ix.by[i].forEach(function (k, j) {
      if (j) meta.appendChild(document.createTextNode(', '));
      meta.appendChild(link(base + 'actors/' + ix.actors[k][0] + '/', ix.actors[k][1]));
    });
    if (!isNaN(days[i])) {
      meta.appendChild(document.createTextNode(' · '));
      var t = el('time', '', dateText(days[i]));
      t.setAttribute('datetime', isoOf(days[i]));
      meta.appendChild(t);
    }
    li.appendChild(meta);
    li.appendChild(document.createTextNode('\n'));
    return li;
  }

  function pager(s, number, total) {
    var nav = el('nav', 'pager');
    nav.setAttribute('aria-label', 'Pages');
    if (number > 1) {
      var prev = link(query(s, number - 1) || '?', '← Previous');
      prev.rel = 'prev';
      nav.appendChild(prev);
      nav.appendChild(document.createTextNode(' '));
    }
    nav.appendChild(el('span', '', 'Page ' + number + ' of ' + total));
    if (number < total) {
      nav.appendChild(document.createTextNode(' '));
      var next = link(query(s, number + 1), 'Next →');
      next.rel = 'next';
      nav.appendChild(next);
    }
    return nav;
  }

  // The status links keep the other filters.
  function keepInStatusLinks(s) {
    var links = document.querySelectorAll('main nav.filter a');
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var href = a.getAttribute('href').split('?')[0];
      a.setAttribute('href', href + query(s, 1));
    }
  }

  function showForm(s) {
    FIELDS.forEach(function (f) { form.elements[f].value = s[f]; });
  }

  // showAll shows the server's list, unfiltered.
  function showAll(note) {
    results.hidden = true;
    results.textContent = '';
    serverList.hidden = false;
    statusEl.textContent = note;
  }

  var shown = 0; // the latest render wins, filtered or not
  function render(s) {
    var n = ++shown;
    keepInStatusLinks(s);
    if (!active(s)) {
      showForm(s); // an unfiltered entry clears the controls
      showAll('');
      return Promise.resolve();
    }
    statusEl.textContent = 'Loading…';
    return load().then(function () {
      if (n !== shown) return;
      var dropped = clean(s);
      var note = '';
      if (dropped.length) {
        s.page = 1; // what was paged is no longer the list shown
        history.replaceState(null, '', location.pathname + query(s, s.page) + location.hash);
        keepInStatusLinks(s);
        note = 'Left out of the filter: ' + dropped.join('; ') + '.';
      }
      showForm(s);
      if (!active(s)) {
        showAll(note);
        return;
      }
      var all = matches(s);
      var total = Math.max(1, Math.ceil(all.length / PER_PAGE));
      var number = Math.min(s.page, total);
      var mine = all.slice((number - 1) * PER_PAGE, number * PER_PAGE);
      var need = [];
      mine.forEach(function (i) {
        var k = Math.floor(i / index.chunk);
        if (need.indexOf(k) < 0) need.push(k);
      });
      return Promise.all(need.map(chunk)).then(function (got) {
        if (n !== shown) return;
        var byChunk = new Map();
        need.forEach(function (k, j) { byChunk.set(k, got[j]); });
        results.textContent = '';
        if (mine.length === 0) {
          results.appendChild(el('p', 'empty', 'None.'));
        } else {
          var ol = el('ol', 'claim-list');
          mine.forEach(function (i) {
            ol.appendChild(item(i, byChunk.get(Math.floor(i / index.chunk))[i % index.chunk]));
          });
          results.appendChild(ol);
          if (total > 1) results.appendChild(pager(s, number, total));
        }
        serverList.hidden = true;
        results.hidden = false;
        statusEl.textContent = (note ? note + ' ' : '') + (all.length === 1 ? '1 claim matches.' : all.length + ' claims match.');
      });
    }).catch(function () {
      if (n === shown) statusEl.textContent = 'The filter could not be loaded; the status links above still work.';
    });
  }

  function fromForm() {
    var s = {};
    FIELDS.forEach(function (f) { s[f] = form.elements[f].value; });
    s.page = 1;
    return s;
  }

  function update(s) {
    history.replaceState(null, '', location.pathname + query(s, s.page) + location.hash);
    render(s);
  }

  form.addEventListener('change', function () { update(fromForm()); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    update(fromForm());
  });
  form.addEventListener('reset', function () {
    // After the reset has cleared the controls.
    setTimeout(function () { update(fromForm()); }, 0);
  });
  results.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('nav.pager a');
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    var s = state(a.getAttribute('href'));
    history.pushState(null, '', location.pathname + query(s, s.page));
    render(s).then(function () { results.scrollIntoView(); });
  });
  window.addEventListener('popstate', function () { render(state(location.search)); });
  // The controls' choices come with the index: it is fetched when the
  // reader opens them, or at once when the address holds filters.
  details.addEventListener('toggle', function () {
    if (details.open) load().then(function () { showForm(state(location.search)); }, function () {}); // load says why
  });

  var s0 = state(location.search);
  if (active(s0)) details.open = true;
  render(s0);
})();
