const TEXT = {
  vi: {
    title: 'Trung tâm Điều hành thông minh tỉnh Bắc Giang',
    status: 'Trạng thái hệ thống',
    liveness: 'Tiến trình',
    readiness: 'Cơ sở dữ liệu',
    version: 'Phiên bản',
    api: 'Tài liệu API (OpenAPI)',
    up: 'hoạt động',
    down: 'không sẵn sàng',
    stations: 'Trạm quan trắc môi trường',
    station: 'Trạm',
    time: 'Thời điểm',
    signin: 'Hãy mở địa chỉ do npm start in ra để đăng nhập.',
    online: 'Cập nhật trực tiếp',
    offline: 'Mất kết nối trực tiếp, đang thử lại…',
  },
  en: {
    title: 'Bắc Giang Intelligent Operations Centre',
    status: 'System status',
    liveness: 'Process',
    readiness: 'Database',
    version: 'Version',
    api: 'API description (OpenAPI)',
    up: 'up',
    down: 'unavailable',
    stations: 'Environmental monitoring stations',
    station: 'Station',
    time: 'Time',
    signin: 'Open the address printed by npm start to sign in.',
    online: 'Live',
    offline: 'Live connection lost, retrying…',
  },
};

let lang = localStorage.getItem('ioc.lang') === 'en' ? 'en' : 'vi';

function render() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = TEXT[lang][el.dataset.i18n];
  }
  document.getElementById('lang').textContent = lang === 'vi' ? 'EN' : 'VI';
  for (const el of document.querySelectorAll('[data-state]')) {
    el.textContent = TEXT[lang][el.dataset.state];
  }
}

function show(id, ok) {
  const el = document.getElementById(id);
  el.dataset.state = ok ? 'up' : 'down';
  el.className = ok ? 'up' : 'down';
  el.textContent = TEXT[lang][el.dataset.state];
}

async function refresh() {
  try {
    const health = await fetch('health').then((r) => r.json());
    show('health', health.status === 'ok');
    document.getElementById('version').textContent = health.version;
  } catch {
    show('health', false);
  }
  try {
    const ready = await fetch('ready');
    show('ready', ready.ok);
  } catch {
    show('ready', false);
  }
}

// Sign-in: `npm start` prints a URL whose fragment carries a demo token; keep it for this tab only.
const fragment = new URLSearchParams(location.hash.slice(1));
if (fragment.has('token')) {
  sessionStorage.setItem('ioc.token', fragment.get('token'));
  history.replaceState(null, '', location.pathname);
}
const token = sessionStorage.getItem('ioc.token');

const api = (path) =>
  fetch(path, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
    r.ok ? r.json() : Promise.reject(new Error(`${path}: ${r.status}`)),
  );

function stationRow(station) {
  let row = document.querySelector(`tr[data-station="${station.id}"]`);
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

function showReading(stationId, reading) {
  const row = document.querySelector(`tr[data-station="${stationId}"]`);
  if (!row) return;
  row.querySelector('.pm25').textContent = reading.values.pm25 ?? '–';
  row.querySelector('.pm10').textContent = reading.values.pm10 ?? '–';
  row.querySelector('.at').textContent = reading.at;
  row.classList.remove('flash');
  void row.offsetWidth;
  row.classList.add('flash');
}

const aqiPending = new Set();
async function showAqi(stationId) {
  if (aqiPending.has(stationId)) return;
  aqiPending.add(stationId);
  try {
    const { hourly } = await api(`api/v1/environment/stations/${stationId}/aqi`);
    const cell = document.querySelector(`tr[data-station="${stationId}"] .aqi`);
    if (!cell) return;
    cell.textContent = hourly.aqi ?? '–';
    cell.style.background = hourly.band?.hex ?? '';
    cell.style.color = hourly.band && hourly.band.level >= 4 ? '#fff' : '';
    cell.title = hourly.band
      ? lang === 'vi'
        ? `${hourly.band.nameVi}: ${hourly.band.adviceVi}`
        : `${hourly.band.nameEn}: ${hourly.band.adviceEn}`
      : '';
  } finally {
    aqiPending.delete(stationId);
  }
}

async function loadStations() {
  if (!token) {
    document.getElementById('signin').hidden = false;
    return;
  }
  const { items } = await api('api/v1/environment/stations');
  for (const station of items) {
    stationRow(station);
    const { items: readings } = await api(`api/v1/environment/stations/${station.id}/readings?limit=10000`);
    const last = readings.at(-1);
    if (last) showReading(station.id, last);
    await showAqi(station.id);
  }
  const live = document.getElementById('live');
  const source = new EventSource(
    `api/v1/events?types=environment.reading.received&access_token=${encodeURIComponent(token)}`,
  );
  source.addEventListener('open', () => {
    live.dataset.state = 'online';
    live.textContent = TEXT[lang].online;
  });
  source.addEventListener('error', () => {
    live.dataset.state = 'offline';
    live.textContent = TEXT[lang].offline;
  });
  source.addEventListener('environment.reading.received', (e) => {
    const event = JSON.parse(e.data);
    showReading(event.data.stationId, event.data);
    void showAqi(event.data.stationId);
  });
}

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('ioc.lang', lang);
  render();
});

render();
void refresh();
loadStations().catch((err) => console.error(err));
setInterval(() => void refresh(), 10_000);
