// Camera incidents: what the cameras' analytics opened (motion, intrusion, line crossing, wanted plates,
// traffic violations …) for the signed-in role's unit or area, with counts, snapshot links (fetched
// through the server, which holds the camera credentials) and the lifecycle actions of the unit in
// charge. A dashboard panel (see PANELS.md); every value comes from /api/v1/incidents and incident.* events.
(window.IOC_PANELS ??= []).push(
  (() => {
    const CLOSED = ['resolved', 'closed'];
    /** The next steps offered, by state (the server has the same rules and answers 409 otherwise). */
    const NEXT = {
      open: ['acknowledged', 'dispatched', 'closed'],
      acknowledged: ['dispatched', 'in-progress', 'closed'],
      dispatched: ['in-progress', 'resolved'],
      'in-progress': ['resolved'],
      resolved: ['closed'],
      closed: [],
    };
    const LIMIT = 30;
    const state = { items: new Map(), cameras: 0, health: new Map(), fresh: new Set(), busy: false };

    const text = {
      vi: {
        camerasTitle: 'Sự cố từ camera',
        incidentsOpen: 'Đang mở',
        incidentsHigh: 'Mức cao',
        incidentsCameras: 'Camera',
        camerasOffline: 'Mất kết nối',
        incidentsEmpty: 'Chưa có sự cố nào.',
        incidentsSnapshot: 'Ảnh chụp',
        incidentsTimes: (n) => `${n} lần`,
        incidentsChanged: (title) => `Đã cập nhật sự cố: ${title}.`,
        incidentsConflict: (title) => `Sự cố “${title}” đã thay đổi trước đó; danh sách đã được tải lại.`,
        incidentStates: {
          open: 'Mới',
          acknowledged: 'Đã tiếp nhận',
          dispatched: 'Đã điều lực lượng',
          'in-progress': 'Đang xử lý',
          resolved: 'Đã xử lý xong',
          closed: 'Đã đóng',
        },
        incidentActions: {
          acknowledged: 'Tiếp nhận',
          dispatched: 'Điều lực lượng',
          'in-progress': 'Bắt đầu xử lý',
          resolved: 'Hoàn thành',
          closed: 'Đóng',
        },
        incidentSeverity: {
          informational: 'Thông tin',
          low: 'Thấp',
          medium: 'Trung bình',
          high: 'Cao',
          critical: 'Nghiêm trọng',
        },
      },
      en: {
        camerasTitle: 'Camera incidents',
        incidentsOpen: 'Open',
        incidentsHigh: 'High',
        incidentsCameras: 'Cameras',
        camerasOffline: 'Offline',
        incidentsEmpty: 'No incidents yet.',
        incidentsSnapshot: 'Snapshot',
        incidentsTimes: (n) => `${n}×`,
        incidentsChanged: (title) => `Incident updated: ${title}.`,
        incidentsConflict: (title) => `Incident “${title}” had changed meanwhile; the list was reloaded.`,
        incidentStates: {
          open: 'New',
          acknowledged: 'Acknowledged',
          dispatched: 'Dispatched',
          'in-progress': 'In progress',
          resolved: 'Resolved',
          closed: 'Closed',
        },
        incidentActions: {
          acknowledged: 'Acknowledge',
          dispatched: 'Dispatch',
          'in-progress': 'Start work',
          resolved: 'Resolve',
          closed: 'Close',
        },
        incidentSeverity: {
          informational: 'Info',
          low: 'Low',
          medium: 'Medium',
          high: 'High',
          critical: 'Critical',
        },
      },
    };

    function canWrite(ctx, i) {
      const held = ctx.hasScope('incidents:write');
      if (held === false) return false;
      if (ctx.roles.includes('operator')) return true;
      return ctx.roles.includes('department') && ctx.claims?.dept === i.unit;
    }

    function sorted() {
      return [...state.items.values()]
        .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.id.localeCompare(a.id))
        .slice(0, LIMIT);
    }

    function summary(ctx) {
      const all = [...state.items.values()];
      const active = all.filter((i) => !CLOSED.includes(i.state));
      const tile = (key, n, cls) =>
        ctx.h(
          'div',
          { class: `tile ${cls}`, 'data-count': key },
          ctx.h('span', { text: ctx.t()[key] }),
          ctx.h('strong', { text: ctx.formatNumber(n, 0) }),
        );
      return ctx.h(
        'div',
        { class: 'summary reports-summary' },
        tile('incidentsOpen', active.length, ''),
        tile(
          'incidentsHigh',
          active.filter((i) => i.severity === 'high' || i.severity === 'critical').length,
          'not-met',
        ),
        tile('incidentsCameras', state.cameras, 'met'),
        tile('camerasOffline', [...state.health.values()].filter((s) => s === 'offline').length, 'not-met'),
      );
    }

    async function showSnapshot(ctx, i) {
      const res = await ctx.request(i.snapshotUrl.replace(/^\//, ''));
      const url = URL.createObjectURL(await res.blob());
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }

    async function transition(ctx, i, to) {
      state.busy = true;
      try {
        const res = await ctx.request(`api/v1/incidents/${encodeURIComponent(i.id)}/transitions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ expected: i.state, to }),
        });
        const next = await res.json();
        state.items.set(next.id, next);
        ctx.notice('incidentsChanged', [next.title[ctx.lang()] ?? next.title.vi]);
      } catch (err) {
        if (err.status === 409) {
          await load(ctx);
          ctx.notice('incidentsConflict', [i.title[ctx.lang()] ?? i.title.vi], 'warning');
        } else throw err;
      } finally {
        state.busy = false;
        draw(ctx);
      }
    }

    function item(ctx, i) {
      const T = ctx.t();
      const actions = canWrite(ctx, i)
        ? NEXT[i.state].map((to) =>
            ctx.h('button', {
              type: 'button',
              'data-action': to,
              disabled: state.busy,
              text: T.incidentActions[to],
              onclick: () => void transition(ctx, i, to),
            }),
          )
        : [];
      const plate = i.plate ? ` · ${i.plate.raw}` : '';
      const rule = i.rule ? ` · ${i.rule}` : '';
      return ctx.h(
        'li',
        {
          class: `report incident state-${i.state} severity-${i.severity}${state.fresh.has(i.id) ? ' flash' : ''}`,
          'data-incident': i.id,
          'data-state': i.state,
          'data-severity': i.severity,
        },
        ctx.h(
          'div',
          { class: 'report-head' },
          ctx.h('strong', { class: 'code', text: i.title[ctx.lang()] ?? i.title.vi }),
          ctx.h('span', { class: `badge state-${i.state}`, text: T.incidentStates[i.state] ?? i.state }),
          ctx.h('span', {
            class: `badge severity ${i.severity === 'high' || i.severity === 'critical' ? 'not-met' : ''}`,
            'data-severity-label': i.severity,
            text: T.incidentSeverity[i.severity] ?? i.severity,
          }),
        ),
        ctx.h('p', { class: 'report-text', text: `${i.cameraName}${rule}${plate}` }),
        i.watchlistReason
          ? ctx.h('p', { class: 'report-text watchlist', text: `⚠ ${i.watchlistReason}` })
          : null,
        ctx.h(
          'p',
          { class: 'muted' },
          `${[i.unit, i.area].join(' · ')} · ${T.incidentsTimes(i.count)} · `,
          ctx.h('time', { datetime: i.lastSeen, text: ctx.formatTime(i.lastSeen) }),
        ),
        i.snapshotUrl
          ? ctx.h('a', {
              class: 'link',
              href: i.snapshotUrl,
              'data-snapshot': i.cameraId,
              text: T.incidentsSnapshot,
              onclick: (e) => {
                // The image needs the bearer token: fetch it, then show it.
                e.preventDefault();
                void showSnapshot(ctx, i).catch((err) => console.warn(err));
              },
            })
          : null,
        actions.length ? ctx.h('div', { class: 'actions' }, ...actions) : null,
      );
    }

    function draw(ctx) {
      const body = ctx.section.querySelector('.incidents-body');
      const items = sorted();
      body.replaceChildren(
        summary(ctx),
        items.length
          ? ctx.h('ul', { class: 'reports incidents' }, ...items.map((i) => item(ctx, i)))
          : ctx.h('p', { class: 'muted', text: ctx.t().incidentsEmpty }),
      );
    }

    async function load(ctx) {
      const { items } = await ctx.api(`api/v1/incidents?limit=${LIMIT}`);
      state.items = new Map(items.map((i) => [i.id, i]));
    }

    return {
      id: 'cameras',
      scope: 'incidents:read',
      text,
      events: ['incident.opened', 'incident.updated', 'camera.health'],
      async init(ctx) {
        const [cameras] = await Promise.all([ctx.api('api/v1/cameras'), load(ctx)]);
        state.cameras = cameras.items.length;
        // The connection status of the connected cameras (then kept current by camera.health events).
        const connected = cameras.items.filter((c) => c.protocol !== 'none' && c.enabled).slice(0, 50);
        const health = await Promise.all(
          connected.map((c) =>
            ctx.api(`api/v1/cameras/${encodeURIComponent(c.id)}/health`).catch(() => undefined),
          ),
        );
        for (const h of health) if (h) state.health.set(h.cameraId, h.status);
        ctx.section.append(ctx.h('div', { class: 'incidents-body', 'aria-live': 'polite' }));
        draw(ctx);
      },
      render(ctx) {
        draw(ctx);
      },
      onEvent(ctx, type, data) {
        if (type === 'camera.health') {
          state.health.set(data.cameraId, data.status);
          if (!state.busy) draw(ctx);
          return;
        }
        const incident = data;
        const known = state.items.get(incident.id);
        // Keep the newest version of each incident (events may arrive out of order across instances).
        if (known && known.updatedAt > incident.updatedAt) return;
        state.items.set(incident.id, incident);
        state.fresh.add(incident.id);
        setTimeout(() => state.fresh.delete(incident.id), 3000);
        if (!state.busy) draw(ctx);
      },
    };
  })(),
);
