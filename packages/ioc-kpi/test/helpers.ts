import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CONFORMANCE = fileURLToPath(new URL('../../../specs/conformance/ioc-kpi/', import.meta.url));

export function readConformance<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(CONFORMANCE + name, 'utf8')) as T;
}

export function readText(name: string): string {
  return fs.readFileSync(CONFORMANCE + name, 'utf8');
}
