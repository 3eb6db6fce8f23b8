/**
 * HTTP ingest throughput and latency of the reference server, measured with autocannon against a bare
 * Express handler on the same machine. Each server runs in a process of its own (as in production);
 * autocannon drives it from this one with the same connections, duration and request bodies.
 *
 *   npm run bench:http                       observations and readings, SQLite and PostgreSQL
 *   npm run bench:http -- --duration=10 --connections=32 --rounds=3 --only=observations
 *   npm run bench:http -- --stores=sqlite --profile=/tmp/prof   CPU profiles of the servers (.cpuprofile)
 *   npm run bench:http -- --server=src       the server's sources through tsx instead of the build
 *   npm run bench:http -- --stores=sqlite,sqlite-main   also SQLite with its ingest writes on the main thread
 *   npm run bench:http -- --cpu              also each server thread's CPU time per request (Linux)
 *
 * For each round, every target is measured in turn (bare Express, then the IOC on SQLite, then on
 * PostgreSQL), so drift in the machine's load affects them alike. Reported: requests/s, p50/p99
 * latency, errors and non-2xx answers, and the ratio to the bare handler of the same round (median of
 * the rounds). Results go to bench/results/ingest-http.json. The per-caller request budget is turned
 * off (`API_RATE_PER_MINUTE=0`): a single client at full speed is what is measured.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ensureDemoIssuer, mintToken } from '../reference-server/src/auth/demo.js';
import { loadConfig } from '../reference-server/src/config.js';
import { observationBodies, readingBodies } from './ingest-bodies.js';
import { pgAdmin } from '../reference-server/test/pg.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const DURATION = Number(arg('duration', '10'));
const CONNECTIONS = Number(arg('connections', '32'));
const ROUNDS = Number(arg('rounds', '3'));
const ONLY = arg('only', 'observations,readings').split(',');
const STORES = arg('stores', 'sqlite,postgres').split(',');
const BATCH = 10;
const PROFILE = arg('profile', '');
/** `dist`: the built server, as `npm start` runs it (built first when stale); `src`: the sources via tsx. */
const SERVER = arg('server', 'dist');
/** `--cpu`: also report each server thread's CPU time per request (Linux, from /proc). */
const CPU = process.argv.includes('--cpu');

/** CPU time (ms) used so far by each thread of a process, by thread id, from /proc (Linux only). */
function threadCpu(pid: number): Map<string, { name: string; ms: number; written: number }> {
  const out = new Map<string, { name: string; ms: number; written: number }>();
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  let tasks: string[] = [];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const io = fs.readFileSync(`/proc/${pid}/task/${tid}/io`, 'utf8');
      const written = Number(/^wchar: (\d+)/m.exec(io)?.[1] ?? 0);
      out.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * tick, written });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

/** Prints each thread's CPU milliseconds per request between two readings (busiest first). */
function reportCpu(
  label: string,
  before: Map<string, { name: string; ms: number; written: number }>,
  after: Map<string, { name: string; ms: number; written: number }>,
  requests: number,
) {
  const rows = [...after].map(([tid, a]) => ({
    tid,
    name: a.name,
    ms: a.ms - (before.get(tid)?.ms ?? 0),
    written: a.written - (before.get(tid)?.written ?? 0),
  }));
  const written = rows.reduce((n, r) => n + r.written, 0);
  const total = rows.reduce((n, r) => n + r.ms, 0);
  const top = rows
    .filter((r) => r.ms > 0)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 8)
    .map(
      (r) =>
        `${r.name}#${r.tid} ${((r.ms / requests) * 1000).toFixed(0)}` +
        (r.written > requests * 1024 ? ` (${(r.written / requests / 1024).toFixed(1)} KiB written)` : ''),
    )
    .join(', ');
  console.log(
    `  cpu ${label}: ${((total / requests) * 1000).toFixed(0)} µs/request in all, ${(written / requests / 1024).toFixed(1)} KiB/request written (sockets and files); by thread (µs/request): ${top}`,
  );
}

interface Started {
  readonly port: number;
  readonly child: ChildProcess;
}

/** Starts a server process and waits for the port it prints. */
function startProcess(
  args: string[],
  env: Record<string, string>,
  portOf: (line: string) => number | undefined,
) {
  return new Promise<Started>((resolve, reject) => {
    const profile = PROFILE === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE)}`];
    // Built JavaScript runs as is (as `npm start` runs it); TypeScript through tsx.
    const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...profile, ...loader, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        const port = portOf(line);
        if (port !== undefined) {
          child.stdout?.off('data', onData);
          child.stdout?.resume();
          resolve({ port, child });
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}):\n${out}`)));
  });
}

const stop = (s: Started) =>
  new Promise<void>((resolve) => {
    s.child.once('exit', () => resolve());
    s.child.kill('SIGTERM');
  });

const observationsBody = observationBodies(BATCH, 'http-bench');
const readingsBody = readingBodies(BATCH, new Date(Date.UTC(2020, 0, 1)));

const OPERATIONS = {
  observations: { path: '/api/v1/kpi/observations', body: observationsBody },
  readings: { path: '/api/v1/environment/stations/BG-BENCH/readings', body: readingsBody },
} as const;
type Operation = keyof typeof OPERATIONS;

interface Measured {
  readonly target: string;
  readonly operation: Operation;
  readonly round: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly non2xx: number;
}

function measure(port: number, op: Operation, token: string | undefined): Promise<autocannon.Result> {
  const { path: p, body } = OPERATIONS[op];
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        method: 'POST',
        path: p,
        headers: {
          'content-type': 'application/json',
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
        setupRequest: (req) => ({ ...req, body: body() }),
      },
    ],
  });
}

async function main() {
  const dataDirs: string[] = [];
  const pgDb = `ioc_http_bench_${randomBytes(4).toString('hex')}`;
  const servers: { name: string; started: Started; token?: string }[] = [];
  const serverMain = SERVER === 'src' ? 'reference-server/src/main.ts' : 'reference-server/dist/main.js';
  if (SERVER !== 'src') {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/build.ts', '--if-stale', '--only', '@dttm/reference-server'],
      { cwd: root, stdio: 'inherit' },
    );
  }
  try {
    const bare = await startProcess(['bench/servers/bare-express.ts'], { PORT: '0' }, (l) =>
      /^listening (\d+)/.exec(l) ? Number(/^listening (\d+)/.exec(l)?.[1]) : undefined,
    );
    servers.push({ name: 'express-bare', started: bare });
    if (STORES.includes('postgres')) await pgAdmin(`CREATE DATABASE ${pgDb}`);
    for (const store of STORES) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ioc-http-bench-${store}-`));
      dataDirs.push(dataDir);
      const env: Record<string, string> = {
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
        DEMO: 'false',
        // One client at full speed: the per-caller budget (default 200/s) would answer 429.
        API_RATE_PER_MINUTE: '0',
        ...(store === 'postgres' ? { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${pgDb}` } : {}),
        // `sqlite-main`: the embedded database with its ingest writes on the main thread.
        ...(store === 'sqlite-main' ? { SQLITE_INGEST_THREAD: 'false' } : {}),
      };
      const config = loadConfig(env);
      const issuer = ensureDemoIssuer(dataDir);
      const started = await startProcess([serverMain], env, (l) => {
        if (!l.includes('"listening"')) return undefined;
        const url = (JSON.parse(l) as { url?: string }).url;
        return url === undefined ? undefined : Number(new URL(url).port);
      });
      const mint = (roles: ('machine' | 'operator')[]) =>
        mintToken(issuer, {
          issuer: config.auth.issuer,
          audience: config.auth.audience,
          subject: 'bench',
          roles,
        });
      const res = await fetch(`http://127.0.0.1:${started.port}/api/v1/environment/stations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mint(['operator'])}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'BG-BENCH',
          name: 'Bench',
          kind: 'air',
          location: { lat: 21.27, lon: 106.19 },
        }),
      });
      if (res.status !== 201) throw new Error(`station not created: ${res.status} ${await res.text()}`);
      servers.push({ name: `ioc-${store}`, started, token: mint(['machine']) });
    }

    const results: Measured[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const op of ONLY as Operation[]) {
        for (const s of servers) {
          const pid = s.started.child.pid;
          const before = CPU && pid !== undefined ? threadCpu(pid) : undefined;
          const load = process.cpuUsage();
          const r = await measure(s.started.port, op, s.token);
          if (before !== undefined && pid !== undefined) {
            reportCpu(s.name, before, threadCpu(pid), r.requests.total);
            const used = process.cpuUsage(load);
            console.log(
              `  cpu autocannon: ${((used.user + used.system) / r.requests.total).toFixed(0)} µs/request`,
            );
          }
          const m: Measured = {
            target: s.name,
            operation: op,
            round,
            requestsPerSecond: r.requests.average,
            p50Ms: r.latency.p50,
            p99Ms: r.latency.p99,
            errors: r.errors + r.timeouts,
            non2xx: r.non2xx,
          };
          results.push(m);
          console.log(
            `round ${round} ${op.padEnd(12)} ${s.name.padEnd(13)} ${m.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  errors ${m.errors}  non-2xx ${m.non2xx}`,
          );
        }
      }
    }

    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.floor(s.length / 2)] ?? NaN;
    };
    const summary = [];
    console.log(
      `\n${CONNECTIONS} connections, ${DURATION} s per measurement, ${ROUNDS} rounds, ${BATCH} items per request`,
    );
    for (const op of ONLY as Operation[]) {
      for (const s of servers.filter((x) => x.name !== 'express-bare')) {
        const ratios = [];
        for (let round = 1; round <= ROUNDS; round++) {
          const ours = results.find((r) => r.round === round && r.operation === op && r.target === s.name);
          const peer = results.find(
            (r) => r.round === round && r.operation === op && r.target === 'express-bare',
          );
          if (ours && peer) ratios.push(ours.requestsPerSecond / peer.requestsPerSecond);
        }
        const mine = results.filter((r) => r.operation === op && r.target === s.name);
        const line = {
          name: `${op}-ingest-${s.name.replace('ioc-', '')}`,
          peer: 'express-bare',
          ratio: median(ratios),
          requestsPerSecond: median(mine.map((r) => r.requestsPerSecond)),
          p99Ms: median(mine.map((r) => r.p99Ms)),
          errors: mine.reduce((n, r) => n + r.errors + r.non2xx, 0),
        };
        summary.push(line);
        console.log(
          `${line.name}: ours/express-bare = ${line.ratio.toFixed(2)}x  (${line.requestsPerSecond.toFixed(0)} req/s, p99 ${line.p99Ms} ms, errors ${line.errors})`,
        );
      }
    }
    fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'bench', 'results', 'ingest-http.json'),
      `${JSON.stringify({ at: new Date().toISOString(), connections: CONNECTIONS, durationSeconds: DURATION, rounds: ROUNDS, cpus: os.cpus().length, loadAverage: os.loadavg(), summary, results }, null, 2)}\n`,
    );
    if (summary.some((l) => l.errors > 0)) {
      console.error('some requests failed: the figures above are not valid');
      process.exitCode = 1;
    }
  } finally {
    for (const s of servers) await stop(s.started);
    if (STORES.includes('postgres'))
      await pgAdmin(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`).catch(() => undefined);
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

await main();
