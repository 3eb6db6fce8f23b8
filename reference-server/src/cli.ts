/**
 * Operator commands of the reference server.
 *
 *   ioc audit verify        recompute the audit log's hash chain; exit 1 if it is broken
 *   ioc audit tail [N]      print the last N audit records (default 20) as JSON lines
 *
 * Uses the same configuration as the server (DATA_DIR, DATABASE_URL).
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from './config.js';
import { openStorage } from './storage/index.js';

const USAGE = 'usage: ioc audit verify | ioc audit tail [N]';

export async function runCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const [group, command, arg] = argv;
  if (group !== 'audit' || (command !== 'verify' && command !== 'tail')) {
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
