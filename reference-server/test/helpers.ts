import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDemoIssuer, mintToken } from '../src/auth/demo.js';
import type { Role } from '../src/auth/roles.js';
import { loadConfig, silentLogger, startServer, type RunningServer } from '../src/index.js';
import type { IocEvent } from '../src/events/types.js';

/** Reads Server-Sent Events frames from a fetch response. */
export async function* sseFrames(
  res: Response,
): AsyncGenerator<{ id?: string; event?: string; data?: string; comment?: string }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let idx;
    while ((idx = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, idx);
      buffer = buffer.slice(idx + 2);
      const f: { id?: string; event?: string; data?: string; comment?: string } = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) f.comment = line.slice(1).trim();
        else if (line.startsWith('id: ')) f.id = line.slice(4);
        else if (line.startsWith('event: ')) f.event = line.slice(7);
        else if (line.startsWith('data: ')) f.data = line.slice(6);
      }
      yield f;
    }
  }
}

export async function nextEvent(
  frames: AsyncGenerator<{ event?: string; data?: string }>,
): Promise<IocEvent> {
  for (;;) {
    const { value, done } = await frames.next();
    if (done) throw new Error('stream ended');
    if (value.event !== undefined && value.data !== undefined) return JSON.parse(value.data) as IocEvent;
  }
}

export function serverFixture(env: Record<string, string> = {}, options: { now?: () => Date } = {}) {
  const ctx: {
    server: RunningServer;
    dataDir: string;
    token: (roles: Role[], claims?: { department?: string; area?: string }) => string;
  } = {
    server: undefined as unknown as RunningServer,
    dataDir: '',
    token: () => {
      throw new Error('start() the fixture first');
    },
  };
  return {
    ctx,
    async start() {
      ctx.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-events-'));
      const config = loadConfig({
        PORT: '0',
        DATA_DIR: ctx.dataDir,
        LOG_LEVEL: 'silent',
        DEMO: 'false',
        ...env,
      });
      ctx.server = await startServer(config, silentLogger, { sseHeartbeatMs: 100, ...options });
      const issuer = ensureDemoIssuer(ctx.dataDir);
      ctx.token = (roles, claims = {}) =>
        mintToken(issuer, {
          issuer: config.auth.issuer,
          audience: config.auth.audience,
          subject: 't',
          roles,
          ...(roles.includes('department') ? { department: claims.department ?? 'environment' } : {}),
          ...(roles.includes('district') ? { area: claims.area ?? '213' } : {}),
        });
    },
    async stop() {
      await ctx.server.close();
      fs.rmSync(ctx.dataDir, { recursive: true, force: true });
    },
  };
}

export type Fixture = ReturnType<typeof serverFixture>;
export type FixtureRoles = Parameters<Fixture['ctx']['token']>[0];
export type FixtureClaims = Parameters<Fixture['ctx']['token']>[1];

/** An HTTP answer as the API tests inspect it. */
export interface Answer {
  status: number;
  /** Media type without parameters, e.g. `application/problem+json`. */
  type: string;
  headers: Headers;
  body: Buffer;
  text: string;
  /** The parsed body of a JSON answer, `{}` otherwise. */
  json: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

/**
 * One request to a fixture's server: with a token minted for `roles` (and `claims`) when given, and a
 * JSON body (a string is sent as it is, for malformed-JSON tests).
 */
export async function callApi(
  fx: Fixture,
  method: string,
  path: string,
  options: { roles?: FixtureRoles; claims?: FixtureClaims; body?: unknown } = {},
): Promise<Answer> {
  const res = await fetch(new URL(path, fx.ctx.server.url), {
    method,
    headers: {
      ...(options.roles === undefined
        ? {}
        : { authorization: `Bearer ${fx.ctx.token(options.roles, options.claims ?? {})}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined
      ? {}
      : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
  });
  const type = res.headers.get('content-type')?.split(';')[0] ?? '';
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  return {
    status: res.status,
    type,
    headers: res.headers,
    body,
    text,
    json: (type.endsWith('json') ? JSON.parse(text) : {}) as Answer['json'],
  };
}
