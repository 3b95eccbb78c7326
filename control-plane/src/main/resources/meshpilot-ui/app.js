// meshpilot's mesh view: plain JavaScript, no build, no outside assets. It reads the control plane's HTTP API
// (/api/v1/services, /ui/overview) and follows /ui/events (Server-Sent Events) to update what it shows in place.
'use strict';

const PAGE_SIZE = 100;
const KEPT_DECISIONS = 200;
const SHOWN_DECISIONS = 60;
const REFRESH_MS = 5000; // staleness comes with time, not with an event: the page and header are re-read this often

const view = {
  overview: null,
  regions: [],
  filters: { namespace: '', region: '', state: '' },
  cursors: [null],
  page: 0,
  rows: new Map(),
  total: 0,
  next: null,
  service: null,
  decisions: [],
  connected: false,
};
// For tests and measurements: when the grid was first rendered, how many updates were applied.
window.meshView = { gridRenderedAt: null, renders: 0, renderMs: null, applyMs: 0, renderedQuery: null, updates: 0, lastUpdateAt: null, events: 0,
  currentQuery: () => gridQuery() };

const main = document.getElementById('main');

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
    "'": '&#39;' }[c]));
}

function clock(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return isNaN(date) ? escape(iso) : date.toISOString().substring(11, 19) + 'Z';
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.message || response.status + ' ' + response.statusText);
  }
  return response.json();
}

// What a region's state, affinity and reason mean to an operator: a class for the colour, and words and a glyph so
// the cell reads without colour.
function describe(cell) {
  if (!cell) return { cls: 'absent', glyph: '', label: 'not here' };
  switch (cell.state) {
    case 'healthy':
      if (cell.reason === 'failback-pending') return { cls: 'failback', glyph: '↺', label: 'failing back' };
      if (cell.reason === 'pinned-by-policy') return { cls: 'healthy', glyph: '▣', label: 'pinned ' + affinity(cell) };
      return { cls: 'healthy', glyph: '✓', label: 'healthy' };
    case 'degraded':
      if (cell.affinity === 'remote') return { cls: 'failedover', glyph: '↪', label: 'failed over' };
      if (cell.reason === 'failover-pending') return { cls: 'pendingfailover', glyph: '⧗', label: 'failover pending' };
      if (cell.reason === 'confirming-mass-degradation') return { cls: 'pendingfailover', glyph: '⧗', label: 'failover waits: mass degradation unconfirmed' };
      if (cell.reason === 'insufficient-capacity') return { cls: 'outage', glyph: '✗', label: 'degraded, targets too small' };
      if (cell.reason === 'last-resort-export') return { cls: 'outage', glyph: '✗', label: 'degraded, exported as last resort' };
      return { cls: 'outage', glyph: '✗', label: 'degraded, no target' };
    case 'drained':
      if (cell.reason === 'drain-overridden') return { cls: 'healthy', glyph: '⏏', label: 'drain overridden: serving' };
      return { cls: 'drained', glyph: '⏏', label: 'drained' };
    case 'stale': return { cls: 'stale', glyph: '?', label: 'stale (agent silent)' };
    case 'pending': return { cls: 'pending', glyph: '…', label: 'pending' };
    case 'unmanaged': return { cls: 'unmanaged', glyph: '–', label: 'unmanaged' };
    default: return { cls: 'pending', glyph: '?', label: cell.state };
  }
}

function affinity(cell) {
  if (cell.global === false) return 'not global';
  if (!cell.affinity) return '–';
  return cell.affinity === 'none' ? 'balanced' : cell.affinity;
}

function cellHtml(cell, region) {
  const meaning = describe(cell);
  if (!cell) return `<td class="cell absent" data-region="${escape(region)}">–</td>`;
  const shared = cell.shared === undefined ? '–' : cell.shared ? 'yes' : 'no';
  const detail = cell.affinity === undefined && cell.global === undefined ? 'no directive yet'
    : `affinity ${escape(affinity(cell))} · shared ${shared}`;
  return `<td class="cell ${meaning.cls}" data-region="${escape(region)}" data-state="${escape(cell.state)}">`
    + `<span class="glyph" aria-hidden="true">${meaning.glyph}</span><span class="label">${escape(meaning.label)}</span>`
    + `<div class="detail">${detail}</div><div class="reason">${escape(cell.reason || '')}</div></td>`;
}

// ---------------------------------------------------------------- header: regions and counts by state

async function loadOverview() {
  const overview = await getJson('overview');
  view.overview = overview;
  view.regions = overview.regions.map(line => line.region);
  renderSummary();
  return overview;
}

function renderSummary() {
  const overview = view.overview;
  if (!overview) return;
  const regions = overview.regions.map(line => {
    const counts = Object.entries(line.states).map(([state, n]) => `${n} ${escape(state)}`).join(', ') || 'no Services';
    return `<span class="region"><b>${escape(line.region)}</b>${line.stale ? ' (agent silent)' : ''}: ${counts}</span>`;
  }).join('');
  document.getElementById('summary').innerHTML = `${overview.services} Services · ${regions}`;
}

// ---------------------------------------------------------------- the grid

function gridPage() {
  const f = view.filters;
  const options = (values, selected, any) => [`<option value="">${any}</option>`].concat(values.map(value =>
    `<option${value === selected ? ' selected' : ''}>${escape(value)}</option>`)).join('');
  const overview = view.overview || { namespaces: [], states: [] };
  main.innerHTML = `
    <form class="filters" id="filters" aria-label="filters">
      <label>Namespace<select name="namespace">${options(overview.namespaces, f.namespace, 'all namespaces')}</select></label>
      <label>Region<select name="region">${options(view.regions, f.region, 'all regions')}</select></label>
      <label>State<select name="state">${options(overview.states, f.state, 'any state')}</select></label>
    </form>
    <div class="pager"><button id="previous" type="button">‹ Previous</button><span id="range"></span>
      <button id="next" type="button">Next ›</button></div>
    <table class="grid" id="grid"><thead></thead><tbody></tbody></table>`;
  document.getElementById('filters').addEventListener('change', event => {
    view.filters[event.target.name] = event.target.value;
    view.cursors = [null];
    view.page = 0;
    loadGrid();
  });
  document.getElementById('previous').addEventListener('click', () => {
    if (view.page > 0) { view.page--; loadGrid(); }
  });
  document.getElementById('next').addEventListener('click', () => {
    if (view.next) { view.cursors[view.page + 1] = view.next; view.page++; loadGrid(); }
  });
}

function columns() {
  return view.filters.region ? [view.filters.region] : view.regions;
}

function gridQuery() {
  const query = new URLSearchParams({ limit: PAGE_SIZE });
  Object.entries(view.filters).forEach(([name, value]) => value && query.set(name, value));
  const cursor = view.cursors[view.page];
  if (cursor) query.set('page', cursor);
  return query.toString();
}

async function loadGrid() {
  const query = gridQuery();
  let body;
  try {
    body = await getJson('/api/v1/services?' + query);
  } catch (error) {
    setStatus('down', 'cannot read the API: ' + error.message);
    return;
  }
  // Navigated away, or the filters or page changed while this was on its way: a newer answer will come.
  if (!document.getElementById('grid') || query !== gridQuery()) return;
  window.meshView.renderedQuery = query;
  view.rows = new Map(body.items.map(item => [item.namespace + '/' + item.name, item]));
  view.total = body.total;
  view.next = body.next || null;
  renderGrid();
}

function renderGrid() {
  const grid = document.getElementById('grid');
  if (!grid) return;
  const started = performance.now();
  const regions = columns();
  grid.tHead.innerHTML = `<tr><th class="service">Service</th>${regions.map(region =>
    `<th scope="col">${escape(region)}</th>`).join('')}</tr>`;
  grid.tBodies[0].innerHTML = view.rows.size === 0
    ? `<tr><td class="empty" colspan="${regions.length + 1}">No Service matches.</td></tr>`
    : [...view.rows.values()].map(rowHtml).join('');
  const first = view.page * PAGE_SIZE;
  document.getElementById('range').textContent = view.total === 0 ? 'none'
    : `Services ${first + 1}–${first + view.rows.size} of ${view.total}`;
  document.getElementById('previous').disabled = view.page === 0;
  document.getElementById('next').disabled = !view.next;
  window.meshView.renders++;
  window.meshView.renderMs = performance.now() - started;
  if (window.meshView.gridRenderedAt === null) {
    window.meshView.gridRenderedAt = performance.now();
    performance.mark('meshpilot-grid-rendered');
  }
}

function rowHtml(item) {
  const key = item.namespace + '/' + item.name;
  const byRegion = new Map(item.regions.map(cell => [cell.region, cell]));
  return `<tr data-key="${escape(key)}"><th class="service" scope="row"><a href="#/service/${escape(key)}">`
    + `${escape(key)}</a></th>${columns().map(region => cellHtml(byRegion.get(region), region)).join('')}</tr>`;
}

function updateRows(items, removed) {
  const started = performance.now();
  let unknownRegion = false;
  for (const item of items) {
    const key = item.namespace + '/' + item.name;
    item.regions.forEach(cell => { if (!view.regions.includes(cell.region)) unknownRegion = true; });
    if (!view.rows.has(key)) continue;
    view.rows.set(key, item);
    const row = document.querySelector(`#grid tr[data-key="${CSS.escape(key)}"]`);
    if (row) {
      const fresh = document.createElement('tbody');
      fresh.innerHTML = rowHtml(item);
      const replacement = fresh.firstElementChild;
      replacement.classList.add('changed');
      row.replaceWith(replacement);
      window.meshView.updates++;
      window.meshView.lastUpdateAt = Date.now();
    }
  }
  for (const key of removed) {
    const row = document.querySelector(`#grid tr[data-key="${CSS.escape(key)}"]`);
    if (row) row.classList.add('removed');
  }
  window.meshView.applyMs = Math.max(window.meshView.applyMs, performance.now() - started);
  if (unknownRegion) loadOverview().then(() => { gridPage(); loadGrid(); });
}

// ---------------------------------------------------------------- one Service

async function loadService(key) {
  let detail;
  try {
    detail = await getJson('/api/v1/services/' + key.split('/').map(encodeURIComponent).join('/'));
  } catch (error) {
    main.innerHTML = `<a class="back" href="#/">‹ all Services</a><p class="empty">${escape(error.message)}</p>`;
    return;
  }
  if (view.service !== key) return;
  renderService(detail);
}

function renderService(detail) {
  const key = detail.namespace + '/' + detail.name;
  const p = detail.policy;
  const regions = detail.regions.map(region => region.region);
  main.innerHTML = `<a class="back" href="#/">‹ all Services</a>
    <h2 id="service-title">${escape(key)}</h2>
    <p class="policy">Policy <code>${escape(p.scope)}</code>: mode ${escape(p.mode)}, at least ${p.minReadyEndpoints}
      ready endpoint(s)${p.minReadyRatio ? ` and ${p.minReadyRatio * 100}% of capacity` : ''}, failover after
      ${p.failoverDelaySeconds} s, failback after ${p.failbackDelaySeconds} s, stale after ${p.staleAfterSeconds} s
      ${p.drain.length ? `, draining ${p.drain.map(escape).join(', ')}` : ''}</p>
    <div class="regions">${detail.regions.map(region => regionCard(region, regions)).join('')}</div>`;
}

function regionCard(region, all) {
  const cell = { state: region.state, reason: region.reason };
  const annotations = region.directive ? region.directive.annotations : null;
  if (annotations) {
    cell.global = annotations['service.cilium.io/global'] === 'true';
    cell.shared = annotations['service.cilium.io/shared'] !== 'false';
    cell.affinity = annotations['service.cilium.io/affinity'] || 'none';
  }
  const meaning = describe(cell);
  const h = region.health;
  const d = region.directive;
  const s = region.status;
  return `<article class="region-card" data-region="${escape(region.region)}">
    <h3 class="cell ${meaning.cls}">${escape(region.region)}: <span class="glyph" aria-hidden="true">${meaning.glyph}</span>
      <span class="label">${escape(meaning.label)}</span></h3>
    <dl>
      <dt>Health</dt><dd>${h ? `${h.ready} ready, ${h.serving} serving, ${h.terminating} terminating of ${h.total};
        ${h.active} active <span class="hint">(observed ${clock(h.observedAt)})</span>` : 'no health reported'}</dd>
      <dt>Directive</dt><dd>${d ? `v${d.version}: ${Object.entries(d.annotations).map(([name, value]) =>
        `<code>${escape(name.replace('service.cilium.io/', ''))}=${escape(value)}</code>`).join(' ')}
        <br><span class="reason">${escape(d.reason)}</span> <span class="hint">(decided ${clock(d.decidedAt)})</span>`
        : 'none yet'}</dd>
      <dt>Agent status</dt><dd>${s ? `${escape(s.result)} v${s.version}${s.message ? ': ' + escape(s.message) : ''}
        <span class="hint">(${clock(s.observedAt)})</span>` : 'not reported'}</dd>
      <dt>Agent heard</dt><dd>${clock(region.agentLastHeard)}${region.stale ? ' — silent, data is stale' : ''}</dd>
    </dl>
    <div class="routes-title">Where clients in ${escape(region.region)} go</div>
    ${routesDiagram(region.region, region.routes, all)}
    <ul class="routes" data-testid="routes-${escape(region.region)}">${routesList(region.routes)}</ul>
  </article>`;
}

function routesList(routes) {
  const entries = Object.entries(routes);
  if (entries.length === 0) return '<li class="blackhole">no backends: these clients are blackholed</li>';
  return entries.map(([to, backends]) => `<li>${escape(to)}: ${backends} backend${backends === 1 ? '' : 's'}</li>`)
    .join('');
}

// Clients of one region on the left, every region's backends on the right, an arrow to each region they reach.
function routesDiagram(from, routes, all) {
  const rowHeight = 30;
  const height = Math.max(all.length, 1) * rowHeight + 10;
  const clientsY = height / 2;
  const nodes = all.map((to, i) => {
    const y = 5 + i * rowHeight;
    const reached = routes[to] !== undefined;
    const label = reached ? `${to}: ${routes[to]} backend${routes[to] === 1 ? '' : 's'}` : `${to}: not reached`;
    const edge = reached ? `<path class="edge" marker-end="url(#arrow)" d="M 130 ${clientsY} C 175 ${clientsY}, 175 ${y + 12},
      218 ${y + 12}"/>` : '';
    return `${edge}<rect class="node${reached ? ' reached' : ''}" x="222" y="${y}" width="170" height="24" rx="4"/>
      <text x="230" y="${y + 16}">${escape(label)}</text>`;
  }).join('');
  return `<svg class="routes" width="400" height="${height}" role="img"
      aria-label="clients in ${escape(from)} reach ${escape(Object.keys(routes).join(', ') || 'no backends')}">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">
      <path d="M 0 0 L 10 5 L 0 10 z" fill="#2f9e44"/></marker></defs>
    <rect class="node clients" x="4" y="${clientsY - 14}" width="126" height="28" rx="4"/>
    <text x="12" y="${clientsY + 4}">clients in ${escape(from)}</text>${nodes}</svg>`;
}

// ---------------------------------------------------------------- the decision log

function addDecision(decision, live) {
  view.decisions.unshift(decision);
  view.decisions.sort((a, b) => (b.decidedAt || '').localeCompare(a.decidedAt || ''));
  if (view.decisions.length > KEPT_DECISIONS) view.decisions.length = KEPT_DECISIONS;
  renderDecisions(live ? decision : null);
}

function renderDecisions(fresh) {
  const list = document.getElementById('decisions');
  const shown = view.decisions.filter(decision => !view.service
    || decision.namespace + '/' + decision.service === view.service).slice(0, SHOWN_DECISIONS);
  list.innerHTML = shown.length === 0 ? '<li class="empty">No decision yet.</li>' : shown.map(decision => {
    const key = decision.namespace + '/' + decision.service;
    const outcomes = decision.regions.map(region => {
      const a = region.annotations || {};
      const affinityOf = a['service.cilium.io/global'] === undefined ? 'unmanaged'
        : a['service.cilium.io/affinity'] || 'balanced';
      return `<span class="outcome">${escape(region.region)} → ${escape(affinityOf)}, shared
        ${a['service.cilium.io/shared'] === 'false' ? 'no' : 'yes'} (<span class="reason">${escape(region.reason)}</span>)</span>`;
    }).join('');
    return `<li class="${decision === fresh ? 'new' : ''}"><time>${clock(decision.decidedAt)}</time>`
      + `<a href="#/service/${escape(key)}">${escape(key)}</a>${decision.globalOutage
        ? '<span class="badge">global outage</span>' : ''}${outcomes}</li>`;
  }).join('');
}

// ---------------------------------------------------------------- live updates

function setStatus(kind, text) {
  const status = document.getElementById('status');
  status.className = kind;
  status.textContent = text;
}

function follow() {
  const events = new EventSource('events');
  events.addEventListener('hello', () => {
    const reconnected = view.connected === null;
    view.connected = true;
    view.decisions = [];
    renderDecisions(null);
    setStatus('live', 'live');
    if (reconnected) refresh();
  });
  events.addEventListener('services', event => {
    window.meshView.events++;
    const change = JSON.parse(event.data);
    soonOverview();
    if (view.service) {
      if (change.items.some(item => item.namespace + '/' + item.name === view.service)) loadService(view.service);
      return;
    }
    updateRows(change.items, change.removed);
  });
  events.addEventListener('resync', () => refresh());
  events.addEventListener('decision', event => addDecision(JSON.parse(event.data), view.connected));
  events.onerror = () => {
    view.connected = null;
    setStatus('down', 'reconnecting…');
  };
}

let overviewDue = null;
// The header's counts follow changes, at most about once a second (computing them walks every Service).
function soonOverview() {
  if (overviewDue === null) {
    overviewDue = setTimeout(() => { overviewDue = null; loadOverview().catch(() => {}); }, 1000);
  }
}

function refresh() {
  loadOverview().then(renderSummary).catch(() => {});
  if (view.service) loadService(view.service);
  else loadGrid();
}

async function route() {
  const match = location.hash.match(/^#\/service\/([^/]+)\/([^/]+)$/);
  if (match) {
    view.service = decodeURIComponent(match[1]) + '/' + decodeURIComponent(match[2]);
    main.innerHTML = '<p class="empty">Loading…</p>';
    renderDecisions(null);
    await loadService(view.service);
  } else {
    view.service = null;
    renderDecisions(null);
    if (!view.overview) await loadOverview().catch(error => setStatus('down', error.message));
    gridPage();
    await loadGrid();
  }
}

window.addEventListener('hashchange', route);
setInterval(refresh, REFRESH_MS);
follow();
route();
