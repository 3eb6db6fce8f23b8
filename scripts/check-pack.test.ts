import { describe, expect, it } from 'vitest';
import { importedSpecifiers } from './check-pack-lib.js';

describe('importedSpecifiers', () => {
  it('finds bare ESM imports, re-exports, dynamic imports and requires (relative ones are internal)', () => {
    const code = [
      'import { a } from "ajv";',
      'import "./side-effect.js";',
      "export { b } from '@dttm/core';",
      'import * as c from "node:crypto";',
      'const d = await import("fast-xml-parser");',
      'var e = require("pg");',
      'var f = require("node:fs");',
    ].join('\n');
    expect([...importedSpecifiers(code)].sort()).toEqual([
      '@dttm/core',
      'ajv',
      'fast-xml-parser',
      'node:crypto',
      'node:fs',
      'pg',
    ]);
  });

  it('ignores specifier-like text inside strings and templates', () => {
    const code = [
      'const m = `signed by ${name} from "${leaf.subject.text}"`;',
      'const n = \'copied from "somewhere"\';',
    ].join('\n');
    expect([...importedSpecifiers(code)]).toEqual([]);
  });
});
