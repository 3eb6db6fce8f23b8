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

document.getElementById('lang').addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('ioc.lang', lang);
  render();
});

render();
void refresh();
setInterval(() => void refresh(), 10_000);
