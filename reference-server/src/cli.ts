/**
 * Operator commands of the reference server.
 *
 *   ioc audit verify        recompute the audit log's hash chain; exit 1 if it is broken
 *   ioc audit tail [N]      print the last N audit records (default 20) as JSON lines
 *   ioc token mint --role <role> --sub <id> [--dept <d>] [--area <code>] [--scope "<s> <s>"] [--ttl <sec>]
 *                           print a bearer token signed by the embedded demo issuer
 *
 * Uses the same configuration as the server (DATA_DIR, DATABASE_URL).
 */
import { pathToFileURL } from 'node:url';
import { ensureDemoIssuer, mintToken } from './auth/demo.js';
import { ROLES, isRole, type Role } from './auth/roles.js';
import { ConfigError, loadConfig, type ServerConfig } from './config.js';
import { openStorage } from './storage/index.js';

const USAGE =
  'usage: ioc audit verify | ioc audit tail [N] | ioc token mint --role <role> --sub <id> [--dept <d>] [--area <code>] [--scope "<s> <s>"] [--ttl <sec>]';

function flags(args: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument "${a}"`);
    const v = args[i + 1];
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`);
    out.set(a.slice(2), [...(out.get(a.slice(2)) ?? []), v]);
    i++;
  }
  return out;
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function mint(config: ServerConfig, args: readonly string[], out: (l: string) => void): number {
  if (config.auth.jwks.kind !== 'demo') {
    throw new UsageError(
      'tokens come from your identity provider when AUTH_JWKS_FILE or AUTH_JWKS_URL is set',
    );
  }
  const f = flags(args);
  for (const k of f.keys()) {
    if (!['role', 'sub', 'dept', 'area', 'scope', 'ttl'].includes(k))
      throw new UsageError(`unknown option --${k}`);
  }
  const roles = f.get('role') ?? [];
  if (roles.length === 0) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
  for (const r of roles)
    if (!isRole(r)) throw new UsageError(`unknown role "${r}": one of ${ROLES.join(', ')}`);
  const sub = f.get('sub')?.[0];
  if (sub === undefined) throw new UsageError('--sub is required');
  const ttl = Number(f.get('ttl')?.[0] ?? '3600');
  if (!Number.isInteger(ttl) || ttl < 60 || ttl > 86_400)
    throw new UsageError('--ttl must be 60…86400 seconds');
  const dept = f.get('dept')?.[0];
  const area = f.get('area')?.[0];
  const scope = f.get('scope')?.[0];
  const token = mintToken(ensureDemoIssuer(config.dataDir), {
    issuer: config.auth.issuer,
    audience: config.auth.audience,
    subject: sub,
    roles: roles as Role[],
    ttlSec: ttl,
    ...(dept === undefined ? {} : { department: dept }),
    ...(area === undefined ? {} : { area }),
    ...(scope === undefined ? {} : { scope }),
  });
  out(token);
  return 0;
}

export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [group, command, arg] = argv;
  const known =
    (group === 'audit' && (command === 'verify' || command === 'tail')) ||
    (group === 'token' && command === 'mint');
  if (!known) {
    err(USAGE);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      err(`Configuration error — ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (group === 'token') {
    try {
      return mint(config, argv.slice(2), out);
    } catch (e) {
      if (e instanceof UsageError) {
        err(e.message);
        return 2;
      }
      throw e;
    }
  }
  const storage = await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    if (command === 'verify') {
      const r = await storage.audit.verify();
      if (r.ok) {
        out(`audit log intact: ${r.entries} record(s), head ${r.head}`);
        out(`nhật ký kiểm toán toàn vẹn: ${r.entries} bản ghi`);
        return 0;
      }
      err(`audit log BROKEN at record ${r.brokenAt} (${r.reason}); ${r.entries} record(s) before it verify`);
      err(`nhật ký kiểm toán BỊ SAI LỆCH tại bản ghi ${r.brokenAt} (${r.reason})`);
      return 1;
    }
    const n = arg === undefined ? 20 : Number(arg);
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      err('N must be an integer between 1 and 1000');
      return 2;
    }
    // Walk to the end, keeping only the last N.
    let last: Awaited<ReturnType<typeof storage.audit.list>> = [];
    let after = 0;
    for (;;) {
      const page = await storage.audit.list({ afterSeq: after, limit: 1000 });
      if (page.length === 0) break;
      last = [...last, ...page].slice(-n);
      after = page[page.length - 1]?.seq ?? after;
    }
    for (const e of last) out(JSON.stringify(e));
    return 0;
  } finally {
    await storage.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runCli(
    process.argv.slice(2),
    process.env,
    (l) => console.log(l),
    (l) => console.error(l),
  ).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
