// Hospitals' HL7 v2 feeds: the health KPIs (electronic records, online booking), the messages received
// per facility and their delivery to the FHIR server, and the latest messages as they arrive. A dashboard
// panel (see PANELS.md); every value comes from /api/v1/health and the hl7.message.accepted event.
(window.IOC_PANELS ??= []).push(
  (() => {
    const LIMIT = 12;
    const state = { summary: undefined, messages: [], fresh: new Set(), timer: undefined };

    const text = {
      vi: {
        healthTitle: 'Y tế: dữ liệu HL7 từ cơ sở khám chữa bệnh',
        healthKpi: {
          'L2.N1.PN3.01': 'Lượt khám có bệnh án điện tử',
          'L2.N1.PN3.02': 'Lịch khám đặt trực tuyến',
        },
        healthNoData: 'Chưa có dữ liệu',
        healthFacility: 'Cơ sở',
        healthTotal: 'Thông điệp',
        healthDelivered: 'Đã gửi FHIR',
        healthQueued: 'Đang chờ',
        healthFailed: 'Lỗi',
        healthLatest: 'Thông điệp mới nhất',
        healthEmpty: 'Chưa nhận thông điệp nào.',
        healthListener: (port) => `Cổng MLLP ${port}`,
        healthListenerOff: 'Chưa mở cổng MLLP',
        healthDelivery: { queued: 'đang chờ', delivered: 'đã gửi', failed: 'lỗi' },
      },
      en: {
        healthTitle: 'Health: HL7 feeds of the facilities',
        healthKpi: {
          'L2.N1.PN3.01': 'Encounters with an electronic record',
          'L2.N1.PN3.02': 'Appointments booked online',
        },
        healthNoData: 'No data yet',
        healthFacility: 'Facility',
        healthTotal: 'Messages',
        healthDelivered: 'Sent to FHIR',
        healthQueued: 'Waiting',
        healthFailed: 'Failed',
        healthLatest: 'Latest messages',
        healthEmpty: 'No message received yet.',
        healthListener: (port) => `MLLP port ${port}`,
        healthListenerOff: 'MLLP listener off',
        healthDelivery: { queued: 'waiting', delivered: 'sent', failed: 'failed' },
      },
    };

    function kpis(ctx) {
      const T = ctx.t();
      return ctx.h(
        'div',
        { class: 'summary health-kpis' },
        ...(state.summary?.kpis ?? []).map((k) =>
          ctx.h(
            'div',
            {
              class: `tile${k.value === undefined ? ' no-data' : ''}`,
              'data-kpi': k.indicator,
              title: `${k.indicator}: ${k.numerator}/${k.denominator}`,
            },
            ctx.h('span', { text: T.healthKpi[k.indicator] ?? k.indicator }),
            ctx.h('strong', {
              text: k.value === undefined ? T.healthNoData : `${ctx.formatNumber(k.value, 1)} %`,
            }),
          ),
        ),
      );
    }

    function facilities(ctx) {
      const T = ctx.t();
      const th = (key) => ctx.h('th', { scope: 'col', text: T[key] });
      return ctx.h(
        'table',
        { class: 'health-facilities' },
        ctx.h(
          'thead',
          {},
          ctx.h(
            'tr',
            {},
            th('healthFacility'),
            th('healthTotal'),
            th('healthDelivered'),
            th('healthQueued'),
            th('healthFailed'),
          ),
        ),
        ctx.h(
          'tbody',
          {},
          ...(state.summary?.facilities ?? []).map((f) =>
            ctx.h(
              'tr',
              { 'data-facility': f.id, 'data-total': String(f.total) },
              ctx.h('th', { scope: 'row', title: f.id, text: f.name }),
              ctx.h('td', { class: 'total', text: ctx.formatNumber(f.total, 0) }),
              ctx.h('td', { text: ctx.formatNumber(f.delivery.delivered, 0) }),
              ctx.h('td', { text: ctx.formatNumber(f.delivery.queued, 0) }),
              ctx.h('td', {
                class: f.delivery.failed > 0 ? 'late' : '',
                text: ctx.formatNumber(f.delivery.failed, 0),
              }),
            ),
          ),
        ),
      );
    }

    function messages(ctx) {
      const T = ctx.t();
      if (state.messages.length === 0) return ctx.h('p', { class: 'muted', text: T.healthEmpty });
      return ctx.h(
        'ul',
        { class: 'health-messages' },
        ...state.messages.map((m) =>
          ctx.h(
            'li',
            {
              'data-message': m.id,
              'data-facility': m.facility,
              'data-delivery': m.delivery,
              class: state.fresh.has(m.id) ? 'flash' : '',
            },
            ctx.h('time', { datetime: m.receivedAt, text: ctx.formatTime(m.receivedAt) }),
            ' ',
            ctx.h('strong', { class: 'type', text: m.messageType }),
            ` ${m.facility} · ${m.controlId} `,
            ctx.h('span', {
              class: `badge delivery-${m.delivery}`,
              text: T.healthDelivery[m.delivery] ?? m.delivery,
            }),
          ),
        ),
      );
    }

    function draw(ctx) {
      const T = ctx.t();
      const body = ctx.section.querySelector('.health-body');
      const port = state.summary?.mllpPort;
      body.replaceChildren(
        kpis(ctx),
        ctx.h('p', {
          class: 'muted listener',
          text: state.summary?.listening ? T.healthListener(port) : T.healthListenerOff,
        }),
        facilities(ctx),
        ctx.h('h3', { text: T.healthLatest }),
        messages(ctx),
      );
    }

    async function load(ctx) {
      const [summary, list] = await Promise.all([
        ctx.api('api/v1/health/summary'),
        ctx.api(`api/v1/health/messages?limit=${LIMIT}`),
      ]);
      state.summary = summary;
      state.messages = list.items;
    }

    return {
      id: 'health',
      scope: 'health:read',
      text,
      events: ['hl7.message.accepted'],
      async init(ctx) {
        await load(ctx);
        ctx.section.append(ctx.h('div', { class: 'health-body', 'aria-live': 'polite' }));
        draw(ctx);
      },
      render(ctx) {
        draw(ctx);
      },
      onEvent(ctx, _type, data) {
        if (state.messages.some((m) => m.id === data.messageId)) return;
        state.messages = [
          {
            id: data.messageId,
            facility: data.facility,
            messageType: data.messageType,
            controlId: data.controlId,
            receivedAt: data.receivedAt,
            delivery: 'queued',
          },
          ...state.messages,
        ].slice(0, LIMIT);
        const f = state.summary?.facilities.find((x) => x.id === data.facility);
        if (f !== undefined) {
          f.total += 1;
          f.delivery.queued += 1;
        }
        state.fresh.add(data.messageId);
        setTimeout(() => state.fresh.delete(data.messageId), 3000);
        draw(ctx);
        // Delivery states and the KPIs follow shortly after: reload once the burst is over.
        clearTimeout(state.timer);
        state.timer = setTimeout(() => {
          load(ctx)
            .then(() => draw(ctx))
            .catch((err) => console.warn(err));
        }, 1500);
      },
    };
  })(),
);
