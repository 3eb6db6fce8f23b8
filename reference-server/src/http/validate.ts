import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { RequestHandler, Response } from 'express';
import { HttpProblem } from './problem.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

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

/** Deep copy of a schema whose document-local `$ref`s point into the registered document. */
function rebase(schema: unknown, docId: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => rebase(s, docId));
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${docId}${v}` : rebase(v, docId),
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
  const ajv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, useDefaults: true });
  addFormats(ajv);
  const bodyAjv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(bodyAjv);
  const docId = 'openapi:request-doc';
  ajv.addSchema({ ...doc, $id: docId });
  bodyAjv.addSchema({ ...doc, $id: docId });
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
      const params = [
        ...((item.parameters as OperationObject['parameters']) ?? []),
        ...(op.parameters ?? []),
      ].map((p) => resolve<ParameterObject>(doc, p));
      const group = (where: ParameterObject['in']) => {
        const ps = params.filter((p) => p.in === where);
        if (ps.length === 0) return undefined;
        return ajv.compile({
          type: 'object',
          properties: Object.fromEntries(
            ps.map((p) => [
              where === 'header' ? p.name.toLowerCase() : p.name,
              rebase(p.schema ?? {}, docId),
            ]),
          ),
          required: ps
            .filter((p) => p.required === true)
            .map((p) => (where === 'header' ? p.name.toLowerCase() : p.name)),
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
        body: json?.schema === undefined ? undefined : bodyAjv.compile(rebase(json.schema, docId) as object),
        bodyRequired: op.requestBody?.required === true,
      });
    }
  }

  // Literal paths win over templated ones (`/x/verify` before `/x/{id}`).
  operations.sort((a, b) => a.pathNames.length - b.pathNames.length);

  return (req, res, next) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    // Inside a mounted router `req.path` is relative; match on the full path.
    const fullPath = req.baseUrl + req.path;
    const op = operations.find((o) => o.method === method && o.pattern.test(fullPath));
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
