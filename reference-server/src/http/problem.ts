import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_BASE = 'https://dttm.vn/problems/';

/** An RFC 9457 problem body. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly [extension: string]: unknown;
}

/** Throw from a route to answer with a problem+json body. */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(detail ?? title);
  }

  toProblem(instance?: string): Problem {
    return {
      ...this.extensions,
      type: PROBLEM_BASE + this.code.toLowerCase().replace(/_/g, '-'),
      title: this.title,
      status: this.status,
      code: this.code,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(instance === undefined ? {} : { instance }),
    };
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** 404 for any route nobody answered. */
export const notFound: RequestHandler = (req, res) => {
  sendProblem(
    res,
    new HttpProblem(404, 'NOT_FOUND', 'Not Found', `No resource at ${req.method} ${req.path}`).toProblem(
      req.originalUrl,
    ),
  );
};

interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
}

/** Last middleware: every error becomes problem+json; unknown errors are logged and never leak details. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof HttpProblem) {
      sendProblem(res, err.toProblem(req.originalUrl));
      return;
    }
    const bp = (typeof err === 'object' && err !== null ? err : {}) as BodyParserError;
    if (bp.type === 'entity.parse.failed') {
      sendProblem(res, new HttpProblem(400, 'INVALID_JSON', 'Invalid JSON body').toProblem(req.originalUrl));
      return;
    }
    if (bp.type === 'entity.too.large') {
      sendProblem(
        res,
        new HttpProblem(413, 'BODY_TOO_LARGE', 'Request body too large').toProblem(req.originalUrl),
      );
      return;
    }
    if (typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500 && bp.expose === true) {
      const message = err instanceof Error ? err.message : 'Bad request';
      sendProblem(
        res,
        new HttpProblem(bp.status, 'BAD_REQUEST', 'Bad Request', message).toProblem(req.originalUrl),
      );
      return;
    }
    logger.error('unhandled error', {
      method: req.method,
      path: req.path,
      error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
    });
    sendProblem(res, new HttpProblem(500, 'INTERNAL', 'Internal Server Error').toProblem(req.originalUrl));
  };
}
