import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ValidationReport } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const schema = JSON.parse(
  readFileSync(root + 'specs/schemas/validation-report.schema.json', 'utf8'),
) as object;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);

/** Validates a report against specs/schemas/validation-report.schema.json. */
export const validateReport = ajv.compile<ValidationReport>(schema);
