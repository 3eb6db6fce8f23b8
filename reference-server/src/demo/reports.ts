import { ROLE_SCOPES, type Principal } from '../auth/roles.js';
import type { ReportCategory } from '../storage/types.js';
import type { ReportService, ReportTransitionInput } from '../modules/field-reports/service.js';

const DAY = 86_400_000;

interface DemoReport {
  readonly daysAgo: number;
  readonly category: ReportCategory;
  readonly text: string;
  readonly at: { readonly lat: number; readonly lon: number };
  readonly address: string;
  /** Steps after submission, each `afterDays` after it. */
  readonly steps: readonly (Omit<ReportTransitionInput, 'expected'> & { readonly afterDays: number })[];
}

const RESOLVE = (afterDays: number, result: string, publish = true) =>
  [
    { to: 'assigned', afterDays: afterDays / 4 },
    { to: 'in-progress', afterDays: afterDays / 2 },
    { to: 'resolved', afterDays, result, publish },
  ] as const;

/** Ten illustrative reports across the districts and categories, in every state of the lifecycle. */
export const DEMO_REPORTS: readonly DemoReport[] = [
  {
    daysAgo: 12,
    category: 'environment',
    text: 'Rác thải sinh hoạt bị đổ trộm ven sông Thương, bốc mùi hôi thối.',
    at: { lat: 21.268, lon: 106.203 },
    address: 'Phường Thọ Xương, thành phố Bắc Giang',
    steps: RESOLVE(
      3,
      'Đã thu gom, xử lý toàn bộ rác thải; lắp biển cấm và camera giám sát tại điểm đổ trộm.',
    ),
  },
  {
    daysAgo: 6,
    category: 'traffic',
    text: 'Ổ gà lớn trên quốc lộ 31 đoạn qua thị trấn Chũ, nhiều xe máy bị ngã.',
    at: { lat: 21.372, lon: 106.588 },
    address: 'Thị trấn Chũ, huyện Lục Ngạn',
    steps: [{ to: 'assigned', afterDays: 0.5 }],
  },
  {
    daysAgo: 2,
    category: 'urban-order',
    text: 'Lấn chiếm vỉa hè bán hàng trước cổng chợ, người đi bộ phải xuống lòng đường.',
    at: { lat: 21.272, lon: 106.088 },
    address: 'Thị trấn Bích Động, huyện Việt Yên',
    steps: [],
  },
  {
    daysAgo: 8,
    category: 'health',
    text: 'Trạm y tế xã thường xuyên thiếu thuốc điều trị thông thường.',
    at: { lat: 21.515, lon: 106.118 },
    address: 'Xã Tân Sỏi, huyện Yên Thế',
    steps: RESOLVE(4, 'Sở Y tế đã bổ sung cơ số thuốc và chấn chỉnh công tác dự trù của trạm y tế.'),
  },
  {
    daysAgo: 4,
    category: 'education',
    text: 'Mái phòng học trường tiểu học bị dột, học sinh phải chuyển lớp khi mưa.',
    at: { lat: 21.382, lon: 106.098 },
    address: 'Thị trấn Cao Thượng, huyện Tân Yên',
    steps: [
      { to: 'assigned', afterDays: 0.3 },
      { to: 'in-progress', afterDays: 1 },
    ],
  },
  {
    daysAgo: 15,
    category: 'land-construction',
    text: 'Xây dựng nhà xưởng không phép trên đất nông nghiệp.',
    at: { lat: 21.365, lon: 106.248 },
    address: 'Thị trấn Vôi, huyện Lạng Giang',
    steps: [
      { to: 'assigned', afterDays: 1 },
      { to: 'in-progress', afterDays: 3 },
    ],
  },
  {
    daysAgo: 1,
    category: 'public-security',
    text: 'Thanh thiếu niên tụ tập đua xe trái phép vào ban đêm.',
    at: { lat: 21.356, lon: 105.972 },
    address: 'Thị trấn Thắng, huyện Hiệp Hòa',
    steps: [{ to: 'assigned', afterDays: 0.2 }],
  },
  {
    daysAgo: 20,
    category: 'other',
    text: 'Đèn chiếu sáng công cộng trên đường trung tâm không hoạt động.',
    at: { lat: 21.338, lon: 106.846 },
    address: 'Thị trấn An Châu, huyện Sơn Động',
    steps: [
      {
        to: 'rejected',
        afterDays: 1,
        reason: 'Trùng nội dung với phản ánh đã được tiếp nhận và xử lý trước đó.',
      },
    ],
  },
  {
    daysAgo: 9,
    category: 'environment',
    text: 'Khói bụi từ lò gạch thủ công gây ô nhiễm khu dân cư.',
    at: { lat: 21.298, lon: 106.392 },
    address: 'Thị trấn Đồi Ngô, huyện Lục Nam',
    // Resolved, but the result not (yet) published: it shows in L1.N1.PN2.01.
    steps: RESOLVE(5, 'Đã lập biên bản, xử phạt cơ sở và yêu cầu dừng hoạt động lò gạch.', false),
  },
  {
    daysAgo: 0.2,
    category: 'traffic',
    text: 'Đèn tín hiệu giao thông tại ngã tư bị hỏng từ sáng nay.',
    at: { lat: 21.205, lon: 106.238 },
    address: 'Thị trấn Neo, huyện Yên Dũng',
    steps: [],
  },
];

/**
 * Seeds the demo field reports (backdated, with their handling so far) when there is none yet, so a
 * first start shows every state; the next escalation round escalates those past their deadline.
 * Returns how many were submitted.
 */
export async function seedReportsDemo(reports: ReportService): Promise<number> {
  if ((await reports.list({ limit: 1 }, { all: true })).length > 0) return 0;
  const now = reports.now().getTime();
  const operator: Principal = {
    subject: 'demo-operator',
    roles: ['operator'],
    scopes: new Set(ROLE_SCOPES.operator),
    expiresAt: Math.floor(now / 1000) + 3600,
  };
  for (const d of DEMO_REPORTS) {
    const submitted = now - d.daysAgo * DAY;
    const r = await reports.submit(
      { text: d.text, category: d.category, location: { ...d.at, address: d.address } },
      'demo',
      { at: new Date(submitted) },
    );
    let state = r.state;
    for (const { afterDays, ...step } of d.steps) {
      const next = await reports.transition(r.id, { ...step, expected: state }, operator, {
        at: new Date(submitted + afterDays * DAY),
      });
      state = next.state;
    }
  }
  return DEMO_REPORTS.length;
}
