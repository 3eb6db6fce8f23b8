import type { ValidateFunction } from 'ajv/dist/2020.js';
import { openApiAjv } from '../src/http/openapi-ajv.js';
import openapiDocument from '../src/generated/openapi.json';

// The same document registration the request validator uses.
const ajv = openApiAjv(openapiDocument);
const cache = new Map<string, ValidateFunction>();

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Validates a response body against the schema the OpenAPI document declares for
 * `method pathTemplate` → `status` / `contentType`. Returns the ajv errors, or [] when valid.
 * Throws when the document declares no such response (an undocumented response is a bug).
 */
export function contractErrors(
  method: string,
  pathTemplate: string,
  status: number,
  contentType: string,
  body: unknown,
): string[] {
  const key = `${method} ${pathTemplate} ${status} ${contentType}`;
  let validate = cache.get(key);
  if (validate === undefined) {
    type Response = { $ref?: string; content?: Record<string, unknown> };
    const paths = openapiDocument.paths as Record<
      string,
      Record<string, { responses?: Record<string, Response> }>
    >;
    let pointer = `#/paths/${escape(pathTemplate)}/${method.toLowerCase()}/responses/${status}`;
    let response = paths[pathTemplate]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (response?.$ref !== undefined) {
      // A shared response under components/responses.
      pointer = response.$ref;
      const name = response.$ref.replace('#/components/responses/', '');
      response = (openapiDocument.components as { responses?: Record<string, Response> }).responses?.[name];
    }
    if (response?.content?.[contentType] === undefined) {
      throw new Error(
        `the OpenAPI document declares no ${contentType} response ${status} for ${method} ${pathTemplate}`,
      );
    }
    validate = ajv.compile({ $ref: `openapi:doc${pointer}/content/${escape(contentType)}/schema` });
    cache.set(key, validate);
  }
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''}`);
}
