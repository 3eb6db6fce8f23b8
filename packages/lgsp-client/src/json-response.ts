import { LgspError } from './errors.js';

/** Helpers shared by the tolerant JSON codecs (document axis, public-service portal). */

export type Json = Record<string, unknown>;

/** What a codec needs of a response to decode it and to say where it failed. */
export interface JsonResponse {
  readonly status: number;
  readonly body: Uint8Array;
  readonly requestId: string;
}

/** Lower-case, without `_` and `-`: `DocId`, `doc_id` and `docid` are the same field. */
export function norm(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of the first field of `obj` whose normalized name is one of `names`. */
export function pick(obj: Json, names: readonly string[]): unknown {
  for (const want of names.map(norm)) {
    for (const [k, v] of Object.entries(obj)) if (norm(k) === want) return v;
  }
  return undefined;
}

/** `RESPONSE_INVALID` naming the operation and the field, in English and Vietnamese. */
export function invalidResponse(
  operation: string,
  field: string,
  message: string,
  response: JsonResponse,
): LgspError {
  return new LgspError(
    'RESPONSE_INVALID',
    `${operation}: ${message} (field "${field}") / phản hồi ${operation} không hợp lệ (trường "${field}")`,
    { details: { operation, field, status: response.status, requestId: response.requestId } },
  );
}

/** The body as JSON, or `RESPONSE_INVALID` with the start of the body for diagnosis. */
export function parseJsonResponse(operation: string, response: JsonResponse): unknown {
  const text = new TextDecoder().decode(response.body);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new LgspError(
      'RESPONSE_INVALID',
      `${operation}: the response is not JSON / phản hồi ${operation} không phải JSON`,
      {
        cause: error,
        details: { operation, field: '(body)', status: response.status, body: text.slice(0, 512) },
      },
    );
  }
}
