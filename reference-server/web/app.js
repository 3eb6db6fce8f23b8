// The IOC dashboard: plain browser JavaScript served as-is (no bundler, nothing loaded from outside).
// Every value shown comes from the HTTP API (specs/openapi/reference-server.yaml) and its event stream.

const TEXT = {
  vi: {
    title: 'Trung tâm Điều hành thông minh tỉnh Bắc Giang',
    language: 'English',
    status: 'Trạng thái hệ thống',
    liveness: 'Tiến trình',
    readiness: 'Cơ sở dữ liệu',
    version: 'Phiên bản',
    role: 'Vai trò',
    stream: 'Luồng sự kiện',
    api: 'Tài liệu API (OpenAPI)',
    up: 'hoạt động',
    down: 'không sẵn sàng',
    online: 'trực tiếp',
    offline: 'mất kết nối, đang thử lại…',
    polling: 'cập nhật định kỳ',
    none: '—',
    signin: 'Hãy mở địa chỉ do npm start in ra để đăng nhập.',
    scorecard: 'Bảng chỉ số đô thị thông minh',
    year: 'Năm',
    csv: 'Tải CSV',
    met: 'Đạt',
    notMet: 'Chưa đạt',
    noData: 'Chưa có số liệu',
    notApplicable: 'Không áp dụng',
    score: 'Điểm',
    band: 'Mức',
    bandOf: (b) => `Mức ${b}/4`,
    scope: (s) =>
      s.level === 'province'
        ? `Phạm vi: toàn tỉnh (mã ${s.adminUnitCode})`
        : s.level === 'district'
          ? `Phạm vi: huyện/thành phố mã ${s.adminUnitCode}`
          : `Phạm vi: ${s.department ?? ''}`,
    code: 'Mã',
    indicator: 'Chỉ số',
    value: 'Giá trị',
    target: 'Mục tiêu',
    state: 'Trạng thái',
    yes: 'Có',
    no: 'Chưa',
    history: 'Lịch sử chỉ số',
    close: 'Đóng',
    chartTitle: (code, from, to) => `Giá trị của chỉ số ${code}, ${from}–${to}, và đường mục tiêu`,
    targetLine: (t) => `Mục tiêu ${t}`,
    noPoint: 'chưa có số liệu',
    openChart: (code) => `Xem lịch sử chỉ số ${code}`,
    alerts: 'Cảnh báo',
    noAlerts: 'Không có cảnh báo đang mở.',
    severity: { critical: 'Nghiêm trọng', warning: 'Cảnh báo', info: 'Thông tin' },
    states: { open: 'Đang mở', acknowledged: 'Đã tiếp nhận', resolved: 'Đã xử lý' },
    kinds: {
      'target-not-met': 'Chưa đạt mục tiêu',
      regression: 'Suy giảm',
      'missing-report': 'Thiếu báo cáo',
      threshold: 'Vượt ngưỡng',
    },
    acknowledge: 'Tiếp nhận',
    resolve: 'Xử lý xong',
    raisedAt: 'Phát sinh',
    forbidden: 'Bạn không có quyền xử lý cảnh báo: cần vai trò điều hành viên (operator).',
    conflict: (state) => `Cảnh báo đã thay đổi trạng thái (${state}); danh sách đã được cập nhật.`,
    failed: (status) => `Không thực hiện được (HTTP ${status}).`,
    acknowledged: (code) => `Đã tiếp nhận cảnh báo của chỉ số ${code}.`,
    resolved: (code) => `Đã xử lý cảnh báo của chỉ số ${code}.`,
    loadFailed: (what) => `Không tải được ${what}.`,
    stations: 'Trạm quan trắc môi trường',
    station: 'Trạm',
    time: 'Thời điểm',
    mapTitle: 'Sơ đồ vị trí các trạm quan trắc theo vĩ độ, kinh độ, tô màu theo VN_AQI giờ',
    province: 'Sơ đồ vị trí trạm (không phải bản đồ)',
    roles: {
      leadership: 'lãnh đạo tỉnh',
      department: 'sở, ngành',
      district: 'huyện, thành phố',
      operator: 'điều hành viên',
      machine: 'máy',
    },
  },
  en: {
    title: 'Bắc Giang Intelligent Operations Centre',
    language: 'Tiếng Việt',
    status: 'System status',
    liveness: 'Process',
    readiness: 'Database',
    version: 'Version',
    role: 'Role',
    stream: 'Event stream',
    api: 'API description (OpenAPI)',
    up: 'up',
    down: 'unavailable',
    online: 'live',
    offline: 'connection lost, retrying…',
    polling: 'refreshed periodically',
    none: '—',
    signin: 'Open the address printed by npm start to sign in.',
    scorecard: 'Smart-city scorecard',
    year: 'Year',
    csv: 'Download CSV',
    met: 'Met',
    notMet: 'Not met',
    noData: 'No data',
    notApplicable: 'Not applicable',
    score: 'Score',
    band: 'Band',
    bandOf: (b) => `Band ${b}/4`,
    scope: (s) =>
      s.level === 'province'
        ? `Scope: the whole province (code ${s.adminUnitCode})`
        : s.level === 'district'
          ? `Scope: district/city code ${s.adminUnitCode}`
          : `Scope: ${s.department ?? ''}`,
    code: 'Code',
    indicator: 'Indicator',
    value: 'Value',
    target: 'Target',
    state: 'Status',
    yes: 'Yes',
    no: 'No',
    history: 'Indicator history',
    close: 'Close',
    chartTitle: (code, from, to) => `Values of indicator ${code}, ${from}–${to}, and the target line`,
    targetLine: (t) => `Target ${t}`,
    noPoint: 'no data',
    openChart: (code) => `Show the history of indicator ${code}`,
    alerts: 'Alerts',
    noAlerts: 'No open alerts.',
    severity: { critical: 'Critical', warning: 'Warning', info: 'Info' },
    states: { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' },
    kinds: {
      'target-not-met': 'Target not met',
      regression: 'Regression',
      'missing-report': 'Missing report',
      threshold: 'Threshold crossed',
    },
    acknowledge: 'Acknowledge',
    resolve: 'Resolve',
    raisedAt: 'Raised',
    forbidden: 'You may not handle alerts: this needs the operator role.',
    conflict: (state) => `The alert changed state (${state}); the list has been refreshed.`,
    failed: (status) => `That did not work (HTTP ${status}).`,
    acknowledged: (code) => `Acknowledged the alert on indicator ${code}.`,
    resolved: (code) => `Resolved the alert on indicator ${code}.`,
    loadFailed: (what) => `Could not load ${what}.`,
    stations: 'Environmental monitoring stations',
    station: 'Station',
    time: 'Time',
    mapTitle: 'Schematic of the monitoring stations by latitude and longitude, coloured by hourly VN_AQI',
    province: 'Station schematic (not a map)',
    roles: {
      leadership: 'province leadership',
      department: 'department',
      district: 'district/city',
      operator: 'operator',
      machine: 'machine',
    },
  },
};

// Panels of the integrations register themselves in `window.IOC_PANELS` (see web/PANELS.md) from
// classic scripts that run before this module; their texts join the page's.
const PANELS = Array.isArray(window.IOC_PANELS) ? window.IOC_PANELS : [];
for (const panel of PANELS) {
  for (const l of ['vi', 'en']) Object.assign(TEXT[l], panel.text?.[l] ?? {});
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Smallest span, in degrees, of the station schematic (about 22 km north–south). */
const MIN_SPAN = 0.2;
const GRID_STEP = 0.05;

let lang = localStorage.getItem('ioc.lang') === 'en' ? 'en' : 'vi';
const t = () => TEXT[lang];

// ---------------------------------------------------------------------------------------------------
// Small DOM helpers (text goes in with textContent only, never as markup).

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  el.append(...children.filter((c) => c !== null && c !== undefined));
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

const byId = (id) => document.getElementById(id);

function formatNumber(v, digits = 2) {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }).format(
    v,
  );
}

function formatTime(iso) {
  return new Intl.DateTimeFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(new Date(iso));
}

/** An indicator's value as shown: numbers localised with their unit, yes/no for boolean indicators. */
function formatValue(value, unit, unitLabel) {
  if (value === null || value === undefined) return t().none;
  if (typeof value === 'boolean') return value ? t().yes : t().no;
  if (unit === 'percent') return `${formatNumber(value)} %`;
  return unitLabel ? `${formatNumber(value)} ${unitLabel}` : formatNumber(value);
}

const STATUS_KEY = {
  met: 'met',
  'not-met': 'notMet',
  'no-data': 'noData',
  'not-applicable': 'notApplicable',
};

// ---------------------------------------------------------------------------------------------------
// Sign-in: `npm start` prints a URL whose fragment carries a demo token; keep it for this tab only.

const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has('token')) {
  sessionStorage.setItem('ioc.token', fragment.get('token'));
  history.replaceState(null, '', location.pathname + location.search);
}
const token = sessionStorage.getItem('ioc.token');

/** The token's claims, read only to adapt the page (the server checks the signature and the roles). */
function claims() {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0)));
    return JSON.parse(json);
  } catch {
    return {};
  }
}
const roles = token ? (Array.isArray(claims().roles) ? claims().roles : []) : [];
const isOperator = roles.includes('operator');
/** Every reading role may open the event stream (filtered to what it may read), unless the token's scopes leave it out. */
const tokenScopes = typeof claims().scope === 'string' ? claims().scope.split(' ') : undefined;
const canStream = tokenScopes
  ? tokenScopes.includes('events:read')
  : roles.some((r) => ['leadership', 'operator', 'department', 'district'].includes(r));

class ApiError extends Error {
  constructor(path, status, problem) {
    super(`${path}: HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function request(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });
  if (!res.ok) {
    // An expired or foreign token: ask for a fresh sign-in link.
    if (res.status === 401) byId('signin').hidden = false;
    const problem = await res.json().catch(() => ({}));
    throw new ApiError(path, res.status, problem);
  }
  return res;
}

const api = (path) => request(path).then((r) => r.json());

// ---------------------------------------------------------------------------------------------------
// Status strip.

const statusState = { health: undefined, ready: undefined, live: undefined };

function renderStatus() {
  for (const id of ['health', 'ready']) {
    const el = byId(id);
    if (statusState[id] === undefined) continue;
    el.className = statusState[id] ? 'up' : 'down';
    el.textContent = statusState[id] ? t().up : t().down;
  }
  const live = byId('live');
  if (statusState.live !== undefined) {
    live.className = statusState.live === 'offline' ? 'down' : 'up';
    live.textContent = t()[statusState.live];
  }
  byId('role').textContent = roles.length ? roles.map((r) => t().roles[r] ?? r).join(', ') : t().none;
}

async function refreshStatus() {
  try {
    const health = await fetch('health').then((r) => r.json());
    statusState.health = health.status === 'ok';
    byId('version').textContent = health.version;
  } catch {
    statusState.health = false;
  }
  try {
    statusState.ready = (await fetch('ready')).ok;
  } catch {
    statusState.ready = false;
  }
  renderStatus();
}

// ---------------------------------------------------------------------------------------------------
// KPI scorecard.

const kpi = { card: undefined, year: undefined, open: new Set(), series: undefined, indicator: undefined };

function counts(r) {
  return h(
    'span',
    { class: 'counts' },
    h('span', { class: 'count met', title: t().met, 'data-count': 'met', text: String(r.met) }),
    h('span', { class: 'count not-met', title: t().notMet, 'data-count': 'notMet', text: String(r.notMet) }),
    h('span', { class: 'count no-data', title: t().noData, 'data-count': 'noData', text: String(r.noData) }),
    h('span', {
      class: 'rollup-score',
      'data-count': 'score',
      text: r.score === null ? t().none : formatNumber(r.score),
    }),
  );
}

function indicatorRow(e) {
  const statusText = t()[STATUS_KEY[e.status]] ?? e.status;
  return h(
    'tr',
    { 'data-indicator': e.indicator, 'data-status': e.status, class: `status-${e.status}` },
    h(
      'td',
      {},
      h('button', {
        type: 'button',
        class: 'link open-chart',
        'aria-label': t().openChart(e.indicator),
        text: e.indicator,
        onclick: () => void openHistory(e.indicator),
      }),
    ),
    h('td', { class: 'name', text: e.name[lang] ?? e.name.vi }),
    h('td', { class: 'num value', text: formatValue(e.value, e.unit, e.unitLabel) }),
    h('td', { class: 'target', text: e.target?.text ?? t().none }),
    h('td', { class: 'status' }, h('span', { class: `pill ${e.status}`, text: statusText })),
  );
}

function indicatorTable(items, subgroups) {
  const body = h('tbody');
  let current;
  for (const e of items) {
    if (e.subgroup !== current) {
      current = e.subgroup;
      const sg = subgroups.get(e.subgroup);
      body.append(
        h(
          'tr',
          { class: 'subgroup' },
          h('th', {
            colspan: '5',
            scope: 'colgroup',
            text: `${e.subgroup} — ${sg ? (sg.name[lang] ?? sg.name.vi) : ''}`,
          }),
        ),
      );
    }
    body.append(indicatorRow(e));
  }
  return h(
    'table',
    { class: 'indicators' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['code', 'indicator', 'value', 'target', 'state'].map((k) =>
          h('th', { scope: 'col', text: t()[k] }),
        ),
      ),
    ),
    body,
  );
}

function rollupDetails(r, cls, content) {
  const details = h(
    'details',
    { class: cls, 'data-code': r.code, open: kpi.open.has(r.code) },
    h(
      'summary',
      {},
      h('span', { class: 'code', text: r.code }),
      h('span', { class: 'rollup-name', text: r.name[lang] ?? r.name.vi }),
      counts(r),
    ),
    ...content,
  );
  details.addEventListener('toggle', () => {
    if (details.open) kpi.open.add(r.code);
    else kpi.open.delete(r.code);
  });
  return details;
}

function renderScorecard() {
  const card = kpi.card;
  if (!card) return;
  const sum = card.summary;
  byId('sum-met').textContent = String(sum.met);
  byId('sum-notMet').textContent = String(sum.notMet);
  byId('sum-noData').textContent = String(sum.noData);
  byId('sum-score').textContent = sum.score === null ? t().none : formatNumber(sum.score);
  byId('sum-band').textContent = sum.band === null ? t().none : t().bandOf(sum.band);
  byId('kpi-scope').textContent =
    `${card.profile.name[lang] ?? card.profile.name.vi} · ${card.period.label} · ${t().scope(card.scope)}`;
  const subgroups = new Map(card.rollups.filter((r) => r.level === 'subgroup').map((r) => [r.code, r]));
  const layers = card.rollups
    .filter((r) => r.level === 'layer')
    .map((layer) =>
      rollupDetails(
        layer,
        'layer',
        card.rollups
          .filter((g) => g.level === 'group' && g.parent === layer.code)
          .map((group) =>
            rollupDetails(group, 'group', [
              indicatorTable(
                card.indicators.filter((e) => e.group === group.code),
                subgroups,
              ),
            ]),
          ),
      ),
    );
  byId('layers').replaceChildren(...layers);
}

async function loadScorecard(year) {
  const err = byId('kpi-error');
  try {
    const card = await api(`api/v1/kpi/scorecard${year === undefined ? '' : `?year=${year}`}`);
    kpi.card = card;
    kpi.year = Number(card.period.label.slice(0, 4));
    err.hidden = true;
    renderScorecard();
  } catch (e) {
    err.hidden = false;
    err.textContent = t().loadFailed(t().scorecard);
    throw e;
  }
}

function fillYears(latest) {
  const select = byId('year');
  select.replaceChildren(
    ...Array.from({ length: 10 }, (_, i) => latest - i).map((y) =>
      h('option', { value: String(y), text: String(y), selected: y === kpi.year }),
    ),
  );
}

let reloadTimer;
/** New observations change the scorecard: reload it once they stop arriving for a moment. */
function scheduleScorecardReload() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    loadScorecard(kpi.year).catch((e) => console.warn(e));
  }, 2000);
}

async function downloadCsv() {
  const res = await request(`api/v1/kpi/scorecard.csv?year=${kpi.year}&lang=${lang}`);
  const name =
    /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'scorecard.csv';
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---------------------------------------------------------------------------------------------------
// An indicator's history chart (SVG bars with the target line).

async function openHistory(code) {
  const to = kpi.year;
  const from = to - 4;
  kpi.indicator = code;
  kpi.series = await api(
    `api/v1/kpi/indicators/${encodeURIComponent(code)}/series?granularity=year&fromYear=${from}&toYear=${to}`,
  );
  renderHistory();
  const panel = byId('history');
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
  byId('history-close').focus();
}

function targetValues(target) {
  if (!target) return [];
  if (typeof target.value === 'number') return [target.value];
  if (target.op === 'between') return [target.min, target.max];
  if (target.op === 'yes') return [1];
  return [];
}

function renderHistory() {
  const series = kpi.series;
  if (!series) return;
  const e = kpi.card?.indicators.find((i) => i.indicator === kpi.indicator);
  byId('history-code').textContent = series.indicator;
  byId('history-name').textContent = e
    ? `${e.name[lang] ?? e.name.vi} — ${t().target}: ${series.target ?? e.target?.text ?? t().none}`
    : '';
  const boolean = e?.unit === 'boolean';
  const num = (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  const targets = targetValues(e?.target);
  const values = series.points.map((p) => num(p.value)).filter((v) => typeof v === 'number');
  const max = e?.unit === 'percent' ? 100 : Math.max(1, ...values, ...targets) * (boolean ? 1 : 1.1);
  const W = 640;
  const H = 260;
  const pad = { l: 48, r: 96, t: 16, b: 36 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const y = (v) => pad.t + ih - (v / max) * ih;
  const step = iw / Math.max(1, series.points.length);
  const from = series.points[0]?.period ?? '';
  const to = series.points.at(-1)?.period ?? '';
  const svg = s(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-labelledby': 'chart-title',
      class: 'chart',
      'data-indicator': series.indicator,
    },
    s('title', { id: 'chart-title', text: t().chartTitle(series.indicator, from, to) }),
  );
  // Axis and gridlines.
  for (const frac of [0, 0.25, 0.5, 0.75, 1]) {
    const v = max * frac;
    svg.append(
      s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: pad.l - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end', text: formatNumber(v, 0) }),
    );
  }
  series.points.forEach((p, i) => {
    const x = pad.l + i * step + step * 0.2;
    const w = step * 0.6;
    const v = num(p.value);
    svg.append(
      s('text', { x: x + w / 2, y: H - pad.b + 18, class: 'axis', 'text-anchor': 'middle', text: p.period }),
    );
    if (typeof v !== 'number') {
      svg.append(
        s('text', {
          x: x + w / 2,
          y: y(0) - 6,
          class: 'no-point',
          'text-anchor': 'middle',
          'data-period': p.period,
          text: t().noPoint,
        }),
      );
      return;
    }
    const label = formatValue(p.value, e?.unit, e?.unitLabel);
    svg.append(
      s(
        'rect',
        {
          x,
          y: y(v),
          width: w,
          height: Math.max(0, y(0) - y(v)),
          class: `point ${p.status}`,
          'data-period': p.period,
          'data-value': String(p.value),
        },
        s('title', { text: `${p.period}: ${label} (${t()[STATUS_KEY[p.status]] ?? p.status})` }),
      ),
      s('text', { x: x + w / 2, y: y(v) - 4, class: 'point-label', 'text-anchor': 'middle', text: label }),
    );
  });
  for (const tv of targets) {
    svg.append(
      s(
        'line',
        { x1: pad.l, x2: W - pad.r, y1: y(tv), y2: y(tv), class: 'target-line', 'data-target': String(tv) },
        s('title', { text: t().targetLine(series.target ?? String(tv)) }),
      ),
      s('text', {
        x: W - pad.r + 6,
        y: y(tv) + 4,
        class: 'target-label',
        'text-anchor': 'start',
        text: t().targetLine(series.target ?? String(tv)),
      }),
    );
  }
  byId('chart').replaceChildren(svg);
}

// ---------------------------------------------------------------------------------------------------
// Alerts.

const alerts = new Map();

function setAlert(a) {
  if (a.state === 'resolved') alerts.delete(a.id);
  else alerts.set(a.id, a);
}

/** The API's order: last changed first, then by id. */
function alertOrder() {
  const changed = (a) => Date.parse(a.updatedAt ?? a.raisedAt);
  return [...alerts.values()].sort(
    (x, y) => changed(y) - changed(x) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0),
  );
}

/** The last outcome message, kept as a text key so it follows the language. */
let lastNotice;
function notice(key, args = [], kind = 'info') {
  lastNotice = { key, args, kind };
  renderNotice();
}

function renderNotice() {
  if (!lastNotice) return;
  const el = byId('alert-msg');
  const text = t()[lastNotice.key];
  el.hidden = false;
  el.className = `notice ${lastNotice.kind}`;
  el.textContent = typeof text === 'function' ? text(...lastNotice.args) : text;
}

async function transition(a, action) {
  try {
    const res = await request(`api/v1/alerts/${encodeURIComponent(a.id)}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    setAlert(await res.json());
    notice(action === 'acknowledge' ? 'acknowledged' : 'resolved', [a.indicator]);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.status === 403) notice('forbidden', [], 'error');
    else if (e.status === 409) {
      notice('conflict', [e.problem?.state ?? '?'], 'error');
      await loadAlerts();
    } else notice('failed', [e.status], 'error');
  }
  renderAlerts();
}

function alertItem(a, flash) {
  const actions = isOperator
    ? h(
        'div',
        { class: 'actions' },
        a.state === 'open'
          ? h('button', {
              type: 'button',
              class: 'ack',
              text: t().acknowledge,
              onclick: () => void transition(a, 'acknowledge'),
            })
          : null,
        h('button', {
          type: 'button',
          class: 'resolve',
          text: t().resolve,
          onclick: () => void transition(a, 'resolve'),
        }),
      )
    : null;
  return h(
    'li',
    {
      class: `alert sev-${a.severity} state-${a.state}${flash ? ' flash' : ''}`,
      'data-alert': a.id,
      'data-state': a.state,
      'data-indicator': a.indicator,
      'data-kind': a.kind,
    },
    h(
      'div',
      { class: 'alert-head' },
      h('span', { class: `severity ${a.severity}`, text: t().severity[a.severity] ?? a.severity }),
      h('span', { class: 'code', text: a.indicator }),
      h('span', { class: 'kind', text: t().kinds[a.kind] ?? a.kind }),
      a.source ? h('span', { class: 'code source', text: a.source }) : null,
      h('span', { class: 'state', text: t().states[a.state] ?? a.state }),
    ),
    h('p', { class: 'message', text: a.message[lang] ?? a.message.vi }),
    h('p', {
      class: 'muted when',
      text: `${t().raisedAt}: ${formatTime(a.raisedAt)}${a.period ? ` · ${a.period}` : ''}`,
    }),
    actions,
  );
}

let fresh = new Set();
function renderAlerts() {
  const list = byId('alerts');
  list.replaceChildren(...alertOrder().map((a) => alertItem(a, fresh.has(a.id))));
  fresh = new Set();
  byId('alert-count').textContent = String(alerts.size);
  byId('alerts-empty').hidden = alerts.size > 0;
}

/** Live alert events seen while the list is being loaded, applied on top of it. */
let alertsLoading;
async function loadAlerts() {
  alertsLoading = [];
  try {
    const { items } = await api('api/v1/alerts?state=open,acknowledged&limit=1000');
    alerts.clear();
    for (const a of items) setAlert(a);
    for (const a of alertsLoading) setAlert(a);
  } finally {
    alertsLoading = undefined;
  }
  renderAlerts();
}

function liveAlert(a) {
  alertsLoading?.push(a);
  if (!alerts.has(a.id) && a.state !== 'resolved') fresh.add(a.id);
  setAlert(a);
  renderAlerts();
}

// ---------------------------------------------------------------------------------------------------
// Stations: table and schematic.

const stationState = new Map();

function stationRow(station) {
  let row = document.querySelector(`tr[data-station="${CSS.escape(station.id)}"]`);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.station = station.id;
    for (const cls of ['name', 'aqi', 'num pm25', 'num pm10', 'at']) {
      const td = document.createElement('td');
      td.className = cls;
      row.append(td);
    }
    row.querySelector('.name').textContent = station.name;
    document.querySelector('#stations tbody').append(row);
  }
  return row;
}

function showReading(stationId, reading, flash = true) {
  const row = document.querySelector(`tr[data-station="${CSS.escape(stationId)}"]`);
  if (!row) return;
  const st = stationState.get(stationId);
  if (st) st.reading = reading;
  row.querySelector('.pm25').textContent = reading.values.pm25 ?? '–';
  row.querySelector('.pm10').textContent = reading.values.pm10 ?? '–';
  row.querySelector('.at').textContent = formatTime(reading.at);
  if (!flash) return;
  row.classList.remove('flash');
  void row.offsetWidth;
  row.classList.add('flash');
}

function bandText(band) {
  return band
    ? lang === 'vi'
      ? `${band.nameVi}: ${band.adviceVi}`
      : `${band.nameEn}: ${band.adviceEn}`
    : '';
}

function renderAqiCell(stationId) {
  const st = stationState.get(stationId);
  const cell = document.querySelector(`tr[data-station="${CSS.escape(stationId)}"] .aqi`);
  if (!cell || !st?.aqi) return;
  const { hourly } = st.aqi;
  cell.textContent = hourly.aqi ?? '–';
  cell.style.background = hourly.band?.hex ?? '';
  cell.style.color = hourly.band && hourly.band.level >= 4 ? '#fff' : '';
  cell.title = bandText(hourly.band);
}

function renderMap() {
  const list = [...stationState.values()];
  const W = 480;
  const H = 260;
  const pad = 28;
  const padL = 64;
  const lats = list.map(({ station }) => station.location.lat);
  const lons = list.map(({ station }) => station.location.lon);
  const mid = (v) => (v.length ? (Math.min(...v) + Math.max(...v)) / 2 : 0);
  const span = (v) => Math.max(MIN_SPAN, v.length ? (Math.max(...v) - Math.min(...v)) * 1.5 : 0);
  // Equirectangular at this latitude: one degree of longitude is cos(lat) degrees of latitude.
  const k = Math.cos((mid(lats) * Math.PI) / 180);
  const scale = Math.min((W - padL - pad) / (span(lons) * k), (H - 2 * pad) / span(lats));
  const cx = (padL + W - pad) / 2;
  const px = (lon) => cx + (lon - mid(lons)) * k * scale;
  const py = (lat) => H / 2 - (lat - mid(lats)) * scale;
  const svg = s(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': 'map-title', class: 'map-svg' },
    s('title', { id: 'map-title', text: t().mapTitle }),
  );
  // A graticule every 0.05° (labelled every 0.1°), so positions can be read off.
  const lonMin = mid(lons) - (cx - padL) / (k * scale);
  const lonMax = mid(lons) + (W - pad - cx) / (k * scale);
  const latMin = mid(lats) - (H / 2 - pad) / scale;
  const latMax = mid(lats) + (H / 2 - pad) / scale;
  for (let i = Math.ceil(lonMin / GRID_STEP); i * GRID_STEP <= lonMax; i++) {
    const x = px(i * GRID_STEP);
    svg.append(s('line', { x1: x, x2: x, y1: pad, y2: H - pad, class: 'graticule' }));
    if (i % 2 === 0) {
      const text = `${formatNumber(i * GRID_STEP)}°E`;
      svg.append(s('text', { x, y: H - pad + 14, class: 'axis', 'text-anchor': 'middle', text }));
    }
  }
  for (let i = Math.ceil(latMin / GRID_STEP); i * GRID_STEP <= latMax; i++) {
    const y = py(i * GRID_STEP);
    svg.append(s('line', { x1: padL, x2: W - pad, y1: y, y2: y, class: 'graticule' }));
    if (i % 2 === 0) {
      const text = `${formatNumber(i * GRID_STEP)}°N`;
      svg.append(s('text', { x: padL - 4, y: y + 4, class: 'axis', 'text-anchor': 'end', text }));
    }
  }
  svg.append(
    s('text', { x: W - pad, y: pad - 8, class: 'axis', 'text-anchor': 'end', text: '↑ N' }),
    s('text', { x: padL, y: pad - 8, class: 'province-label', text: t().province }),
  );
  for (const { station, aqi } of list) {
    const band = aqi?.hourly.band;
    const x = px(station.location.lon);
    const y = py(station.location.lat);
    svg.append(
      s(
        'g',
        {
          class: 'station',
          'data-station': station.id,
          transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`,
        },
        s('title', {
          text: `${station.name} — VN_AQI ${aqi?.hourly.aqi ?? '–'}${band ? ` (${bandText(band)})` : ''}`,
        }),
        s('circle', {
          r: 11,
          fill: band?.hex ?? '#c8d0d8',
          class: 'aqi-dot',
          'data-aqi': aqi?.hourly.aqi ?? '',
        }),
        s('text', {
          y: 4,
          'text-anchor': 'middle',
          class: `aqi-num${band && band.level >= 4 ? ' light' : ''}`,
          text: String(aqi?.hourly.aqi ?? '–'),
        }),
        s('text', { y: -16, 'text-anchor': 'middle', class: 'station-label', text: station.id }),
      ),
    );
  }
  byId('map').replaceChildren(svg);
}

/** AQI look-ups per station: one at a time, and once more if readings arrived meanwhile. */
const aqiRuns = new Map();
function showAqi(stationId) {
  const running = aqiRuns.get(stationId);
  if (running) {
    running.again = true;
    return running.done;
  }
  const run = { again: true, done: undefined };
  aqiRuns.set(stationId, run);
  run.done = (async () => {
    try {
      while (run.again) {
        run.again = false;
        const st = stationState.get(stationId);
        if (!st) return;
        st.aqi = await api(`api/v1/environment/stations/${encodeURIComponent(stationId)}/aqi`);
        renderAqiCell(stationId);
        renderMap();
      }
    } finally {
      aqiRuns.delete(stationId);
    }
  })();
  return run.done;
}

let stationsLoaded = false;
const stationsAdding = new Map();
/** A reading from a station registered after the page loaded: fetch the station and show it. */
async function ensureStation(stationId) {
  if (stationState.has(stationId)) return true;
  if (!stationsLoaded) return false;
  if (!stationsAdding.has(stationId)) {
    const adding = api(`api/v1/environment/stations/${encodeURIComponent(stationId)}`)
      .then((station) => {
        stationState.set(station.id, { station, aqi: undefined, reading: undefined });
        stationRow(station);
        renderMap();
      })
      .finally(() => stationsAdding.delete(stationId));
    stationsAdding.set(stationId, adding);
  }
  await stationsAdding.get(stationId);
  return true;
}

async function liveReading(reading) {
  if (!(await ensureStation(reading.stationId))) return;
  showReading(reading.stationId, reading);
  await showAqi(reading.stationId);
}

async function loadStations() {
  const { items } = await api('api/v1/environment/stations');
  for (const station of items) {
    stationState.set(station.id, { station, aqi: undefined, reading: undefined });
    stationRow(station);
  }
  stationsLoaded = true;
  renderMap();
  for (const station of items) {
    const { items: readings } = await api(
      `api/v1/environment/stations/${encodeURIComponent(station.id)}/readings?limit=10000`,
    );
    const last = readings.at(-1);
    if (last) showReading(station.id, last, false);
    await showAqi(station.id);
  }
}

// ---------------------------------------------------------------------------------------------------
// Live updates: one Server-Sent Events stream for alerts, readings and new observations.

function setLive(state) {
  statusState.live = state;
  renderStatus();
}

function connect() {
  const own = [
    'kpi.alert.raised',
    'kpi.alert.updated',
    'kpi.observation.recorded',
    'environment.reading.received',
  ];
  const panelTypes = [...new Set(PANELS.flatMap((p) => p.events ?? []))].filter((x) => !own.includes(x));
  const types = [...own, ...panelTypes].join(',');
  const source = new EventSource(`api/v1/events?types=${types}&access_token=${encodeURIComponent(token)}`);
  let opened = false;
  return new Promise((resolve) => {
    source.addEventListener('open', () => {
      // Subscribed: (re)load the list, so nothing raised before or while connecting is missed.
      const loaded = loadAlerts().catch((e) => console.warn(e));
      if (!opened) resolve(loaded.then(() => true));
      opened = true;
      setLive('online');
      document.body.dataset.live = 'online';
    });
    source.addEventListener('error', () => {
      if (!opened && source.readyState === EventSource.CLOSED) {
        // Refused outright (not a dropped connection): refresh periodically instead.
        source.close();
        resolve(false);
        return;
      }
      setLive('offline');
      document.body.dataset.live = 'offline';
    });
    const onAlert = (e) => liveAlert(JSON.parse(e.data).data);
    source.addEventListener('kpi.alert.raised', onAlert);
    source.addEventListener('kpi.alert.updated', onAlert);
    source.addEventListener('kpi.observation.recorded', scheduleScorecardReload);
    source.addEventListener('environment.reading.received', (e) => {
      liveReading(JSON.parse(e.data).data).catch((err) => console.warn(err));
    });
    for (const type of panelTypes) {
      source.addEventListener(type, (e) => panelEvent(type, JSON.parse(e.data).data));
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Panels of the integrations (documents, health, cameras, field reports …): each is a plug-in.

const panelsStarted = [];

/** Runs one panel hook; a failing panel shows its error and never stops the rest of the page. */
function guarded(panel, hook, fn) {
  try {
    const r = fn();
    if (r && typeof r.catch === 'function') return r.catch((err) => panelFailed(panel, hook, err));
    return r;
  } catch (err) {
    panelFailed(panel, hook, err);
    return undefined;
  }
}

function panelFailed(panel, hook, err) {
  console.warn(`panel ${panel.id}: ${hook} failed`, err);
  const section = byId(`${panel.id}-panel`);
  if (!section) return;
  let box = section.querySelector(':scope > .panel-error');
  if (!box) {
    box = h('p', { class: 'error panel-error', role: 'alert' });
    section.append(box);
  }
  box.textContent = t().failed(err?.status ?? '?');
}

/** The caller's effective scopes, as the server computes them (GET /api/v1/me). */
let callerScopes;
const hasScope = (scope) => {
  const scopes = callerScopes ?? tokenScopes;
  return scopes === undefined ? undefined : scopes.includes(scope);
};

function panelContext(panel, section) {
  let noticeEl;
  return {
    section,
    h,
    s,
    api,
    request,
    t,
    lang: () => lang,
    formatTime,
    formatNumber,
    hasScope,
    roles,
    claims: claims(),
    /** A short message at the top of the panel: `key` in the texts (a string or a function of `args`). */
    notice(key, args = [], kind = 'info') {
      noticeEl ??=
        section.querySelector(':scope .notice') ??
        section.insertBefore(h('p', { class: 'notice', role: 'status' }), section.children[1] ?? null);
      const text = typeof t()[key] === 'function' ? t()[key](...args) : (t()[key] ?? key);
      noticeEl.textContent = text;
      noticeEl.dataset.kind = kind;
      noticeEl.hidden = false;
    },
  };
}

/**
 * Starts every registered panel whose section exists and whose scope the token may hold. A panel is
 * shown once its `init` succeeds; an API answer of 401/403 keeps it hidden (the role does not see it).
 */
async function startPanels() {
  await Promise.all(
    PANELS.map(async (panel) => {
      const section = byId(`${panel.id}-panel`);
      if (!section || (panel.scope !== undefined && hasScope(panel.scope) === false)) return;
      const ctx = panelContext(panel, section);
      try {
        await panel.init?.(ctx);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return;
        // An integration this installation has not configured (e.g. LGSP_NOT_CONFIGURED): no panel.
        if (err instanceof ApiError && err.status === 503 && /_NOT_CONFIGURED$/.test(err.problem?.code ?? ''))
          return;
        section.hidden = false;
        panelFailed(panel, 'init', err);
        return;
      }
      section.hidden = false;
      for (const el of section.querySelectorAll('[data-i18n]')) el.textContent = t()[el.dataset.i18n];
      panelsStarted.push({ panel, ctx });
      section.dataset.ready = 'true';
    }),
  );
}

/** Live events are queued until the panels have started, so none raised meanwhile is missed. */
let panelQueue = [];
function panelEvent(type, data) {
  if (panelQueue !== undefined) {
    panelQueue.push([type, data]);
    return;
  }
  for (const { panel, ctx } of panelsStarted) {
    if ((panel.events ?? []).includes(type))
      guarded(panel, 'onEvent', () => panel.onEvent?.(ctx, type, data));
  }
}
function flushPanelEvents() {
  const queued = panelQueue ?? [];
  panelQueue = undefined;
  for (const [type, data] of queued) panelEvent(type, data);
}

// ---------------------------------------------------------------------------------------------------
// Language and start-up.

function render() {
  document.documentElement.lang = lang;
  document.title =
    lang === 'vi'
      ? 'IOC Bắc Giang — Trung tâm Điều hành thông minh'
      : 'Bắc Giang IOC — Intelligent Operations Centre';
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t()[el.dataset.i18n];
  }
  const button = byId('lang');
  button.textContent = lang === 'vi' ? 'EN' : 'VI';
  button.setAttribute('aria-label', t().language);
  renderStatus();
  renderScorecard();
  renderHistory();
  renderAlerts();
  renderNotice();
  for (const id of stationState.keys()) renderAqiCell(id);
  for (const [id, st] of stationState) if (st.reading) showReading(id, st.reading, false);
  if (stationState.size > 0) renderMap();
  for (const { panel, ctx } of panelsStarted) guarded(panel, 'render', () => panel.render?.(ctx));
}

byId('lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('ioc.lang', lang);
  render();
});
byId('history-close').addEventListener('click', () => {
  byId('history').hidden = true;
  kpi.series = undefined;
  document.querySelector(`tr[data-indicator="${CSS.escape(kpi.indicator ?? '')}"] button`)?.focus();
});
byId('year').addEventListener('change', (e) => {
  byId('history').hidden = true;
  loadScorecard(Number(e.target.value)).catch((err) => console.warn(err));
});
byId('csv').addEventListener('click', () => {
  downloadCsv().catch((err) => {
    byId('kpi-error').hidden = false;
    byId('kpi-error').textContent = t().failed(err.status ?? '?');
  });
});

async function start() {
  render();
  void refreshStatus();
  setInterval(() => void refreshStatus(), 10_000);
  if (!token) {
    byId('signin').hidden = false;
    return;
  }
  // Which panels this caller may read: asked once, so no panel asks for data it would be refused.
  callerScopes = await api('api/v1/me').then(
    (me) => me.scopes,
    () => undefined,
  );
  await loadScorecard();
  fillYears(kpi.year);
  if (!canStream || !(await connect())) {
    await loadAlerts();
    setLive('polling');
    setInterval(() => void loadAlerts().catch((e) => console.warn(e)), 30_000);
  }
  await loadStations();
  await startPanels();
  flushPanelEvents();
  document.body.dataset.ready = 'true';
}

start().catch((err) => console.error(err));
