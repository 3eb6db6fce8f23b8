import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AGENCIES } from '../src/demo/documents.js';
import { contractErrors } from './contract.js';
import { serverFixture } from './helpers.js';

const f = serverFixture({ DEMO: 'true', DEMO_INTERVAL_MS: '3600000', KPI_ALERT_INTERVAL_MS: '0' });
beforeAll(() => f.start());
afterAll(() => f.stop());

interface Doc {
  id: string;
  direction: string;
  state: string;
  flagged: boolean;
  from: { organId: string };
  signatures: { target: string; indication: string }[];
  statuses: Record<string, { statusCode: string }>;
}

describe('documents demo', () => {
  it('exchanges documents with a simulated LGSP at first start: received, verified, one flagged, one sent and delivered', async () => {
    const res = await fetch(new URL('/api/v1/documents', f.ctx.server.url), {
      headers: { authorization: `Bearer ${f.ctx.token(['operator'])}` },
    });
    const body = (await res.json()) as { items: Doc[] };
    expect(res.status).toBe(200);
    expect(contractErrors('GET', '/api/v1/documents', 200, 'application/json', body)).toEqual([]);
    const [stttt, ubnd, vpcp] = DEMO_AGENCIES.map((a) => a.organId);
    const received = body.items.filter((d) => d.direction === 'in');
    expect(received.map((d) => d.from.organId).sort()).toEqual([stttt, ubnd, vpcp].sort());
    const by = (organ: string | undefined) => received.find((d) => d.from.organId === organ) as Doc;
    // The provincial committee's package is signed by a key no anchor vouches for: flagged, kept.
    expect(by(ubnd).flagged).toBe(true);
    expect(by(ubnd).signatures[0]?.indication).toBe('INDETERMINATE');
    expect(by(vpcp)).toMatchObject({ flagged: false, state: 'received' });
    expect(by(vpcp).signatures).toEqual([
      expect.objectContaining({ target: 'edxml', indication: 'TOTAL_PASSED' }),
    ]);
    // The department's document carries a signed PDF, and was registered (03) after the automatic 01.
    expect(by(stttt)).toMatchObject({ flagged: false, state: 'processing' });
    expect(by(stttt).signatures.map((s) => `${s.target}:${s.indication}`)).toEqual([
      'edxml:TOTAL_PASSED',
      'attachment:TOTAL_PASSED',
    ]);
    expect(by(stttt).statuses[stttt as string]?.statusCode).toBe('03');
    // The demo PKI lives in the data folder, made once.
    for (const file of ['anchors/root.pem', 'anchors/ca.crl', 'ioc.key', 'ioc.crt'])
      expect(fs.existsSync(path.join(f.ctx.dataDir, 'documents-demo', file)), file).toBe(true);
  });
});
