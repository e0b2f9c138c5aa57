// search.js: the site search on /search/. It reads the index that the
// build writes below search/ (see generator/render/search.go for its
// format): the manifest, then the shards holding the query's words, then
// the fragments of the results it shows, each fetched once, from the same
// host, under the base path the page names in data-base.
(function () {
  'use strict';
  // The page's own form, not the search box of the header.
  var form = document.querySelector('main form.search-form[data-base]');
  if (!form || !window.fetch || !window.Map) return;
  var base = form.getAttribute('data-base');
  var input = form.querySelector('input[name="q"]');
  if (!input) return;
  var statusEl = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  var root = base + 'search/';

  // Kinds of entry, in the order of the groups shown.
  var KINDS = [
    { k: 'b', title: 'Briefings' },
    { k: 'c', title: 'Claims' },
    { k: 'a', title: 'Actors' },
    { k: 's', title: 'Sources' },
    { k: 'v', title: 'Analyst caveats' }
  ];
  var FIRST = 5; // results shown per kind at first
  var MORE = 10; // results added by "Show more"
  var MAX_TERM = 40;
  // How much more than the shard of a typed word's own prefix the script
  // fetches to complete it: completions beyond are left until it is typed.
  var PREFIX_BYTES = 64 * 1024;

  // Tokenising, as search.go's searchTerms: runs of letters, digits and
  // marks; a Chinese or Japanese character alone; folded to lower case
  // without diacritics.
  var reWord = /[\p{L}\p{N}\p{M}]/u;
  var reCJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
  var reMark = /\p{M}/u;
  var reLN = /[\p{L}\p{N}]/u;
  var reASCII = /^[\x00-\x7f]*$/;
  // Letters Unicode does not decompose, and final sigma, as search.go's
  // letterFolds.
  var LETTER_FOLDS = { 'ς': 'σ', 'ı': 'i', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ħ': 'h', 'ŧ': 't', 'ŋ': 'n',
    'ß': 'ss', 'æ': 'ae', 'œ': 'oe', 'þ': 'th', 'ð': 'd', 'ƒ': 'f' };

  function fold(word) {
    var out = [];
    function push(t) {
      if (t && Array.from(t).length <= MAX_TERM) out.push(t);
    }
    if (reASCII.test(word)) {
      push(word.toLowerCase());
      return out;
    }
    var cur = '';
    for (var ch of word.normalize('NFKD')) {
      if (reMark.test(ch)) continue;
      if (reLN.test(ch)) {
        var low = String.fromCodePoint(ch.toLowerCase().codePointAt(0));
        cur += Object.prototype.hasOwnProperty.call(LETTER_FOLDS, low) ? LETTER_FOLDS[low] : low;
      }
      else {
        push(cur);
        cur = '';
      }
    }
    push(cur);
    return out;
  }

  // segments splits text into its words with their places, each with the
  // terms it folds to.
  function segments(text) {
    var out = [];
    var start = -1;
    var i = 0;
    function flush(end) {
      if (start >= 0) {
        out.push({ start: start, end: end, terms: fold(text.slice(start, end)) });
        start = -1;
      }
    }
    for (var ch of text) {
      if (reCJK.test(ch)) {
        flush(i);
        out.push({ start: i, end: i + ch.length, terms: fold(ch) });
      } else if (reWord.test(ch)) {
        if (start < 0) start = i;
      } else flush(i);
      i += ch.length;
    }
    flush(i);
    return out;
  }

  function terms(text) {
    var out = [];
    segments(text).forEach(function (s) {
      s.terms.forEach(function (t) {
        if (out.indexOf(t) < 0) out.push(t);
      });
    });
    return out;
  }

  // cmp orders strings by code point, as Go sorts the terms.
  function cmp(a, b) {
    var ia = a[Symbol.iterator]();
    var ib = b[Symbol.iterator]();
    for (;;) {
      var x = ia.next();
      var y = ib.next();
      if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
      var cx = x.value.codePointAt(0);
      var cy = y.value.codePointAt(0);
      if (cx !== cy) return cx < cy ? -1 : 1;
    }
  }

  var cache = new Map();
  function getJSON(path) {
    var p = cache.get(path);
    if (!p) {
      p = fetch(root + path).then(function (r) {
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return r.json();
      });
      p.catch(function () {
        cache.delete(path);
      });
      cache.set(path, p);
    }
    return p;
  }

  // shardOf is the index of the shard whose run of terms would hold t.
  function shardOf(man, t) {
    var lo = 0;
    var hi = man.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (cmp(man.shards[mid][0], t) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  // shardsFor lists the shards a term needs: its own, and for a prefix
  // the following ones whose terms start with it, as far as PREFIX_BYTES.
  function shardsFor(man, t, prefix) {
    if (!man.shards.length) return [];
    var i = shardOf(man, t);
    var out = [i];
    var bytes = 0;
    while (prefix && i + 1 < man.shards.length && man.shards[i + 1][0].startsWith(t)) {
      i++;
      bytes += man.shards[i][2];
      if (bytes > PREFIX_BYTES) break;
      out.push(i);
    }
    return out;
  }

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var B64V = {};
  for (var bi = 0; bi < 64; bi++) B64V[B64[bi]] = bi;

  // eachId calls fn with every id of a set as search.go's appendSet writes
  // it, from position from of s.
  function eachId(s, from, fn) {
    var i, v, j;
    if (s[from] === 'B') {
      for (i = from + 1; i < s.length; i++) {
        v = B64V[s[i]];
        for (j = 0; j < 6; j++) if (v & (1 << j)) fn((i - from - 1) * 6 + j);
      }
      return;
    }
    var prev = -1;
    var gap = 0;
    var mul = 1;
    for (i = from + 1; i < s.length; i++) {
      v = B64V[s[i]];
      if (v >= 32) {
        gap += (v - 32) * mul;
        mul *= 32;
        continue;
      }
      gap += v * mul;
      prev += gap + 1;
      fn(prev);
      gap = 0;
      mul = 1;
    }
  }

  // match scores, for one query word, every entry it is found in: per
  // kind an array of scores, 2 × the field's weight for the word itself,
  // one less for a word it completes to.
  function match(man, shards, word, prefix) {
    var scores = {};
    KINDS.forEach(function (k) {
      scores[k.k] = new Uint8Array(man.counts[k.k] || 0);
    });
    function add(entries, exact) {
      entries.forEach(function (e) {
        var arr = scores[e[0]];
        if (!arr) return;
        var sc = (e.charCodeAt(1) - 48) * 2 - (exact ? 0 : 1);
        eachId(e, 2, function (id) {
          if (arr[id] < sc) arr[id] = sc;
        });
      });
    }
    shards.forEach(function (sh) {
      if (Object.prototype.hasOwnProperty.call(sh, word)) add(sh[word], true);
      if (prefix) {
        for (var t in sh) if (t !== word && t.startsWith(word)) add(sh[t], false);
      }
    });
    return scores;
  }

  // rank combines the words' scores: every word must be found in an entry
  // (or any, when all is false); entries by score, then in the site's
  // order (newest first, or by name).
  function rank(man, perWord, all) {
    var out = {};
    KINDS.forEach(function (k) {
      var n = man.counts[k.k] || 0;
      var buckets = [];
      for (var id = 0; id < n; id++) {
        var total = 0;
        var ok = true;
        for (var w = 0; w < perWord.length; w++) {
          var s = perWord[w][k.k][id];
          if (s === 0 && all) {
            ok = false;
            break;
          }
          total += s;
        }
        if (!ok || total === 0) continue;
        (buckets[total] || (buckets[total] = [])).push(id);
      }
      var ids = [];
      for (var b = buckets.length - 1; b > 0; b--) if (buckets[b]) ids = ids.concat(buckets[b]);
      out[k.k] = ids;
    });
    return out;
  }

  function fragment(man, kind, id) {
    var g = Math.floor(id / man.group);
    return getJSON('f/' + kind + g + '.json').then(function (list) {
      return list[id - g * man.group];
    });
  }

  // highlighter marks, in text it is given, the words of the query: the
  // words themselves, and what the last completes to.
  function highlighter(words, prefix) {
    return function (el, text) {
      var last = 0;
      segments(text).forEach(function (s) {
        var hit = s.terms.some(function (t) {
          return words.some(function (w, i) {
            return t === w || (prefix && i === words.length - 1 && t.startsWith(w));
          });
        });
        if (!hit) return;
        if (s.start > last) el.appendChild(document.createTextNode(text.slice(last, s.start)));
        var m = document.createElement('mark');
        m.textContent = text.slice(s.start, s.end);
        el.appendChild(m);
        last = s.end;
      });
      if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
      return el;
    };
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function dateText(iso) {
    if (!iso) return '';
    var d = new Date(iso + 'T00:00:00Z');
    var months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    return d.getUTCDate() + ' ' + months[d.getUTCMonth()] + ' ' + d.getUTCFullYear();
  }

  // item builds one result: a link to the entry, what it is, where it
  // matched.
  function item(kind, f, mark) {
    var li = el('li', 'search-result result-' + kind);
    var a = el('a', 'result-title');
    a.href = base + f[0];
    var meta = el('span', 'meta');
    function sep() {
      if (meta.childNodes.length) meta.appendChild(document.createTextNode(' · '));
    }
    function addMeta(text, marked) {
      if (!text) return;
      sep();
      if (marked) mark(meta, text);
      else meta.appendChild(document.createTextNode(text));
    }
    var extra = null;
    switch (kind) {
      case 'b':
        mark(a, f[1]);
        addMeta(dateText(f[2]));
        addMeta(f[3], true);
        if (f[4]) extra = mark(el('span', 'summary'), f[4]);
        break;
      case 'c':
        var q = el('q');
        q.dir = 'auto'; // a claim may be in any script, as on its pages
        mark(q, f[1]);
        a.appendChild(q);
        var badge = el('span', 'badge status-' + f[2]);
        mark(badge, f[2]);
        meta.appendChild(badge);
        if (f[3]) {
          meta.appendChild(document.createTextNode(' '));
          meta.appendChild(el('span', 'grade', f[3]));
        }
        if (f[4]) {
          sep();
          meta.appendChild(document.createTextNode('said by '));
          mark(meta, f[4]);
        }
        addMeta(dateText(f[5]));
        break;
      case 'a':
        mark(a, f[1]);
        addMeta(f[2], true);
        addMeta(f[3], true);
        if (f[4]) {
          sep();
          meta.appendChild(document.createTextNode('also '));
          mark(meta, f[4]);
        }
        break;
      case 's':
        mark(a, f[1]);
        addMeta(f[2], true);
        if (f[3]) {
          sep();
          meta.appendChild(el('span', 'grade', f[3]));
        }
        break;
      case 'v':
        mark(a, f[1]);
        if (f[2]) {
          sep();
          meta.appendChild(document.createTextNode('by '));
          mark(meta, f[2]);
        }
        addMeta(dateText(f[3]));
        if (f[4]) addMeta('in ' + f[4]);
        break;
    }
    li.appendChild(a);
    li.appendChild(meta);
    if (extra) li.appendChild(extra);
    // A briefing, actor or source found by words of its text, which the
    // result does not show, says so.
    var where = { b: 'its text', a: 'its profile', s: 'its description' }[kind];
    if (where && !li.querySelector('mark')) addMeta('the words are in ' + where);
    return li;
  }

  var seq = 0;

  function setStatus(text) {
    if (statusEl.textContent !== text) statusEl.textContent = text;
  }

  function plural(n, one, many) {
    return n.toLocaleString('en') + ' ' + (n === 1 ? one : many);
  }

  // run searches for the text of the box and shows the results.
  function run(text) {
    var mine = ++seq;
    var words = terms(text);
    syncURL(text);
    if (!words.length) {
      results.textContent = '';
      setStatus(text.trim() ? 'Type a word to search for.' : '');
      return Promise.resolve();
    }
    // The last word, while it is being typed, also finds the words it
    // begins.
    var prefix = !/[\s\p{P}]$/u.test(text) && Array.from(words[words.length - 1]).length >= 2;
    if (results.childNodes.length === 0) setStatus('Searching…');
    return getJSON('manifest.json').then(function (man) {
      var need = words.map(function (w, i) {
        return shardsFor(man, w, prefix && i === words.length - 1);
      });
      var files = [];
      need.forEach(function (list) {
        list.forEach(function (i) {
          if (files.indexOf(i) < 0) files.push(i);
        });
      });
      return Promise.all(files.map(function (i) {
        return getJSON('t/' + man.shards[i][1] + '.json');
      })).then(function (loaded) {
        if (mine !== seq) return;
        var t0 = performance.now();
        var byIndex = {};
        files.forEach(function (i, j) {
          byIndex[i] = loaded[j];
        });
        var perWord = words.map(function (w, i) {
          return match(man, need[i].map(function (s) {
            return byIndex[s];
          }), w, prefix && i === words.length - 1);
        });
        var ranked = rank(man, perWord, true);
        var partial = false;
        if (words.length > 1 && total(ranked) === 0) {
          ranked = rank(man, perWord, false);
          partial = true;
        }
        return show(man, ranked, highlighter(words, prefix), mine).then(function () {
          if (mine !== seq) return;
          var n = total(ranked);
          var msg = n === 0 ? 'Nothing found for “' + text.trim() + '”.' : plural(n, 'result', 'results') + ' for “' + text.trim() + '”' + (partial ? ', none with all the words: these have some of them.' : '.');
          setStatus(msg);
          results.setAttribute('data-ms', String(Math.round(performance.now() - t0)));
          results.setAttribute('data-query', text);
        });
      });
    }).catch(function () {
      if (mine !== seq) return;
      results.textContent = ''; // an earlier query's results are not this one's
      results.removeAttribute('data-query');
      results.removeAttribute('data-ms');
      setStatus('The search index could not be loaded. Browse the indexes instead.');
    });
  }

  function total(ranked) {
    return KINDS.reduce(function (n, k) {
      return n + ranked[k.k].length;
    }, 0);
  }

  // show replaces the results with the groups of ranked, once the
  // fragments of what they show first are there.
  function show(man, ranked, mark, mine) {
    var groups = KINDS.filter(function (k) {
      return ranked[k.k].length > 0;
    });
    return Promise.all(groups.map(function (k) {
      return fill(man, k.k, ranked[k.k].slice(0, FIRST));
    })).then(function (lists) {
      if (mine !== seq) return;
      var frag = document.createDocumentFragment();
      groups.forEach(function (k, gi) {
        var ids = ranked[k.k];
        var sec = el('section', 'search-group group-' + k.k);
        var hid = 'results-' + k.k;
        sec.setAttribute('aria-labelledby', hid);
        var h = el('h2', null, k.title + ' ');
        h.id = hid;
        h.appendChild(el('span', 'count', '(' + ids.length.toLocaleString('en') + ')'));
        sec.appendChild(h);
        var ol = el('ol', 'search-list');
        lists[gi].forEach(function (f) {
          if (f) ol.appendChild(item(k.k, f, mark));
        });
        sec.appendChild(ol);
        if (ids.length > FIRST) {
          var shown = FIRST;
          var more = el('button', 'search-more', 'Show more ' + k.title.toLowerCase());
          more.type = 'button';
          var label = more.textContent;
          more.addEventListener('click', function () {
            var next = ids.slice(shown, shown + MORE);
            more.disabled = true;
            fill(man, k.k, next).then(function (fs) {
              shown += next.length;
              var firstNew = null;
              fs.forEach(function (f) {
                if (!f) return;
                var li = item(k.k, f, mark);
                ol.appendChild(li);
                firstNew = firstNew || li.querySelector('a');
              });
              more.disabled = false;
              more.textContent = label;
              if (shown >= ids.length) more.remove();
              if (firstNew) firstNew.focus();
            }, function () {
              // The same results are asked for again at the next press.
              more.disabled = false;
              more.textContent = 'Could not load more; try again';
              more.focus();
            });
          });
          sec.appendChild(more);
        }
        frag.appendChild(sec);
      });
      results.textContent = '';
      results.appendChild(frag);
    });
  }

  function fill(man, kind, ids) {
    return Promise.all(ids.map(function (id) {
      return fragment(man, kind, id);
    }));
  }

  function syncURL(text) {
    var url = new URL(location.href);
    if (text) url.searchParams.set('q', text);
    else url.searchParams.delete('q');
    if (url.href !== location.href) history.replaceState(null, '', url.href);
  }

  // The keyboard: typing searches; the down arrow goes from the box to the
  // first result, the arrows move through the results, Escape goes back
  // to the box; Enter follows a result, as any link.
  var timer = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      run(input.value);
    }, 120);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  function stops() {
    return Array.prototype.slice.call(results.querySelectorAll('a, button:not([disabled])'));
  }
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') {
      var s = stops();
      if (s.length) {
        e.preventDefault();
        s[0].focus();
      }
    }
  });
  results.addEventListener('keydown', function (e) {
    var s = stops();
    var i = s.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      var j = e.key === 'ArrowDown' ? i + 1 : i - 1;
      if (j < 0) input.focus();
      else s[Math.min(j, s.length - 1)].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      input.focus();
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      s[e.key === 'Home' ? 0 : s.length - 1].focus();
    }
  });

  // The tokeniser, for the tests that hold it to the index's.
  window.briefingSearch = { terms: terms };

  var q = new URLSearchParams(location.search).get('q') || '';
  if (q) {
    input.value = q;
    run(q);
  }
})();
