import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { RequestHandler, Response } from 'express';
import { OPENAPI_DOC_ID, openApiAjv } from './openapi-ajv.js';
import { HttpProblem } from './problem.js';

interface ParameterObject {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
}
interface OperationObject {
  operationId?: string;
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

/** Values of one request, validated and coerced to the types the specification declares. */
export interface ValidatedRequest {
  readonly operationId: string | undefined;
  readonly query: Record<string, unknown>;
  readonly path: Record<string, unknown>;
  readonly body: unknown;
}

interface CompiledOperation {
  readonly method: string;
  readonly pattern: RegExp;
  readonly pathNames: readonly string[];
  readonly operationId: string | undefined;
  readonly query: ValidateFunction | undefined;
  readonly path: ValidateFunction | undefined;
  readonly headers: ValidateFunction | undefined;
  readonly body: ValidateFunction | undefined;
  readonly bodyRequired: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function resolve<T>(doc: OpenApiDocument, value: T | { $ref: string }): T {
  if (typeof value === 'object' && value !== null && '$ref' in value) {
    const parts = value.$ref.replace(/^#\//, '').split('/');
    let node: unknown = doc;
    for (const p of parts)
      node = (node as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node as T;
  }
  return value;
}

const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** A parameter schema whose document-local `$ref`s point into the registered document. */
function inlineRefs(schema: unknown, docId: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, docId));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${docId}${v}` : inlineRefs(v, docId),
    ]),
  );
}

function describeError(where: string, e: ErrorObject): { in: string; name: string; message: string } {
  const field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const missing =
    e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : '';
  const name = [field, missing].filter(Boolean).join('.') || '(body)';
  return { in: where, name, message: e.message ?? 'is invalid' };
}

/**
 * Validates every request that matches an operation of the OpenAPI document: path, query and header
 * parameters (coerced from strings to the declared types) and JSON bodies. Failures become 400
 * problem+json listing each invalid field. Validated values are on `validated(res)`.
 */
export function openApiValidator(doc: OpenApiDocument): RequestHandler {
  // Parameters arrive as strings: coerce them to the declared types and apply defaults.
  const ajv = openApiAjv(doc, { coerceTypes: true, useDefaults: true });
  const bodyAjv = openApiAjv(doc);
  const docId = OPENAPI_DOC_ID;
  const operations: CompiledOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths ?? {})) {
    const pathNames: string[] = [];
    const pattern = new RegExp(
      '^' +
        template
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const m = /^\{([^}]+)\}$/.exec(part);
            if (m?.[1]) {
              pathNames.push(m[1]);
              return '([^/]+)';
            }
            return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          })
          .join('') +
        '/?$',
    );
    for (const method of METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (op === undefined) continue;
      // Each parameter with the JSON pointer of its schema inside the registered document, so
      // `$ref`s and embedded `$id`s resolve exactly as they do in the document.
      const located = [
        ...((item.parameters as OperationObject['parameters']) ?? []).map((p, i) => ({
          p,
          at: `#/paths/${escapePointer(template)}/parameters/${i}`,
        })),
        ...(op.parameters ?? []).map((p, i) => ({
          p,
          at: `#/paths/${escapePointer(template)}/${method}/parameters/${i}`,
        })),
      ].map(({ p }) => ({ param: resolve<ParameterObject>(doc, p) }));
      const group = (where: ParameterObject['in']) => {
        const ps = located.filter((l) => l.param.in === where);
        if (ps.length === 0) return undefined;
        const key = (l: (typeof ps)[number]) =>
          where === 'header' ? l.param.name.toLowerCase() : l.param.name;
        return ajv.compile({
          type: 'object',
          properties: Object.fromEntries(
            // Parameter schemas are small: inline them so `default` applies; refs inside go through the document.
            ps.map((l) => [key(l), l.param.schema === undefined ? {} : inlineRefs(l.param.schema, docId)]),
          ),
          required: ps.filter((l) => l.param.required === true).map(key),
        });
      };
      const json = op.requestBody?.content?.['application/json'];
      operations.push({
        method: method.toUpperCase(),
        pattern,
        pathNames,
        operationId: op.operationId,
        query: group('query'),
        path: group('path'),
        headers: group('header'),
        body:
          json?.schema === undefined
            ? undefined
            : bodyAjv.compile({
                $ref: `${docId}#/paths/${escapePointer(template)}/${method}/requestBody/content/application~1json/schema`,
              }),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }

  // Literal paths win over templated ones (`/x/verify` before `/x/{id}`).
  operations.sort((a, b) => a.pathNames.length - b.pathNames.length);

  const byMethod = new Map<string, CompiledOperation[]>();
  for (const o of operations) byMethod.set(o.method, [...(byMethod.get(o.method) ?? []), o]);
  const find = (method: string, fullPath: string) =>
    byMethod.get(method)?.find((o) => o.pattern.test(fullPath));
  // A route without parameters serves one path: its operation is looked up once.
  const byStaticRoute = new Map<string, CompiledOperation | undefined>();

  return (req, res, next) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    // Inside a mounted router `req.path` is relative; match on the full path.
    const fullPath = req.baseUrl + req.path;
    const template = (req.route as { path?: unknown } | undefined)?.path;
    let op: CompiledOperation | undefined;
    if (typeof template === 'string' && !template.includes(':') && !template.includes('*')) {
      const key = `${method} ${fullPath}`;
      if (byStaticRoute.has(key)) op = byStaticRoute.get(key);
      else {
        op = find(method, fullPath);
        // Bounded: routes match case variants and trailing slashes too.
        if (byStaticRoute.size < 1000) byStaticRoute.set(key, op);
      }
    } else op = find(method, fullPath);
    if (op === undefined) {
      next();
      return;
    }
    const errors: { in: string; name: string; message: string }[] = [];
    const check = (fn: ValidateFunction | undefined, where: string, data: Record<string, unknown>) => {
      if (fn !== undefined && !fn(data))
        errors.push(...(fn.errors ?? []).map((e) => describeError(where, e)));
      return data;
    };
    const m = op.pattern.exec(fullPath);
    const pathValues = Object.fromEntries(
      op.pathNames.map((n, i) => [n, decodeURIComponent(m?.[i + 1] ?? '')]),
    );
    const query = check(op.query, 'query', { ...(req.query as Record<string, unknown>) });
    const path = check(op.path, 'path', pathValues);
    check(op.headers, 'header', { ...req.headers });
    let body: unknown = req.body;
    if (op.body !== undefined) {
      if (body === undefined) {
        if (op.bodyRequired) errors.push({ in: 'body', name: '(body)', message: 'a JSON body is required' });
      } else if (!op.body(body)) {
        errors.push(...(op.body.errors ?? []).map((e) => describeError('body', e)));
      }
    } else body = undefined;
    if (errors.length > 0) {
      const first = errors[0] as { in: string; name: string; message: string };
      next(
        new HttpProblem(
          400,
          'INVALID_REQUEST',
          'Bad Request',
          `${first.in} ${first.name}: ${first.message}`,
          {
            errors,
          },
        ),
      );
      return;
    }
    const validatedRequest: ValidatedRequest = { operationId: op.operationId, query, path, body };
    res.locals.validated = validatedRequest;
    next();
  };
}

/** The request as validated by `openApiValidator`. */
export function validated(res: Response): ValidatedRequest {
  const v = res.locals.validated as ValidatedRequest | undefined;
  if (v === undefined) throw new Error('validated() used on a route the OpenAPI document does not describe');
  return v;
}
