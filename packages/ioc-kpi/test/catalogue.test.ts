import { describe, expect, it } from 'vitest';
import {
  BAC_GIANG_2025,
  HEALTH_SECTOR_EXAMPLE,
  KpiSchemas,
  VN_SMART_CITY_2025,
  evaluateProfile,
  isKpiError,
  listIndicators,
  resolveProfile,
  validateCatalogue,
  type Observation,
  type Profile,
  type ValidationIssue,
} from '../src/index.js';
import { readText } from './helpers.js';

const schemas = new KpiSchemas();

function issuesOf(fn: () => unknown): ValidationIssue[] {
  try {
    fn();
  } catch (err) {
    if (isKpiError(err)) return (err.details?.issues as ValidationIssue[]) ?? [];
    throw err;
  }
  throw new Error('expected a KpiError');
}

describe('the national catalogue', () => {
  it('validates against specs/schemas/kpi-catalogue.schema.json and its own rules', () => {
    expect(schemas.check('catalogue', VN_SMART_CITY_2025)).toEqual([]);
    expect(validateCatalogue(VN_SMART_CITY_2025)).toBe(VN_SMART_CITY_2025);
  });

  it('has 3 layers, 10 groups and the 36 indicators of Bảng 4, each coded under its subgroup', () => {
    expect(VN_SMART_CITY_2025.layers.map((l) => l.code)).toEqual(['L1', 'L2', 'L3']);
    expect(VN_SMART_CITY_2025.layers.flatMap((l) => l.groups.map((g) => g.code))).toEqual([
      'L1.N1',
      'L1.N2',
      'L1.N3',
      'L2.N1',
      'L2.N2',
      'L2.N3',
      'L3.N1',
      'L3.N2',
      'L3.N3',
      'L3.N4',
    ]);
    const all = listIndicators(VN_SMART_CITY_2025);
    expect(all).toHaveLength(36);
    expect(new Set(all.map((i) => i.code)).size).toBe(36);
  });

  it('round-trips Bảng 4 exactly: number, name, code, unit, current, 2020 and 2025 columns', () => {
    const rows = readText('bang-4.tsv')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(36);
    const byCode = new Map(listIndicators(VN_SMART_CITY_2025).map((i) => [i.code, i]));
    const rebuilt = BAC_GIANG_2025.targets.map((t) => {
      const ind = byCode.get(t.indicator);
      return [
        String(t.row),
        ind?.name.vi,
        t.indicator,
        t.unitText ?? ind?.unitLabel,
        t.current?.text,
        t.reference2020?.text,
        t.target.text,
      ];
    });
    expect(rebuilt).toEqual(rows);
  });

  it('keeps "Chưa xác định" (no data) distinct from "Chưa triển khai" (not deployed)', () => {
    const t = new Map(BAC_GIANG_2025.targets.map((x) => [x.indicator, x]));
    expect(t.get('L1.N1.PN3.01')?.current).toEqual({ state: 'no-data', text: 'Chưa xác định' });
    expect(t.get('L2.N1.PN1.03')?.current).toEqual({ state: 'not-deployed', text: 'Chưa triển khai' });
    expect(t.get('L2.N1.PN1.03')?.reference2020).toEqual({ state: 'no-data', text: 'Chưa xác định' });
    expect(t.get('L2.N1.PN1.02')?.current).toEqual({ value: 33.7, text: '33,70%' });
    expect(t.get('L3.N3.PN1.01')?.target).toEqual({ op: 'yes', text: 'Có' });
    expect(t.get('L1.N3.PN1.01')?.target).toEqual({ op: 'gte', value: 70, text: '≥ 70' });
    expect(t.get('L1.N1.PN1.01')?.target).toEqual({ op: 'eq', value: 100, text: '100' });
    const states = BAC_GIANG_2025.targets.map((x) =>
      x.current && 'state' in x.current ? x.current.state : 'value',
    );
    expect(states.filter((s) => s === 'no-data')).toHaveLength(19);
    expect(states.filter((s) => s === 'not-deployed')).toHaveLength(13);
    expect(states.filter((s) => s === 'value')).toHaveLength(4);
  });

  it("carries Bảng 3's group and subgroup labels and every Bảng 3 indicator name, as the name or as an alias", () => {
    const b3 = readText('bang-3.txt');
    const names = new Map<string, string[]>();
    for (const ind of listIndicators(VN_SMART_CITY_2025))
      names.set(ind.code, [ind.name.vi, ...(ind.aliases ?? []).flatMap((a) => (a.name ? [a.name.vi] : []))]);
    // Each Bảng 3 line that ends in an indicator code names it one way or another.
    let checked = 0;
    for (const line of b3.split('\n')) {
      const cells = line
        .split('\t')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      const codeIdx = cells.findIndex((c) => /^L\d\.N\d\.PN\d+\.\d\d$/.test(c));
      if (codeIdx < 1) continue;
      const code = cells[codeIdx] as string;
      const name = cells[codeIdx - 1] as string;
      expect(names.get(code), `${code}: "${name}"`).toContain(name);
      checked++;
    }
    expect(checked).toBe(33);
    const labels = VN_SMART_CITY_2025.layers.flatMap((l) => [
      ...l.groups.map((g) => g.name.vi),
      ...l.groups.flatMap((g) => g.subgroups.map((s) => s.name.vi)),
    ]);
    for (const label of [
      'Chia sẻ thông tin và lắng nghe ý kiến cư dân đô thị',
      'Dân kiểm tra, giám sát',
      'Dịch vụ giáo dục',
      'An ninh trật tự và PCCC của đô thị',
      'Đổi mới sáng tạo/ tính mở của đô thị',
      'Chính sách, nhân lực và tài chính cho xây dựng ĐTTM',
    ])
      expect(labels).toContain(label);
  });

  it('documents the known Bảng 3/Bảng 4 disagreements as aliases', () => {
    const byCode = new Map(listIndicators(VN_SMART_CITY_2025).map((i) => [i.code, i]));
    expect(byCode.get('L2.N2.PN2.01')?.aliases?.[0]).toMatchObject({
      id: 'bang-3',
      unit: 'count-per-area',
      unitLabel: 'Điểm giám sát/Km²',
      name: { vi: 'Mật độ lắp đặt camera giám sát an ninh trật tự công cộng' },
    });
    expect(byCode.get('L2.N2.PN1.01')?.aliases?.[0]?.name?.vi).toBe(
      'Ứng dụng CNTT trong quản lý đô thị Thành phố Bắc Giang',
    );
    expect(byCode.get('L2.N1.PN5.01')?.aliases?.[0]?.subgroup).toBe('L2.N1.PN3');
    const pn2 = VN_SMART_CITY_2025.layers[2]?.groups[0]?.subgroups[1];
    expect(pn2?.code).toBe('L3.N1.PN2');
    expect(pn2?.sources).toEqual([{ document: 'de-an-dttm-bac-giang-2020', table: 'Bảng 4' }]);
    expect(pn2?.notes?.en).toContain('Bảng 3 has no L3.N1.PN2 subgroup');
  });

  it('rejects a catalogue whose codes repeat or sit under the wrong parent', () => {
    const bad = structuredClone(VN_SMART_CITY_2025) as unknown as {
      layers: { groups: { code: string }[] }[];
    };
    (bad.layers[0]!.groups[1] as { code: string }).code = 'L2.N9';
    const issues = issuesOf(() => validateCatalogue(bad));
    expect(issues).toEqual([
      expect.objectContaining({
        path: '/layers/0/groups/1/code',
        message: expect.objectContaining({ en: 'code "L2.N9" is not under "L1"' }),
      }),
      expect.objectContaining({ path: '/layers/0/groups/1/subgroups/0/code' }),
    ]);
  });
});

describe('profiles', () => {
  it('resolves bac-giang-2025: 36 indicators, each with its target and place in the tree', () => {
    const r = resolveProfile(BAC_GIANG_2025);
    expect(r.indicators.size).toBe(36);
    expect([...r.indicators.values()].every((i) => i.target !== undefined)).toBe(true);
    const ind = r.indicators.get('L2.N1.PN5.01');
    expect([ind?.layer, ind?.group, ind?.subgroup]).toEqual(['L2', 'L2.N1', 'L2.N1.PN5']);
    expect(r.nodes.get('L2.N1')?.children).toEqual(['L2.N1.PN1', 'L2.N1.PN2', 'L2.N1.PN3', 'L2.N1.PN5']);
  });

  it('layers the illustrative health profile over bac-giang-2025: 40 indicators, sector ones in L2.N1.PN3', () => {
    expect(HEALTH_SECTOR_EXAMPLE.illustrative).toBe(true);
    const r = resolveProfile(HEALTH_SECTOR_EXAMPLE);
    expect(r.indicators.size).toBe(40);
    expect(r.nodes.get('L2.N1.PN3')?.children).toEqual([
      'L2.N1.PN3.01',
      'L2.N1.PN3.02',
      'YT.01',
      'YT.02',
      'YT.03',
      'YT.04',
    ]);
    expect(r.indicators.get('YT.02')).toMatchObject({
      origin: 'example-health-sector',
      direction: 'lower-better',
      target: { target: { op: 'lte', value: 60 } },
    });
    // Inherited targets stay.
    expect(r.indicators.get('L1.N3.PN1.01')?.target?.target).toEqual({ op: 'gte', value: 70, text: '≥ 70' });
  });

  it('a user-defined profile (own subgroup, own indicators, an alias, weights) validates and evaluates', () => {
    const city: Profile = {
      id: 'tp-bac-giang-2025',
      version: '1.0.0',
      name: { vi: 'KPI Thành phố Bắc Giang' },
      catalogue: 'vn-smart-city-2025',
      area: { level: 'district', adminUnitCode: '213' },
      targetPeriod: { year: 2025 },
      subgroups: [
        { code: 'L2.N2.PN9', name: { vi: 'Chiếu sáng đô thị', en: 'Street lighting' }, group: 'L2.N2' },
      ],
      indicators: [
        {
          code: 'TP.CS.01',
          subgroup: 'L2.N2.PN9',
          name: { vi: 'Tỷ lệ đèn chiếu sáng điều khiển từ xa' },
          unit: 'percent',
          valueType: 'number',
          direction: 'higher-better',
        },
      ],
      aliases: { 'L2.N2.PN2.01': 'bang-3' },
      targets: [
        { indicator: 'TP.CS.01', target: { op: 'gte', value: 80 }, weight: 3 },
        { indicator: 'L2.N2.PN2.01', target: { op: 'gte', value: 2 }, weight: 1 },
      ],
    };
    const r = resolveProfile(city);
    expect(r.indicators.get('L2.N2.PN2.01')).toMatchObject({
      unit: 'count-per-area',
      unitLabel: 'Điểm giám sát/Km²',
      alias: 'bang-3',
    });
    const obs = (indicator: string, value: number, extra: Partial<Observation> = {}): Observation => ({
      indicator,
      value,
      period: { year: 2025 },
      scope: { level: 'district', adminUnitCode: '213' },
      source: 'ioc',
      method: 'automatic',
      recordedAt: '2026-01-02T00:00:00+07:00',
      ...extra,
    });
    const card = evaluateProfile(
      r,
      [obs('TP.CS.01', 40), obs('L2.N2.PN2.01', 2.5, { numerator: 165, denominator: 66 })],
      {
        period: { year: 2025 },
      },
    );
    const e = new Map(card.indicators.map((x) => [x.indicator, x]));
    expect(e.get('TP.CS.01')).toMatchObject({ status: 'not-met', achievement: 50, band: 2, weight: 3 });
    expect(e.get('L2.N2.PN2.01')).toMatchObject({ status: 'met', achievement: 100 });
    // Weighted: (3 × 50 + 1 × 100) / 4 = 62.5; the other 35 indicators have no target here, so they are not applicable.
    expect(card.summary).toMatchObject({ met: 1, notMet: 1, notApplicable: 35, score: 62.5, band: 2 });
    expect(card.rollups.find((x) => x.code === 'L2.N2.PN9')).toMatchObject({
      level: 'subgroup',
      parent: 'L2.N2',
      score: 50,
    });
  });

  it('selecting the Bảng 3 alias of L2.N1.PN5.01 moves it to the health subgroup', () => {
    const r = resolveProfile({ ...BAC_GIANG_2025, id: 'bg-bang-3', aliases: { 'L2.N1.PN5.01': 'bang-3' } });
    expect(r.indicators.get('L2.N1.PN5.01')?.subgroup).toBe('L2.N1.PN3');
    expect(r.nodes.get('L2.N1.PN3')?.children).toEqual(['L2.N1.PN3.01', 'L2.N1.PN3.02', 'L2.N1.PN5.01']);
    expect(r.nodes.get('L2.N1.PN5')?.children).toEqual(['L2.N1.PN5.02']);
  });

  it('rejects bad profiles with PROFILE_INVALID naming each field', () => {
    const base = {
      id: 'x',
      version: '1.0.0',
      name: { vi: 'X' },
      catalogue: 'vn-smart-city-2025',
      targetPeriod: { year: 2025 },
    };
    const issues = issuesOf(() =>
      resolveProfile({
        ...base,
        aliases: { 'L1.N1.PN1.01': 'bang-3' },
        targets: [
          { indicator: 'L9.N1.PN1.01', target: { op: 'gte', value: 1 } },
          { indicator: 'L3.N3.PN1.01', target: { op: 'gte', value: 1 } },
          { indicator: 'L1.N3.PN1.01', target: { op: 'yes' } },
          { indicator: 'L1.N1.PN1.01', target: { op: 'gte', value: 120 } },
          { indicator: 'L1.N1.PN1.01', target: { op: 'gte', value: 10 } },
          { indicator: 'L2.N1.PN1.01', target: { op: 'between', min: 60, max: 40 } },
        ],
      }),
    );
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ['PROFILE', '/aliases/L1.N1.PN1.01'],
      ['UNKNOWN_INDICATOR', '/targets/0/indicator'],
      ['PROFILE', '/targets/1/target/op'],
      ['PROFILE', '/targets/2/target/op'],
      ['PROFILE', '/targets/3/target'],
      ['DUPLICATE', '/targets/4/indicator'],
      ['PROFILE', '/targets/5/target'],
    ]);
    expect(issues[2]?.message).toEqual({
      vi: 'chỉ số "L3.N3.PN1.01" là Có/Chưa: mục tiêu phải là yes hoặc no',
      en: 'indicator "L3.N3.PN1.01" is yes/no: its target must be yes or no',
    });
    const schemaIssues = issuesOf(() =>
      resolveProfile({
        ...base,
        targets: [{ indicator: 'L1.N1.PN1.01', target: { op: 'gt', value: 1 } }],
        extra: 1,
      }),
    );
    expect(schemaIssues.map((i) => i.path)).toEqual(['/extra', '/targets/0/target']);
    expect(() => resolveProfile({ ...base, catalogue: 'other', targets: [] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CATALOGUE' }),
    );
    expect(() => resolveProfile({ ...base, extends: 'nope', targets: [] })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_PROFILE' }),
    );
  });
});
