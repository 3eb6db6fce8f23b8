import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import { createAjv } from './ajv.js';

/** The `$id` under which the OpenAPI document is registered; pointers into it start with this. */
export const OPENAPI_DOC_ID = 'openapi:doc';

/**
 * An Ajv (JSON Schema 2020-12, formats) that knows the whole OpenAPI document, so any JSON pointer into
 * it (`openapi:doc#/paths/...`) compiles. Schemas bundled from `specs/schemas/*.json` keep their own
 * `$id` and `#/$defs/...` references; Ajv only discovers embedded resources at schema keywords, so each
 * one is registered on its own and replaced by a `$ref` to its `$id`.
 */
export function openApiAjv(doc: object, options: Options = {}): Ajv2020 {
  const ajv = createAjv({ strict: false, ...options });
  const resources: object[] = [];
  const extract = (node: unknown, isRoot: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => extract(n, false));
    if (typeof node !== 'object' || node === null) return node;
    const obj = node as Record<string, unknown>;
    if (!isRoot && typeof obj.$id === 'string' && /^https?:\/\//.test(obj.$id)) {
      resources.push(obj);
      return { $ref: obj.$id };
    }
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, extract(v, false)]));
  };
  const rest = extract(doc, true) as object;
  const seen = new Set<string>();
  for (const r of resources) {
    const id = (r as { $id: string }).$id;
    if (!seen.has(id)) {
      seen.add(id);
      ajv.addSchema(r);
    }
  }
  ajv.addSchema({ ...rest, $id: OPENAPI_DOC_ID });
  return ajv;
}
