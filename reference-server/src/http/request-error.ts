import type { Request, RequestHandler, Response } from 'express';
import { HttpProblem } from './problem.js';

/**
 * A request a service refuses: the HTTP status, a stable code and a message for the caller, plus
 * problem+json extensions. Each module raises its own subclass (`ReportRequestError` …) so callers and
 * tests can tell where it came from; the routes answer all of them alike through `handle`.
 */
export class RequestError extends Error {
  override readonly name: string = 'RequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** Titles of the statuses services answer with (RFC 9110 reason phrases). */
const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The problem+json a refused request is answered with. */
export function problemOf(err: RequestError): HttpProblem {
  return new HttpProblem(err.status, err.code, TITLES[err.status] ?? 'Error', err.message, err.extensions);
}

/** Runs an async route handler, turning the services' `RequestError`s into problem+json. */
export const handle =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  async (req, res) => {
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof RequestError) throw problemOf(err);
      throw err;
    }
  };
