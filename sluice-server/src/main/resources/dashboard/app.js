// Sluice dashboard: plain JS, no dependencies. Polls the admin API every 2 s.
(function () {
  'use strict';
  var REFRESH_MS = 2000;
  // the server filters, sorts and pages the connections (GET api/connections?limit&offset&sort&q):
  // the page holds one page of rows, whatever the number of connections
  var PAGE_SIZE = 100;
  var OWN_KEEP = 32;
  var state = { rows: [], total: 0, offset: 0, sortKey: 'connectionId', sortDir: 1, filter: '', own: {},
    ownOrder: [], session: null, filterTimer: null };
  // Sluice names the HTTP connection that served each response; those are this page's own
  var OWN_HEADER = 'X-Sluice-Connection-Id';

  function $(selector) { return document.querySelector(selector); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // X-Requested-With: a 401 then comes without WWW-Authenticate (no browser password dialog)
  function headers(extra) {
    var h = { Accept: 'application/json', 'X-Requested-With': 'fetch' };
    Object.keys(extra || {}).forEach(function (k) { h[k] = extra[k]; });
    if (state.session && state.session.csrfToken && extra && extra['Content-Type']) {
      h['X-CSRF-Token'] = state.session.csrfToken; // required on every state-changing request of a session
    }
    return h;
  }

  // authorization on and the session gone (expired, logged out elsewhere): back to the login page
  function loggedOut(r) {
    if (r.status === 401 && state.session) window.location.replace('./');
  }

  function getJson(path) {
    return getWithHeaders(path).then(function (res) { return res.body; });
  }

  function getWithHeaders(path) {
    return fetch(path, { headers: headers(), cache: 'no-store', credentials: 'same-origin' }).then(function (r) {
      noteOwn(r);
      loggedOut(r);
      if (!r.ok) throw new Error(path + ': HTTP ' + r.status);
      return r.json().then(function (body) { return { body: body, headers: r.headers }; });
    });
  }

  function connectionsPath() {
    var q = ['limit=' + PAGE_SIZE, 'offset=' + state.offset,
      'sort=' + encodeURIComponent((state.sortDir < 0 ? '-' : '') + state.sortKey)];
    if (state.filter) q.push('q=' + encodeURIComponent(state.filter));
    return 'api/connections?' + q.join('&');
  }

  // with authorization on, what the caller may do (GET api/session); 404: authorization is off
  function loadSession() {
    return fetch('api/session', { headers: headers(), cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) {
        noteOwn(r);
        if (r.status === 404) return null;
        if (r.status === 401) { window.location.replace('./'); return null; }
        if (!r.ok) throw new Error('api/session: HTTP ' + r.status);
        return r.json();
      })
      .then(function (session) {
        state.session = session;
        if (session) {
          $('#who').textContent = 'logged in as ' + session.username;
          $('#who').hidden = false;
          $('#logout').hidden = !session.csrfToken;
        }
      });
  }

  function may(action) {
    return !state.session || state.session.actions[action];
  }

  // Kill is offered on one's own connections, and on everyone's with killop
  function mayKill(row) {
    return !state.session || state.session.canKillAll || row.username === state.session.username;
  }

  // remember the page's own connections, the most recent OWN_KEEP of them (the set does not grow
  // with the page's age; only one page of rows is known, so "gone" cannot be told from "on another page")
  function noteOwn(response) {
    var id = response.headers.get(OWN_HEADER);
    if (!id || state.own[id]) return;
    state.own[id] = true;
    state.ownOrder.push(id);
    while (state.ownOrder.length > OWN_KEEP) delete state.own[state.ownOrder.shift()];
  }

  function bytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    return (n / 1048576).toFixed(1) + ' MiB';
  }

  function renderConnections() {
    var rows = state.rows;
    var tbody = $('#connections tbody');
    var fresh = document.createDocumentFragment();
    rows.forEach(function (r) {
      var tr = el('tr', { 'data-id': r.connectionId, 'class': r.status === 'Closing' ? 'closing' : '' });
      tr.appendChild(el('td', { 'class': 'mono id' }, r.connectionId));
      tr.appendChild(el('td', {}, r.connector));
      tr.appendChild(el('td', {}, r.username === null ? '—' : r.username));
      tr.appendChild(el('td', { title: r.userAgent || '' }, r.appName || '—'));
      tr.appendChild(el('td', {}, r.driver || '—'));
      tr.appendChild(el('td', { 'class': 'mono' }, r.clientAddress));
      tr.appendChild(el('td', { title: r.connectTime }, new Date(r.connectTime).toLocaleTimeString()));
      tr.appendChild(el('td', { 'class': 'status-' + r.status }, r.status));
      tr.appendChild(el('td', { 'class': 'mono' },
        r.currentOp ? r.currentOp + ' (' + r.currentOpRunningMillis + ' ms)' : ''));
      tr.appendChild(el('td', { 'class': 'num' }, r.opCount));
      tr.appendChild(el('td', { 'class': 'num' }, bytes(r.bytesIn)));
      tr.appendChild(el('td', { 'class': 'num' }, bytes(r.bytesOut)));
      tr.appendChild(el('td', { 'class': 'mono' }, r.pinnedHost || ''));
      var td = el('td');
      if (state.own[r.connectionId]) {
        td.appendChild(el('span', { 'class': 'own', title: 'the connection this page uses' }, 'this page'));
      } else if (mayKill(r)) {
        td.appendChild(el('button', { type: 'button', 'class': 'kill', 'data-id': r.connectionId,
          title: 'Close connection ' + r.connectionId }, 'Kill'));
      }
      tr.appendChild(td);
      fresh.appendChild(tr);
    });
    tbody.replaceChildren(fresh);
    $('#count').textContent = state.total <= rows.length && state.offset === 0 ? '(' + state.total + ')'
      : '(' + (rows.length ? (state.offset + 1) + '–' + (state.offset + rows.length) : 'none') + ' of ' +
        state.total + ')';
    $('#prev').disabled = state.offset === 0;
    $('#next').disabled = state.offset + rows.length >= state.total;
    $('#pager').hidden = state.total <= PAGE_SIZE && state.offset === 0;
    document.querySelectorAll('#connections th[data-key]').forEach(function (th) {
      th.classList.toggle('sorted-asc', th.dataset.key === state.sortKey && state.sortDir === 1);
      th.classList.toggle('sorted-desc', th.dataset.key === state.sortKey && state.sortDir === -1);
    });
  }

  function renderPools(pools) {
    var box = $('#pools');
    var hosts = Object.keys(pools.hosts || {});
    if (hosts.length === 0) {
      box.replaceChildren(el('p', { 'class': 'empty' }, 'No upstream pool yet.'));
      return;
    }
    var fresh = document.createDocumentFragment();
    hosts.forEach(function (name) {
      var h = pools.hosts[name];
      var open = h.inUse + h.available + h.refreshing;
      var max = h.maxPoolSize > 0 ? Math.max(h.maxPoolSize, open) : Math.max(open, 1);
      var row = el('div', { 'class': 'pool' + (h.waitQueueSize > 0 ? ' waiting' : ''), 'data-host': name });
      row.appendChild(el('span', { 'class': 'host', title: name + ' (' + h.state + ')' }, name));
      var bar = el('div', { 'class': 'bar', role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(max),
        'aria-valuenow': String(h.inUse) });
      [['in-use', h.inUse], ['available', h.available], ['pending', h.refreshing]].forEach(function (part) {
        var span = el('span', { 'class': part[0] });
        span.style.width = (100 * part[1] / max) + '%';
        bar.appendChild(span);
      });
      row.appendChild(bar);
      row.appendChild(el('span', { 'class': 'figures' },
        h.inUse + ' in use / ' + h.available + ' available / max ' + (h.maxPoolSize > 0 ? h.maxPoolSize : '∞') +
        ' · wait queue ' + h.waitQueueSize + (h.waitQueueTimeouts ? ' (' + h.waitQueueTimeouts + ' timeouts)' : '')));
      fresh.appendChild(row);
    });
    box.replaceChildren(fresh);
  }

  // the upstream as Sluice's monitors see it: each server's role, round trip, pool and last error
  function renderTopology(topology) {
    $('#topology-type').textContent = '(' + topology.type + (topology.setName ? ' · set ' + topology.setName : '') +
      (topology.compatible ? '' : ' · incompatible: ' + topology.compatibilityError) + ')';
    var fresh = document.createDocumentFragment();
    topology.servers.forEach(function (s) {
      var tr = el('tr', { 'data-host': s.address, 'class': 'role-' + s.role });
      tr.appendChild(el('td', { 'class': 'mono' }, s.address));
      var role = el('td', { title: s.type + (s.setName ? ' in ' + s.setName : '') }, s.role);
      var tags = Object.keys(s.tags || {}).sort().map(function (k) { return k + '=' + s.tags[k]; });
      if (tags.length) role.appendChild(el('span', { 'class': 'tags' }, ' ' + tags.join(', ')));
      tr.appendChild(role);
      tr.appendChild(el('td', { 'class': 'num' }, s.rttMillis === null ? '—' : s.rttMillis.toFixed(1) + ' ms'));
      var p = s.pool;
      tr.appendChild(el('td', {}, p ? p.inUse + ' in use / ' + p.available + ' available / max ' +
        (p.maxPoolSize > 0 ? p.maxPoolSize : '∞') + (p.waitQueueSize ? ' · ' + p.waitQueueSize + ' waiting' : '') +
        ' (' + p.state + ')' : '—'));
      tr.appendChild(el('td', { 'class': 'error-text', title: s.error || '' }, s.error || ''));
      fresh.appendChild(tr);
    });
    $('#topology tbody').replaceChildren(fresh);
    $('#topology-empty').hidden = topology.servers.length > 0;
  }

  // every Sluice registered in the cluster (fleet.enabled), from GET /api/fleet
  function renderFleet(fleet) {
    $('#fleet-summary').textContent = '(' + fleet.instances.length + ' live' +
      (fleet.connectionBudget > 0 ? ' · budget ' + fleet.connectionBudget + ' per host' : '') +
      (fleet.error ? ' · heartbeat failing: ' + fleet.error : '') + ')';
    var fresh = document.createDocumentFragment();
    fleet.instances.forEach(function (i) {
      var tr = el('tr', { 'data-instance': i.id });
      tr.appendChild(el('td', { 'class': 'mono' }, i.id + (i.id === fleet.self ? ' (this one)' : '')));
      tr.appendChild(el('td', { 'class': 'mono' }, i.mongodb));
      tr.appendChild(el('td', { 'class': 'num' }, String(i.clients)));
      tr.appendChild(el('td', { 'class': 'num' }, String(i.backendConnections)));
      tr.appendChild(el('td', { 'class': 'num' }, String(i.holding)));
      tr.appendChild(el('td', {}, i.draining ? 'draining' : 'serving'));
      tr.appendChild(el('td', { 'class': 'mono' }, i.heartbeatAt));
      fresh.appendChild(tr);
    });
    $('#fleet tbody').replaceChildren(fresh);
  }

  function renderHistory(history) {
    var canvas = $('#history');
    var ctx = canvas.getContext('2d');
    var ratio = window.devicePixelRatio || 1;
    var w = canvas.clientWidth || canvas.width, h = canvas.clientHeight || canvas.height;
    canvas.width = w * ratio; canvas.height = h * ratio;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var points = history.points || [];
    var pad = { l: 40, r: 10, t: 10, b: 22 };
    var now = points.length ? points[points.length - 1].time : Date.now();
    var from = now - history.windowSeconds * 1000;
    var max = 1;
    points.forEach(function (p) { max = Math.max(max, p.clients, p.backendInUse + p.backendAvailable); });
    max = Math.ceil(max * 1.1 / 4) * 4; // four integer grid steps
    function x(t) { return pad.l + (w - pad.l - pad.r) * (t - from) / (now - from || 1); }
    function y(v) { return h - pad.b - (h - pad.t - pad.b) * v / max; }
    ctx.strokeStyle = '#dde1e7'; ctx.fillStyle = '#6b7585'; ctx.font = '11px sans-serif';
    for (var i = 0; i <= 4; i++) {
      var v = Math.round(max * i / 4);
      ctx.beginPath(); ctx.moveTo(pad.l, y(v)); ctx.lineTo(w - pad.r, y(v)); ctx.stroke();
      ctx.fillText(String(v), 4, y(v) + 4);
    }
    ctx.fillText('-' + Math.round(history.windowSeconds / 60) + ' min', pad.l, h - 6);
    ctx.fillText('now', w - pad.r - 22, h - 6);
    if (points.length === 0) ctx.fillText('no samples yet', pad.l + 10, pad.t + 14);
    function line(color, value) {
      if (points.length === 0) return;
      ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
      points.forEach(function (p, k) {
        if (k === 0) ctx.moveTo(x(p.time), y(value(p))); else ctx.lineTo(x(p.time), y(value(p)));
      });
      ctx.stroke(); ctx.lineWidth = 1;
      if (points.length < 3) { // too few points for a visible line: mark them
        ctx.fillStyle = color;
        points.forEach(function (p) { ctx.beginPath(); ctx.arc(x(p.time), y(value(p)), 3, 0, 2 * Math.PI); ctx.fill(); });
      }
    }
    var css = getComputedStyle(document.documentElement);
    line(css.getPropertyValue('--available').trim(), function (p) { return p.backendAvailable; });
    line(css.getPropertyValue('--in-use').trim(), function (p) { return p.backendInUse; });
    line(css.getPropertyValue('--clients').trim(), function (p) { return p.clients; });
  }

  function refresh() {
    return Promise.all([getWithHeaders(connectionsPath()),
      may('connPoolStats') ? getJson('api/pools') : null,
      may('serverStatus') ? getJson('api/history') : null,
      may('connPoolStats') ? getJson('api/topology') : null,
      getWithHeaders('api/connections?connector=mongodb&limit=1'),
      // 404 without a fleet: the section stays hidden
      may('connPoolStats') ? getJson('api/fleet').catch(function () { return null; }) : null])
      .then(function (all) {
        state.rows = all[0].body;
        state.total = Number(all[0].headers.get('X-Total-Count') || state.rows.length);
        if (state.rows.length === 0 && state.offset > 0 && state.total > 0) { // the page emptied: go back
          state.offset = Math.max(0, Math.floor((state.total - 1) / PAGE_SIZE) * PAGE_SIZE);
          return refresh();
        }
        renderConnections();
        if (all[1]) renderPools(all[1]);
        else $('#pools').replaceChildren(el('p', { 'class': 'empty' }, 'Needs the connPoolStats action.'));
        if (all[2]) renderHistory(all[2]);
        if (all[3]) renderTopology(all[3]);
        $('#topology-section').hidden = !all[3];
        if (all[5]) renderFleet(all[5]);
        $('#fleet-section').hidden = !all[5];
        $('#history-section').hidden = !all[2];
        var clients = Number(all[4].headers.get('X-Total-Count') || 0);
        $('#summary').textContent = clients + ' client connections' + (all[1] ? ' · backend ' + all[1].totalInUse +
          ' in use, ' + all[1].totalAvailable + ' available' : '');
        $('#status').textContent = '';
      })
      .catch(function (e) { $('#status').textContent = 'Cannot reach Sluice: ' + e.message; });
  }

  function describe(id) {
    var row = state.rows.filter(function (r) { return r.connectionId === id; })[0];
    if (!row) return id;
    var who = [row.appName && 'app ' + row.appName, row.username && 'user ' + row.username,
      row.clientAddress && 'from ' + row.clientAddress].filter(Boolean).join(', ');
    return id + (who ? ' (' + who + ')' : '');
  }

  function kill(id, button) {
    if (state.own[id]) return;
    if (!window.confirm('Kill connection ' + describe(id) + '?\nThe client loses it and any operation running on it.')) {
      return;
    }
    button.disabled = true;
    // application/json on every state-changing request: Sluice refuses anything else (CSRF defence)
    fetch('api/connections/' + encodeURIComponent(id),
      { method: 'DELETE', credentials: 'same-origin', headers: headers({ 'Content-Type': 'application/json' }) })
      .then(function (r) {
        noteOwn(r);
        loggedOut(r);
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      })
      .then(function (res) {
        $('#status').textContent = res.ok ? '' : id + ': ' + res.body.message;
        state.rows = state.rows.filter(function (r) { return r.connectionId !== id; });
        renderConnections();
        return refresh();
      })
      .catch(function (e) { $('#status').textContent = 'Kill ' + id + ' failed: ' + e.message; button.disabled = false; });
  }

  function logout() {
    fetch('api/logout', { method: 'POST', credentials: 'same-origin', headers: headers({ 'Content-Type': 'application/json' }),
      body: '{}' })
      .then(function () { window.location.replace('./'); })
      .catch(function (e) { $('#status').textContent = 'Log out failed: ' + e.message; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('#logout').addEventListener('click', logout);
    $('#connections thead').addEventListener('click', function (ev) {
      var key = ev.target.dataset && ev.target.dataset.key;
      if (!key) return;
      state.sortDir = state.sortKey === key ? -state.sortDir : 1;
      state.sortKey = key;
      state.offset = 0;
      refresh();
    });
    $('#connections tbody').addEventListener('click', function (ev) {
      var button = ev.target.closest('button.kill');
      if (button) kill(button.dataset.id, button);
    });
    $('#filter').addEventListener('input', function (ev) {
      state.filter = ev.target.value.trim().toLowerCase();
      state.offset = 0;
      clearTimeout(state.filterTimer); // one request once typing pauses, not one per key
      state.filterTimer = setTimeout(refresh, 250);
    });
    $('#prev').addEventListener('click', function () {
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      refresh();
    });
    $('#next').addEventListener('click', function () {
      state.offset += PAGE_SIZE;
      refresh();
    });
    loadSession()
      .then(function () {
        refresh();
        setInterval(refresh, REFRESH_MS);
      })
      .catch(function (e) { $('#status').textContent = 'Cannot reach Sluice: ' + e.message; });
  });
})();
