import { afterEach, describe, expect, it } from 'vitest';
import { DahuaClient, isCameraError } from '@dttm/camera-vms';
import { startDahuaSimulator, type DahuaSimulator } from '../src/testing/index.js';

let sim: DahuaSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const recordings = [
  { channel: 1, start: '2026-12-01 06:00:00', end: '2026-12-01 07:00:00', length: 734003200 },
  {
    channel: 1,
    start: '2026-12-01 07:00:00',
    end: '2026-12-01 7:42:10',
    events: ['VideoMotion'],
    flags: ['Event'],
  },
  { channel: 1, start: '2026-12-01 09:00:00', end: '2026-12-01 10:00:00' },
  { channel: 2, start: '2026-12-01 06:30:00', end: '2026-12-01 07:30:00' },
  { channel: 1, start: '2026-12-01 06:15:00', end: '2026-12-01 06:15:00', type: 'jpg' as const },
];

describe('Dahua recording search (mediaFileFind.cgi)', () => {
  it('finds files in a time range page by page, converts device times, and releases the finder', async () => {
    sim = await startDahuaSimulator({
      username: 'admin',
      password: 'Dahua@2026',
      recordings,
      findPageSize: 1,
    });
    const dahua = new DahuaClient({ url: sim.url, username: 'admin', password: 'Dahua@2026' });
    // 06:10–08:00 in Vietnam is 23:10–01:00 UTC.
    const found = await dahua.searchRecordings({
      channel: 1,
      from: '2026-11-30T23:10:00Z',
      to: '2026-12-01T01:00:00Z',
    });
    const host = new URL(sim.url).hostname;
    expect(found).toEqual([
      {
        token: '/mnt/dvr/sda0/2026-12-01/0/dav/06.00.00-07.00.00[R][0@0][0].dav',
        source: '1',
        name: '/mnt/dvr/sda0/2026-12-01/0/dav/06.00.00-07.00.00[R][0@0][0].dav',
        earliest: '2026-12-01T06:00:00+07:00',
        latest: '2026-12-01T07:00:00+07:00',
        content: 'video',
        replayUri: `rtsp://${host}:554/cam/playback?channel=1&starttime=2026_12_01_06_00_00&endtime=2026_12_01_07_00_00`,
        channel: 1,
        type: 'dav',
        events: [],
        flags: ['Timing'],
        sizeBytes: 734003200,
      },
      {
        token: '/mnt/dvr/sda0/2026-12-01/0/dav/07.00.00-7.42.10[R][0@0][0].dav',
        source: '1',
        name: '/mnt/dvr/sda0/2026-12-01/0/dav/07.00.00-7.42.10[R][0@0][0].dav',
        earliest: '2026-12-01T07:00:00+07:00',
        latest: '2026-12-01T07:42:10+07:00',
        content: 'video',
        replayUri: `rtsp://${host}:554/cam/playback?channel=1&starttime=2026_12_01_07_00_00&endtime=2026_12_01_07_42_10`,
        channel: 1,
        type: 'dav',
        events: ['VideoMotion'],
        flags: ['Event'],
      },
    ]);
    const actions = sim.findQueries.map((q) => new URLSearchParams(q).get('action'));
    // One file per page: two pages with a file, one with found=0.
    expect(actions).toEqual([
      'factory.create',
      'findFile',
      'findNextFile',
      'findNextFile',
      'findNextFile',
      'close',
      'destroy',
    ]);
    const find = new URLSearchParams(sim.findQueries[1]);
    expect([
      find.get('condition.Channel'),
      find.get('condition.StartTime'),
      find.get('condition.EndTime'),
      find.get('condition.Types[0]'),
    ]).toEqual(['1', '2026-12-01 06:10:00', '2026-12-01 08:00:00', 'dav']);
    expect(sim.findObjects).toBe(0);
  });

  it('filters by type and event, honours maxResults, and reads "nothing found" as an empty list', async () => {
    sim = await startDahuaSimulator({ recordings });
    const dahua = new DahuaClient({ url: sim.url, username: 'admin', password: 'admin' });
    const day = { from: '2026-11-30T17:00:00Z', to: '2026-12-01T16:59:59Z' };
    const jpg = await dahua.searchRecordings({ channel: 1, ...day, types: ['jpg'] });
    expect(jpg.map((r) => [r.content, r.earliest])).toEqual([['image', '2026-12-01T06:15:00+07:00']]);
    const motion = await dahua.searchRecordings({ channel: 1, ...day, events: ['VideoMotion'] });
    expect(motion.map((r) => r.latest)).toEqual(['2026-12-01T07:42:10+07:00']);
    const first = await dahua.searchRecordings({ channel: 1, ...day, maxResults: 1 });
    expect(first.map((r) => r.earliest)).toEqual(['2026-12-01T06:00:00+07:00']);
    expect(await dahua.searchRecordings({ channel: 3, ...day })).toEqual([]);
    expect(sim.findObjects).toBe(0);
  });

  it('uses the configured device offset', async () => {
    sim = await startDahuaSimulator({ recordings });
    const dahua = new DahuaClient({
      url: sim.url,
      username: 'admin',
      password: 'admin',
      utcOffset: '+00:00',
    });
    const found = await dahua.searchRecordings({
      channel: 2,
      from: '2026-12-01T06:00:00Z',
      to: '2026-12-01T06:45:00Z',
    });
    expect(found.map((r) => [r.earliest, r.latest])).toEqual([
      ['2026-12-01T06:30:00+00:00', '2026-12-01T07:30:00+00:00'],
    ]);
    expect(
      () => new DahuaClient({ url: sim?.url ?? '', username: 'a', password: 'b', utcOffset: '7' }),
    ).toThrow(/utcOffset/);
  });

  it('rejects bad queries before calling the device, and maps refusals to typed errors', async () => {
    sim = await startDahuaSimulator({ recordings });
    const dahua = new DahuaClient({ url: sim.url, username: 'admin', password: 'admin' });
    const codes = await Promise.all(
      [
        { channel: 0, from: '2026-12-01T00:00:00Z', to: '2026-12-01T01:00:00Z' },
        { channel: 1, from: '2026-12-01T02:00:00Z', to: '2026-12-01T01:00:00Z' },
        { channel: 1, from: 'hôm qua', to: '2026-12-01T01:00:00Z' },
        { channel: 1, from: '2026-12-01T00:00:00Z', to: '2026-12-01T01:00:00Z', events: ['A&b=c'] },
        { channel: 1, from: '2026-12-01T00:00:00Z', to: '2026-12-01T01:00:00Z', maxResults: 0 },
      ].map((q) =>
        dahua.searchRecordings(q).then(
          () => 'none',
          (e: unknown) => (isCameraError(e) ? e.code : 'other'),
        ),
      ),
    );
    expect(codes).toEqual([
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
      'INVALID_ARGUMENT',
    ]);
    expect(sim.findQueries).toEqual([]);
    const wrong = new DahuaClient({ url: sim.url, username: 'admin', password: 'sai' });
    const err = await wrong
      .searchRecordings({ channel: 1, from: '2026-12-01T00:00:00Z', to: '2026-12-01T01:00:00Z' })
      .catch((e: unknown) => e);
    expect(isCameraError(err) && err.code).toBe('AUTH_FAILED');
  });
});
