// Official documents (văn bản điện tử) exchanged with other agencies through the provincial LGSP: the
// latest received and sent, the verdict of their signatures (a flagged one is marked), their exchange
// state, and the processing status operators report back. A dashboard panel (see PANELS.md); every
// value comes from /api/v1/documents and the document.* events.
(window.IOC_PANELS ??= []).push(
  (() => {
    const LIMIT = 50;
    /** Statuses an operator may report next for a received document (the server refuses others). */
    const NEXT = {
      received: ['03', '02'],
      processing: ['04', '05', '06'],
      rejected: [],
      done: [],
    };
    const state = { items: new Map(), fresh: new Set(), busy: false };

    const text = {
      vi: {
        documentsTitle: 'Văn bản điện tử',
        documentsIn: 'Văn bản đến',
        documentsOut: 'Văn bản đi',
        documentsFlagged: 'Chữ ký không hợp lệ',
        documentsPending: 'Chờ gửi',
        documentsEmpty: 'Chưa có văn bản nào.',
        documentsFrom: 'Từ',
        documentsTo: 'Đến',
        documentsAttachments: 'tệp đính kèm',
        documentsFlag: '⚠ Cảnh báo chữ ký',
        documentsValid: 'Chữ ký hợp lệ',
        documentsUnsigned: 'Không có chữ ký',
        documentsStatusSent: (code) => `Đã gửi trạng thái ${code}.`,
        documentStates: {
          queued: 'Chờ gửi',
          retrying: 'Đang gửi lại',
          sent: 'Đã gửi',
          delivered: 'Đã nhận',
          failed: 'Gửi lỗi',
          received: 'Mới đến',
          rejected: 'Từ chối',
          processing: 'Đang xử lý',
          done: 'Hoàn thành',
        },
        documentActions: {
          '02': 'Từ chối',
          '03': 'Vào sổ',
          '04': 'Phân công',
          '05': 'Đang xử lý',
          '06': 'Hoàn thành',
        },
      },
      en: {
        documentsTitle: 'Electronic documents',
        documentsIn: 'Received',
        documentsOut: 'Sent',
        documentsFlagged: 'Invalid signature',
        documentsPending: 'Waiting to send',
        documentsEmpty: 'No documents yet.',
        documentsFrom: 'From',
        documentsTo: 'To',
        documentsAttachments: 'attachments',
        documentsFlag: '⚠ Signature warning',
        documentsValid: 'Signature valid',
        documentsUnsigned: 'Not signed',
        documentsStatusSent: (code) => `Status ${code} sent.`,
        documentStates: {
          queued: 'Queued',
          retrying: 'Retrying',
          sent: 'Sent',
          delivered: 'Delivered',
          failed: 'Failed',
          received: 'New',
          rejected: 'Rejected',
          processing: 'In progress',
          done: 'Done',
        },
        documentActions: {
          '02': 'Reject',
          '03': 'Register',
          '04': 'Assign',
          '05': 'In progress',
          '06': 'Done',
        },
      },
    };

    function canWrite(ctx) {
      return ctx.hasScope('documents:write') ?? ctx.roles.includes('operator');
    }

    function sorted() {
      return [...state.items.values()]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
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
        { class: 'summary documents-summary' },
        tile('documentsIn', all.filter((d) => d.direction === 'in').length, ''),
        tile('documentsOut', all.filter((d) => d.direction === 'out').length, ''),
        tile('documentsFlagged', all.filter((d) => d.flagged).length, 'not-met'),
        tile(
          'documentsPending',
          all.filter((d) => ['queued', 'retrying', 'failed'].includes(d.state)).length,
          'no-data',
        ),
      );
    }

    async function report(ctx, d, code) {
      state.busy = true;
      try {
        const res = await ctx.request(`api/v1/documents/${encodeURIComponent(d.id)}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ statusCode: code }),
        });
        const next = await res.json();
        state.items.set(next.id, next);
        ctx.notice('documentsStatusSent', [code]);
      } catch (err) {
        if (err.status === 409) await load(ctx);
        else throw err;
      } finally {
        state.busy = false;
        draw(ctx);
      }
    }

    function verdict(ctx, d) {
      const T = ctx.t();
      if (d.direction !== 'in') return null;
      const own = d.signatures.find((s) => s.target === 'edxml');
      const label = d.flagged
        ? T.documentsFlag
        : own?.indication === 'NO_SIGNATURE'
          ? T.documentsUnsigned
          : T.documentsValid;
      const why = d.signatures
        .filter((s) => s.indication !== 'TOTAL_PASSED')
        .map((s) => s.message[ctx.lang()])
        .join(' ');
      return ctx.h('span', {
        class: `badge ${d.flagged ? 'flag not-met' : 'met'}`,
        'data-verdict': d.flagged ? 'flagged' : 'valid',
        title: why || (own?.signer ?? ''),
        text: label,
      });
    }

    function item(ctx, d) {
      const T = ctx.t();
      const party =
        d.direction === 'in'
          ? `${T.documentsFrom}: ${d.from.organName ?? d.from.organId}`
          : `${T.documentsTo}: ${d.to.map((t) => t.organName ?? t.organId).join(', ')}`;
      const actions =
        d.direction === 'in' && canWrite(ctx)
          ? (NEXT[d.state] ?? []).map((code) =>
              ctx.h('button', {
                type: 'button',
                'data-status': code,
                disabled: state.busy,
                text: T.documentActions[code],
                onclick: () => void report(ctx, d, code).catch((err) => console.warn(err)),
              }),
            )
          : [];
      return ctx.h(
        'li',
        {
          class: `document dir-${d.direction} state-${d.state}${d.flagged ? ' flagged' : ''}${state.fresh.has(d.id) ? ' flash' : ''}`,
          'data-document': d.id,
          'data-state': d.state,
          'data-direction': d.direction,
        },
        ctx.h(
          'div',
          { class: 'report-head' },
          ctx.h('strong', { class: 'code', text: `${d.codeNumber}/${d.codeNotation}` }),
          ctx.h('span', { class: `badge state-${d.state}`, text: T.documentStates[d.state] ?? d.state }),
          verdict(ctx, d),
        ),
        ctx.h('p', { class: 'report-text', text: d.subject }),
        ctx.h(
          'p',
          { class: 'muted' },
          `${party} · `,
          ctx.h('time', { datetime: d.createdAt, text: ctx.formatTime(d.createdAt) }),
          d.attachments.length ? ` · ${d.attachments.length} ${T.documentsAttachments}` : '',
        ),
        actions.length ? ctx.h('div', { class: 'actions' }, ...actions) : null,
      );
    }

    function draw(ctx) {
      const body = ctx.section.querySelector('.documents-body');
      const items = sorted();
      body.replaceChildren(
        summary(ctx),
        items.length
          ? ctx.h('ul', { class: 'documents' }, ...items.map((d) => item(ctx, d)))
          : ctx.h('p', { class: 'muted', text: ctx.t().documentsEmpty }),
      );
    }

    async function load(ctx) {
      const { items } = await ctx.api(`api/v1/documents?limit=${LIMIT}`);
      state.items = new Map(items.map((d) => [d.id, d]));
    }

    function mark(id) {
      state.fresh.add(id);
      setTimeout(() => state.fresh.delete(id), 3000);
    }

    return {
      id: 'documents',
      scope: 'documents:read',
      text,
      events: ['document.received', 'document.status'],
      async init(ctx) {
        await load(ctx);
        ctx.section.append(ctx.h('div', { class: 'documents-body', 'aria-live': 'polite' }));
        draw(ctx);
      },
      render(ctx) {
        draw(ctx);
      },
      onEvent(ctx, type, data) {
        if (type === 'document.received') {
          const { indication: _indication, ...doc } = data;
          const known = state.items.get(doc.id);
          if (known && known.updatedAt > doc.updatedAt) return;
          state.items.set(doc.id, doc);
          mark(doc.id);
          if (!state.busy) draw(ctx);
          return;
        }
        // document.status names the document and its new state: update it in place, or fetch it.
        const known = state.items.get(data.id);
        if (known && known.updatedAt > data.at) return;
        ctx
          .api(`api/v1/documents/${encodeURIComponent(data.id)}`)
          .then((doc) => {
            state.items.set(doc.id, doc);
            mark(doc.id);
            if (!state.busy) draw(ctx);
          })
          .catch((err) => console.warn(err));
      },
    };
  })(),
);
