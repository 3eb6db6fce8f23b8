// Renders /openapi.json as a readable page: no external libraries, works offline.
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};

function resolve(doc, value) {
  let v = value;
  for (
    let i = 0;
    v && typeof v === 'object' && typeof v.$ref === 'string' && v.$ref.startsWith('#/') && i < 20;
    i++
  ) {
    v = v.$ref
      .slice(2)
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node, key) => (node ? node[key] : undefined), doc);
  }
  return v;
}

function render(doc) {
  document.title = `${doc.info.title} — API`;
  document.getElementById('title').textContent = `${doc.info.title} · ${doc.info.version}`;
  document.getElementById('description').textContent = doc.info.summary ?? '';
  const toc = document.getElementById('toc');
  const ops = document.getElementById('operations');
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const id = op.operationId ?? `${method}-${path}`;
      toc.append(el('a', { href: `#${id}` }, op.operationId ?? `${method.toUpperCase()} ${path}`));
      const section = el('section', { class: 'op', id });
      section.append(el('h3', {}, el('span', { class: `method ${method}` }, method.toUpperCase()), path));
      section.append(el('p', {}, op.summary ?? ''));
      if (op.description) section.append(el('p', {}, op.description));
      if (op.security?.length) section.append(el('p', { class: 'scope' }, 'Bearer JWT'));
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p));
      if (params.length) {
        const t = el(
          'table',
          {},
          el(
            'tr',
            {},
            el('th', {}, 'parameter'),
            el('th', {}, 'in'),
            el('th', {}, 'schema'),
            el('th', {}, 'description'),
          ),
        );
        for (const p of params) {
          t.append(
            el(
              'tr',
              {},
              el('td', {}, p.name + (p.required ? ' *' : '')),
              el('td', {}, p.in),
              el('td', {}, JSON.stringify(p.schema ?? {})),
              el('td', {}, p.description ?? ''),
            ),
          );
        }
        section.append(t);
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      if (body)
        section.append(
          el('p', {}, 'Request body (application/json):'),
          el('pre', {}, JSON.stringify(resolve(doc, body), null, 2)),
        );
      const rt = el(
        'table',
        {},
        el('tr', {}, el('th', {}, 'status'), el('th', {}, 'content'), el('th', {}, 'description')),
      );
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const resp = resolve(doc, r);
        rt.append(
          el(
            'tr',
            {},
            el('td', {}, status),
            el('td', {}, Object.keys(resp.content ?? {}).join(', ')),
            el('td', {}, resp.description ?? ''),
          ),
        );
      }
      section.append(rt);
      ops.append(section);
    }
  }
}

fetch('openapi.json')
  .then((r) => r.json())
  .then(render)
  .catch((err) => {
    document.getElementById('operations').textContent = `Cannot load openapi.json: ${err}`;
  });
