#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { runCli } from './cli-core.js';

const io = {
  readFile: async (path: string) => new Uint8Array(await readFile(path)),
  write: (text: string) => {
    process.stdout.write(text);
  },
  fetch: (
    url: string,
    init: {
      method: 'GET' | 'POST';
      headers?: Record<string, string>;
      body?: Uint8Array;
      signal: AbortSignal;
    },
  ) => fetch(url, init),
};

runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`dttm-verify: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
