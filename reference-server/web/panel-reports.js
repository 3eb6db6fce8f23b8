// Citizens' field reports ("phản ánh hiện trường"): the reports the signed-in role handles or oversees,
// counts by state, deadlines, and the lifecycle actions of the department in charge. A dashboard panel
// (see PANELS.md); every value comes from /api/v1/reports and the report.* events.
(window.IOC_PANELS ??= []).push(
  (() => {
    const CLOSED = ['resolved', 'rejected'];
    /** What staff may do next, by state (the server has the same rules and answers 409 otherwise). */
    const NEXT = {
      received: ['assigned', 'rejected'],
      assigned: ['in-progress', 'rejected'],
      'in-progress': ['resolved', 'rejected'],
      escalated: ['in-progress', 'resolved', 'rejected'],
      resolved: [],
      rejected: [],
    };
    const LIMIT = 50;
    const state = { items: new Map(), categories: new Map(), open: undefined, fresh: new Set(), busy: false };

    const text = {
      vi: {
        reportsTitle: 'Phản ánh hiện trường',
        reportsOpen: 'Đang xử lý',
        reportsOverdue: 'Quá hạn',
        reportsEscalated: 'Chuyển cấp trên',
        reportsResolved: 'Đã giải quyết',
        reportsEmpty: 'Chưa có phản ánh nào.',
        reportsDeadline: 'Hạn xử lý',
        reportsPhoto: 'Ảnh',
        reportsResult: 'Kết quả xử lý',
        reportsReason: 'Lý do từ chối',
        reportsSend: 'Gửi',
        reportsCancel: 'Huỷ',
        reportsChanged: (code) => `Phản ánh ${code} đã được cập nhật.`,
        reportsConflict: (code) => `Phản ánh ${code} đã thay đổi trước đó; danh sách đã được tải lại.`,
        reportStates: {
          received: 'Mới gửi',
          assigned: 'Đã phân công',
          'in-progress': 'Đang xử lý',
          escalated: 'Quá hạn, chuyển cấp trên',
          resolved: 'Đã giải quyết',
          rejected: 'Từ chối',
        },
        reportActions: {
          assigned: 'Tiếp nhận',
          'in-progress': 'Bắt đầu xử lý',
          resolved: 'Hoàn thành',
          rejected: 'Từ chối',
        },
      },
      en: {
        reportsTitle: "Citizens' field reports",
        reportsOpen: 'Open',
        reportsOverdue: 'Overdue',
        reportsEscalated: 'Escalated',
        reportsResolved: 'Resolved',
        reportsEmpty: 'No reports yet.',
        reportsDeadline: 'Deadline',
        reportsPhoto: 'Photo',
        reportsResult: 'Handling result',
        reportsReason: 'Reason for rejection',
        reportsSend: 'Send',
        reportsCancel: 'Cancel',
        reportsChanged: (code) => `Report ${code} was updated.`,
        reportsConflict: (code) => `Report ${code} had changed meanwhile; the list was reloaded.`,
        reportStates: {
          received: 'New',
          assigned: 'Assigned',
          'in-progress': 'In progress',
          escalated: 'Overdue, escalated',
          resolved: 'Resolved',
          rejected: 'Rejected',
        },
        reportActions: {
          assigned: 'Accept',
          'in-progress': 'Start work',
          resolved: 'Resolve',
          rejected: 'Reject',
        },
      },
    };

    const isOverdue = (r, now = Date.now()) => !CLOSED.includes(r.state) && Date.parse(r.deadline) < now;

    function canWrite(ctx) {
      const held = ctx.hasScope('reports:write');
      return held ?? (ctx.roles.includes('operator') || ctx.roles.includes('department'));
    }

    function sorted() {
      return [...state.items.values()]
        .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt) || b.id.localeCompare(a.id))
        .slice(0, LIMIT);
    }

    function summary(ctx) {
      const all = [...state.items.values()];
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
        tile('reportsOpen', all.filter((r) => !CLOSED.includes(r.state)).length, ''),
        tile('reportsOverdue', all.filter((r) => isOverdue(r)).length, 'not-met'),
        tile('reportsEscalated', all.filter((r) => r.state === 'escalated').length, 'not-met'),
        tile('reportsResolved', all.filter((r) => r.state === 'resolved').length, 'met'),
      );
    }

    async function showPhoto(ctx, r) {
      const res = await ctx.request(`api/v1/reports/${encodeURIComponent(r.id)}/photo`);
      const url = URL.createObjectURL(await res.blob());
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }

    async function transition(ctx, r, to, extra = {}) {
      state.busy = true;
      try {
        const res = await ctx.request(`api/v1/reports/${encodeURIComponent(r.id)}/transitions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ expected: r.state, to, ...extra }),
        });
        const next = await res.json();
        state.items.set(next.id, next);
        state.open = undefined;
        ctx.notice('reportsChanged', [next.code]);
      } catch (err) {
        if (err.status === 409) {
          await load(ctx);
          ctx.notice('reportsConflict', [r.code], 'warning');
        } else throw err;
      } finally {
        state.busy = false;
        draw(ctx);
      }
    }

    /** The inline form asking for the result (resolve) or the reason (reject). */
    function form(ctx, r, to) {
      const field = to === 'resolved' ? 'result' : 'reason';
      const label = to === 'resolved' ? ctx.t().reportsResult : ctx.t().reportsReason;
      const id = `report-${r.id}-${field}`;
      const area = ctx.h('textarea', {
        id,
        rows: 3,
        maxlength: to === 'resolved' ? 4000 : 2000,
        required: true,
      });
      return ctx.h(
        'form',
        {
          class: 'report-form',
          onsubmit: (e) => {
            e.preventDefault();
            const value = area.value.trim();
            if (!value) return area.focus();
            void transition(ctx, r, to, { [field]: value });
          },
        },
        ctx.h('label', { for: id, text: label }),
        area,
        ctx.h(
          'div',
          { class: 'actions' },
          ctx.h('button', { type: 'submit', text: ctx.t().reportsSend }),
          ctx.h('button', {
            type: 'button',
            text: ctx.t().reportsCancel,
            onclick: () => {
              state.open = undefined;
              draw(ctx);
            },
          }),
        ),
      );
    }

    function item(ctx, r) {
      const T = ctx.t();
      const category = state.categories.get(r.category);
      const overdue = isOverdue(r);
      const where = [r.department, r.district].filter(Boolean).join(' · ');
      const actions = canWrite(ctx)
        ? NEXT[r.state].map((to) =>
            ctx.h('button', {
              type: 'button',
              'data-action': to,
              disabled: state.busy,
              text: T.reportActions[to],
              onclick: () => {
                if (to === 'assigned' || to === 'in-progress') void transition(ctx, r, to);
                else {
                  state.open = { id: r.id, to };
                  draw(ctx);
                }
              },
            }),
          )
        : [];
      return ctx.h(
        'li',
        {
          class: `report state-${r.state}${overdue ? ' overdue' : ''}${state.fresh.has(r.id) ? ' flash' : ''}`,
          'data-report': r.id,
          'data-code': r.code,
          'data-state': r.state,
        },
        ctx.h(
          'div',
          { class: 'report-head' },
          ctx.h('strong', { class: 'code', text: r.code }),
          ctx.h('span', { class: `badge state-${r.state}`, text: T.reportStates[r.state] ?? r.state }),
          ctx.h('span', { class: 'muted', text: category ? category.label[ctx.lang()] : r.category }),
        ),
        ctx.h('p', { class: 'report-text', text: r.text.length > 160 ? `${r.text.slice(0, 157)}…` : r.text }),
        ctx.h(
          'p',
          { class: 'muted' },
          `${where} · ${T.reportsDeadline}: `,
          ctx.h('time', {
            datetime: r.deadline,
            class: overdue ? 'late' : '',
            text: ctx.formatTime(r.deadline),
          }),
        ),
        r.photo
          ? ctx.h('button', {
              type: 'button',
              class: 'link',
              'data-photo': r.id,
              text: T.reportsPhoto,
              onclick: () => void showPhoto(ctx, r).catch((err) => console.warn(err)),
            })
          : null,
        actions.length ? ctx.h('div', { class: 'actions' }, ...actions) : null,
        state.open?.id === r.id ? form(ctx, r, state.open.to) : null,
      );
    }

    function draw(ctx) {
      const body = ctx.section.querySelector('.reports-body');
      const items = sorted();
      body.replaceChildren(
        summary(ctx),
        items.length
          ? ctx.h('ul', { class: 'reports' }, ...items.map((r) => item(ctx, r)))
          : ctx.h('p', { class: 'muted', text: ctx.t().reportsEmpty }),
      );
      const open = ctx.section.querySelector('.report-form textarea');
      open?.focus();
    }

    async function load(ctx) {
      const { items } = await ctx.api(`api/v1/reports?limit=${LIMIT}`);
      state.items = new Map(items.map((r) => [r.id, r]));
    }

    return {
      id: 'reports',
      scope: 'reports:read',
      text,
      events: ['report.submitted', 'report.updated'],
      async init(ctx) {
        const [categories] = await Promise.all([
          fetch('api/v1/public/report-categories').then((r) => (r.ok ? r.json() : { items: [] })),
          load(ctx),
        ]);
        state.categories = new Map(categories.items.map((c) => [c.id, c]));
        ctx.section.append(ctx.h('div', { class: 'reports-body', 'aria-live': 'polite' }));
        draw(ctx);
      },
      render(ctx) {
        draw(ctx);
      },
      onEvent(ctx, _type, report) {
        const known = state.items.get(report.id);
        // Events may arrive out of order across instances: keep the newest version of each report.
        if (known && known.updatedAt > report.updatedAt) return;
        state.items.set(report.id, report);
        state.fresh.add(report.id);
        setTimeout(() => state.fresh.delete(report.id), 3000);
        if (!state.busy) draw(ctx);
      },
    };
  })(),
);
