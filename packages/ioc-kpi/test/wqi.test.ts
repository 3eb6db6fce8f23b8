import { describe, expect, it } from 'vitest';
import { doSaturation, vnWqi, wqiBand } from '../src/index.js';

describe('VN_WQI (provisional)', () => {
  it('interpolates sub-indices between breakpoints', () => {
    const r = vnWqi({ bod5: 5, cod: 10, nh4: 0.45, coliform: 6250, ph: 5.75 });
    // BOD5 5: halfway 4 (100) → 6 (75) = 87.5; COD at the first breakpoint = 100; N-NH4 0.45: halfway 0.3 → 0.6 = 87.5
    // Coliform 6250: halfway 5000 (75) → 7500 (50) = 62.5; pH 5.75: halfway 5.5 (50) → 6 (100) = 75.
    expect(r.subIndices).toEqual({ ph: 75, bod5: 87.5, cod: 100, nh4: 87.5, coliform: 62.5 });
    expect(r.groups).toEqual({ I: 75, IV: 91.66666666666667, V: 62.5 });
    // ∛(91.667² × 62.5) = 80.68…, × 0.75 = 60.51 → 61.
    expect(r).toMatchObject({
      status: 'ok',
      wqi: 61,
      provisional: true,
      band: { nameVi: 'Trung bình', hex: '#ffff00' },
    });
    expect(
      vnWqi({ bod5: 5, cod: 10, nh4: 0.45, coliform: 6250, ph: 5.75 }, { aggregation: 'sqrt-core' }).wqi,
    ).toBe(57);
  });

  it('takes DO as % saturation at the water temperature, and pesticides and metals as multiplying factors', () => {
    // 14.652 − 0.41022·25 + 0.007991·25² − 0.000077774·25³ = 8.1757 mg/L
    expect(doSaturation(25)).toBeCloseTo(8.176, 3);
    const clean = vnWqi({ do: 8.18, temperature: 25, bod5: 3, cod: 8, ph: 7, aldrin: 0.05, as: 0.005 });
    expect(clean.subIndices.do).toBe(100);
    expect(clean).toMatchObject({ wqi: 100, band: { nameEn: 'Very good' } });
    const poisoned = vnWqi({ do: 8.18, temperature: 25, bod5: 3, cod: 8, aldrin: 0.5 });
    expect(poisoned.groups.II).toBe(10);
    expect(poisoned.wqi).toBe(10);
  });

  it('needs 3 organic/nutrient parameters, and rejects bad input', () => {
    expect(vnWqi({ bod5: 3, cod: 8 })).toMatchObject({ status: 'no-data', wqi: null, band: null });
    expect(vnWqi({ bod5: 3, cod: 8 }, { minGroupIV: 2 }).status).toBe('ok');
    expect(() => vnWqi({ bod5: -1 })).toThrow(expect.objectContaining({ code: 'WQI_INVALID_INPUT' }));
    expect(() => vnWqi({ do: 6 })).toThrow(
      expect.objectContaining({ code: 'WQI_INVALID_INPUT', details: { field: 'temperature' } }),
    );
    expect([wqiBand(95).nameVi, wqiBand(90.4).nameVi, wqiBand(9).nameVi]).toEqual([
      'Rất tốt',
      'Tốt',
      'Ô nhiễm rất nặng',
    ]);
  });
});
