import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; under ESM interop its function may sit on `.default`.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

/** An Ajv for JSON Schema 2020-12 with the standard formats (`date-time`, `uuid`, …). */
export function createAjv(options: Options = {}): Ajv2020 {
  return addFormats(new Ajv2020({ allErrors: true, ...options }));
}
