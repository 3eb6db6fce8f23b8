import { describe, expect, it } from 'vitest';
import {
  BAC_GIANG_2025,
  evaluateProfile,
  resolveProfile,
  scorecardToCsv,
  scorecardToFiware,
  type Observation,
} from '../src/index.js';
import { readConformance } from './helpers.js';

const bg = resolveProfile(BAC_GIANG_2025);
const card = evaluateProfile(bg, readConformance<Observation[]>('bac-giang-2025.observations.json'), {
  period: { year: 2025 },
});

/** Splits RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('CSV report', () => {
  it('is UTF-8 with a BOM, Vietnamese headings, one CRLF row per indicator, decimal commas', () => {
    const csv = scorecardToCsv(card);
    expect(
      csv.startsWith('\uFEFFMã chỉ số;Tên chỉ số;Lớp;Nhóm;Phân nhóm;Đơn vị tính;Kỳ;Phạm vi;Giá trị;'),
    ).toBe(true);
    const rows = parseCsv(csv.slice(1), ';');
    expect(rows).toHaveLength(37);
    expect(rows.every((r) => r.length === 18)).toBe(true);
    const row = rows.find((r) => r[0] === 'L1.N3.PN1.01');
    expect(row).toEqual([
      'L1.N3.PN1.01',
      'Đánh giá chung của người dân về sự tiến bộ của đô thị',
      'L1',
      'L1.N3',
      'L1.N3.PN1',
      '%',
      '2025',
      'Tỉnh 24',
      '65',
      '',
      '',
      '≥ 70',
      'Chưa đạt',
      '92,86',
      '3',
      '',
      'Chưa đủ số liệu',
      'Báo cáo',
    ]);
    const agg = rows.find((r) => r[0] === 'L2.N1.PN3.01');
    expect(agg?.slice(8, 11)).toEqual(['8', '4', '50']);
    expect(agg?.[17]).toBe('Tổng hợp từ cấp huyện');
    expect(rows.find((r) => r[0] === 'L3.N3.PN1.01')?.[8]).toBe('Có');
  });

  it('has English headings on request, and quotes fields that need it', () => {
    const csv = scorecardToCsv(card, { lang: 'en' });
    const rows = parseCsv(csv.slice(1), ',');
    expect(rows[0]?.slice(0, 3)).toEqual(['Indicator code', 'Indicator', 'Layer']);
    const row = rows.find((r) => r[0] === 'L1.N1.PN2.01');
    expect(row?.[1]).toBe("Publication of the outcome of citizens' feedback on the city government's work");
    expect(rows.find((r) => r[0] === 'L1.N3.PN1.01')?.[13]).toBe('92.86');
  });

  it('neutralises text a spreadsheet would run as a formula', () => {
    const evil = {
      ...card,
      indicators: [{ ...card.indicators[0]!, name: { vi: '=HYPERLINK("http://x","y")' } }],
    };
    const line = scorecardToCsv(evil).split('\r\n')[1] ?? '';
    expect(line.split(';').slice(0, 2).join(';')).toBe(`L1.N1.PN1.01;"'=HYPERLINK(""http://x"",""y"")"`);
  });
});

describe('FIWARE KeyPerformanceIndicator export', () => {
  it('emits one NGSI-LD entity per indicator with a value', () => {
    const entities = scorecardToFiware(card, {
      organization: 'UBND tỉnh Bắc Giang',
      provider: 'IOC Bắc Giang',
      modifiedAt: '2026-02-01T00:00:00+07:00',
    });
    expect(entities).toHaveLength(9);
    const e = entities.find((x) => x.id.includes('L2.N1.PN3.01'));
    expect(e).toEqual({
      id: 'urn:ngsi-ld:KeyPerformanceIndicator:bac-giang-2025:L2.N1.PN3.01:province-24:2025',
      type: 'KeyPerformanceIndicator',
      '@context': [
        'https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld',
        'https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld',
      ],
      name: { type: 'Property', value: 'Tình hình sử dụng bệnh án điện tử' },
      alternateName: { type: 'Property', value: 'Use of electronic medical records' },
      category: { type: 'Property', value: ['quantitative'] },
      kpiValue: { type: 'Property', value: 8 },
      calculationPeriod: {
        type: 'Property',
        value: { from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' },
      },
      calculationFrequency: { type: 'Property', value: 'yearly' },
      calculationMethod: { type: 'Property', value: 'semiautomatic' },
      calculationFormula: { type: 'Property', value: '4 / 50 × 100' },
      currentStanding: { type: 'Property', value: 'good' },
      businessTarget: { type: 'Property', value: '≥ 10' },
      organization: { type: 'Property', value: { name: 'UBND tỉnh Bắc Giang' } },
      provider: { type: 'Property', value: { name: 'IOC Bắc Giang' } },
      area: { type: 'Property', value: '24' },
      process: { type: 'Property', value: 'bac-giang-2025/L2.N1.PN3' },
      dateModified: {
        type: 'Property',
        value: { '@type': 'DateTime', '@value': '2026-02-01T00:00:00+07:00' },
      },
    });
    const standings = Object.fromEntries(entities.map((x) => [x.id.split(':')[4], x.currentStanding.value]));
    expect(standings).toMatchObject({ 'L2.N1.PN1.03': 'fair', 'L3.N3.PN1.01': 'veryGood' });
    expect(entities.find((x) => x.id.includes('L3.N3.PN1.01'))?.category.value).toEqual(['qualitative']);
  });
});
