import { LgspError } from '../errors.js';
import type { components } from '../generated/lgsp.js';
import { toPortalDate } from './date.js';
import {
  DOSSIER_STATUS_MEANINGS,
  type DossierProgress,
  type DossierStatus,
  type PortalAgency,
  type PortalDossier,
  type PortalField,
  type PortalProcedure,
  type PortalProcedureDetail,
  type PortalProcedurePage,
  type PortalWriteResult,
} from './model.js';
import { invalidResponse, isObject, parseJsonResponse, pick, type Json } from '../json-response.js';

type Schemas = components['schemas'];

/** The services of the portal adapter, as named in the `service` field. */
export type PortalService =
  | 'LayDanhSachTTHC'
  | 'LayThuTuc'
  | 'LayDanhMucCoQuan'
  | 'LayDanhMucLinhVuc'
  | 'DongBoHoSoMC'
  | 'CapNhatTienDoHoSoMC';

/** An HTTP request built by a portal codec; the path is relative to the portal's base path. */
export interface PortalRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A successful (2xx) HTTP response given to a portal codec. */
export interface PortalResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly requestId: string;
}

/** A decoded login answer. */
export interface PortalSession {
  readonly token: string;
}

/**
 * How the portal adapter's calls travel over HTTP. Encoders build requests; decoders read 2xx
 * answers and throw `RESPONSE_INVALID` (with `details.field`) for a body they do not understand,
 * `PORTAL_REJECTED` when the portal reports an error and `AUTH_FAILED` (with
 * `details.session: true`) when it reports the session as expired or unknown.
 */
export interface PortalCodec {
  readonly name: string;
  encodeLogin(credentials: { readonly username: string; readonly password: string }): PortalRequest;
  decodeLogin(response: PortalResponse): PortalSession;
  /** A service call carrying the session token and the service's parameters. */
  encodeService(
    service: PortalService,
    session: string,
    params: Readonly<Record<string, unknown>>,
  ): PortalRequest;
  decodeProcedures(response: PortalResponse, page: number): PortalProcedurePage;
  decodeProcedure(response: PortalResponse): PortalProcedureDetail;
  decodeAgencies(response: PortalResponse): PortalAgency[];
  decodeFields(response: PortalResponse): PortalField[];
  /**
   * The parameters of `DongBoHoSoMC` for one dossier. `repeat` is true when an earlier attempt of
   * the same sync may have been stored by the portal (a network error, timeout or 5xx): the
   * parameters must then not create a second dossier.
   */
  dossierParams(dossier: PortalDossier, options?: { readonly repeat?: boolean }): Record<string, unknown>;
  /** The parameters of `CapNhatTienDoHoSoMC` for one progress step. */
  progressParams(progress: DossierProgress): Record<string, unknown>;
  decodeWrite(service: PortalService, response: PortalResponse): PortalWriteResult;
}

/** Options of {@link defaultPortalCodec}. */
export interface DefaultPortalCodecOptions {
  /** Path of the login call. Default `/login`. */
  readonly loginPath?: string;
  /** Path of every service call. Default `/service`. */
  readonly servicePath?: string;
  /** Result codes (`error_code`) meaning an expired or unknown session. Default `["401"]`. */
  readonly sessionErrorCodes?: readonly string[];
}

function nfc<T>(value: T): T {
  if (typeof value === 'string') return value.normalize('NFC') as T;
  if (Array.isArray(value)) return value.map(nfc) as T;
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nfc(v)])) as T;
  }
  return value;
}

function invalid(operation: string, field: string, message: string, response: PortalResponse): LgspError {
  return invalidResponse(operation, field, message, response);
}

function parseJson(operation: string, response: PortalResponse): unknown {
  return nfc(parseJsonResponse(operation, response));
}

const RESULT_CODE = ['error_code', 'errorCode', 'maLoi'];
const MESSAGE = ['message', 'error_message', 'errorMessage', 'moTa'];
const WRAPPERS = ['data', 'result'];

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Reads the result code of an object answer (top level, or inside a `data`/`result` wrapper object):
 * `0` is success; a session code is `AUTH_FAILED`; any other code is `PORTAL_REJECTED`; no code is
 * `RESPONSE_INVALID`. Returns the object that carried the code.
 */
function checkResult(
  operation: string,
  body: Json,
  response: PortalResponse,
  sessionCodes: ReadonlySet<string>,
): Json {
  const candidates = [body, ...WRAPPERS.map((w) => pick(body, [w])).filter(isObject)];
  for (const obj of candidates) {
    const code = text(pick(obj, RESULT_CODE));
    if (code === undefined) continue;
    if (code === '0') return obj;
    const message = text(pick(obj, MESSAGE)) ?? '';
    if (sessionCodes.has(code)) {
      throw new LgspError(
        'AUTH_FAILED',
        `${operation}: the portal session is expired or unknown (${code} ${message}) / phiên làm việc hết hạn`,
        {
          details: {
            operation,
            session: true,
            resultCode: code,
            status: response.status,
            requestId: response.requestId,
          },
        },
      );
    }
    throw new LgspError(
      'PORTAL_REJECTED',
      `${operation} was refused by the portal: ${code} ${message} / cổng dịch vụ công từ chối ${operation}: ${message}`,
      {
        details: {
          operation,
          resultCode: code,
          message,
          status: response.status,
          requestId: response.requestId,
        },
      },
    );
  }
  throw invalid(operation, 'error_code', 'no result code', response);
}

/** The list of a list answer: a bare array, or an array under `data`/`result`/`items` (one level deep). */
function listOf(
  operation: string,
  response: PortalResponse,
  sessionCodes: ReadonlySet<string>,
): { items: unknown[]; field: string; holder: Json | undefined } {
  const body = parseJson(operation, response);
  if (Array.isArray(body)) return { items: body, field: '', holder: undefined };
  if (!isObject(body)) throw invalid(operation, '(body)', 'not a JSON object or array', response);
  checkResult(operation, body, response, sessionCodes);
  const names = ['data', 'result', 'items'];
  for (const name of names) {
    const value = pick(body, [name]);
    if (Array.isArray(value)) return { items: value, field: name, holder: body };
    if (isObject(value)) {
      for (const inner of names) {
        const list = pick(value, [inner]);
        if (Array.isArray(list)) return { items: list, field: `${name}.${inner}`, holder: value };
      }
    }
  }
  throw invalid(operation, 'data', 'no list', response);
}

function path(field: string, i: number, name: string): string {
  return field === '' ? `[${i}].${name}` : `${field}[${i}].${name}`;
}

interface Entry {
  readonly code: string;
  readonly name: string;
  readonly item: Json;
}

function entries(
  operation: string,
  response: PortalResponse,
  sessionCodes: ReadonlySet<string>,
  codeNames: readonly string[],
  nameNames: readonly string[],
): { list: Entry[]; holder: Json | undefined } {
  const { items, field, holder } = listOf(operation, response, sessionCodes);
  const list = items.map((item, i) => {
    if (!isObject(item))
      throw invalid(operation, path(field, i, codeNames[0] ?? 'code'), 'not an object', response);
    const code = text(pick(item, codeNames));
    if (code === undefined)
      throw invalid(operation, path(field, i, codeNames[0] ?? 'code'), 'missing', response);
    const name = text(pick(item, nameNames));
    if (name === undefined)
      throw invalid(operation, path(field, i, nameNames[0] ?? 'name'), 'missing', response);
    return { code, name, item };
  });
  return { list, holder };
}

function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  const t = text(value);
  return (t === undefined ? {} : { [key]: t }) as { [P in K]?: string };
}

function procedure(e: Entry): PortalProcedure {
  return {
    code: e.code,
    name: e.name,
    ...optional('fieldCode', pick(e.item, ['MaLinhVuc'])),
    ...optional('agencyCode', pick(e.item, ['MaCoQuan'])),
    ...optional('level', pick(e.item, ['MucDo'])),
    raw: e.item,
  };
}

function dossierError(field: string, message: string): LgspError<'DOSSIER_INVALID'> {
  return new LgspError('DOSSIER_INVALID', `${field}: ${message} / trường ${field} không hợp lệ`, {
    details: { field },
  });
}

function required(value: string | undefined, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw dossierError(field, 'required');
  return value.normalize('NFC').trim();
}

function status(value: string, field: string): DossierStatus {
  if (!Object.hasOwn(DOSSIER_STATUS_MEANINGS, value))
    throw dossierError(field, `unknown status ${JSON.stringify(value)}`);
  return value as DossierStatus;
}

function date(value: Date | undefined, field: string): string | undefined {
  return value === undefined ? undefined : toPortalDate(value, field);
}

function compact(obj: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

/**
 * The default codec. Every call is a `POST` of JSON:
 *
 * - login: `POST /login` `{"username","password"}` → `{"error_code":0,"session":"…"}`;
 * - services: `POST /service` `{"session","service", …parameters}` → `{"error_code":0,"message","data"}`;
 *   `LayDanhSachTTHC` takes `page`/`pageSize` and answers `data: [...]` with an optional `total`;
 *   `LayThuTuc` takes `maTTHC` and answers `data: {…}`; `DongBoHoSoMC` sends
 *   `{"isUpdating": version > 1, "data": [dossier]}` (`isUpdating: true` also on a repeat after a
 *   failure that may have been stored, so that the portal replaces rather than adds); `CapNhatTienDoHoSoMC` sends `{"data": [step]}`.
 *
 * Tolerated on input: any case and `_`/`-` in field names, `data`/`result` wrappers, bare arrays for
 * lists, numbers for codes, `token`/`sessionId` for `session`. Dates travel as `yyyyMMddHHmmss` in
 * Vietnam time; text is NFC on both sides.
 */
export function defaultPortalCodec(options: DefaultPortalCodecOptions = {}): PortalCodec {
  const loginPath = options.loginPath ?? '/login';
  const servicePath = options.servicePath ?? '/service';
  const sessionCodes = new Set(options.sessionErrorCodes ?? ['401']);
  const headers = { 'content-type': 'application/json; charset=utf-8', accept: 'application/json' };
  const post = (p: string, body: unknown): PortalRequest => ({
    method: 'POST',
    path: p,
    headers,
    body: JSON.stringify(nfc(body)),
  });

  return {
    name: 'default',

    encodeLogin(credentials) {
      return post(loginPath, {
        username: credentials.username,
        password: credentials.password,
      } satisfies Schemas['PortalLoginRequest']);
    },

    decodeLogin(response) {
      const body = parseJson('login', response);
      if (!isObject(body)) throw invalid('login', '(body)', 'not a JSON object', response);
      const holder = checkResult('login', body, response, sessionCodes);
      const names = ['session', 'token', 'sessionId', 'access_token'];
      for (const obj of [holder, body, ...WRAPPERS.map((w) => pick(body, [w])).filter(isObject)]) {
        const token = text(pick(obj, names));
        if (token !== undefined) return { token };
      }
      throw invalid('login', 'session', 'no session token', response);
    },

    encodeService(service, session, params) {
      return post(servicePath, { session, service, ...params });
    },

    decodeProcedures(response, page) {
      const { list, holder } = entries(
        'LayDanhSachTTHC',
        response,
        sessionCodes,
        ['MaTTHC', 'Ma'],
        ['TenTTHC', 'Ten'],
      );
      const totalValue = holder === undefined ? undefined : pick(holder, ['total', 'tongSo']);
      let total: number | undefined;
      if (totalValue !== undefined) {
        total = Number(totalValue);
        if (!Number.isInteger(total) || total < 0)
          throw invalid('LayDanhSachTTHC', 'total', 'not a count', response);
      }
      return { items: list.map(procedure), page, ...(total === undefined ? {} : { total }) };
    },

    decodeProcedure(response) {
      const body = parseJson('LayThuTuc', response);
      if (!isObject(body)) throw invalid('LayThuTuc', '(body)', 'not a JSON object', response);
      checkResult('LayThuTuc', body, response, sessionCodes);
      let item = pick(body, ['data', 'result']);
      let field = 'data';
      if (Array.isArray(item)) {
        if (item.length !== 1)
          throw invalid('LayThuTuc', 'data', `${item.length} procedures instead of one`, response);
        item = item[0];
        field = 'data[0]';
      }
      if (!isObject(item)) throw invalid('LayThuTuc', field, 'no procedure', response);
      const code = text(pick(item, ['MaTTHC', 'Ma']));
      if (code === undefined) throw invalid('LayThuTuc', `${field}.MaTTHC`, 'missing', response);
      const name = text(pick(item, ['TenTTHC', 'Ten']));
      if (name === undefined) throw invalid('LayThuTuc', `${field}.TenTTHC`, 'missing', response);
      return {
        ...procedure({ code, name, item }),
        ...optional('processingTime', pick(item, ['ThoiHanGiaiQuyet'])),
        ...optional('steps', pick(item, ['TrinhTuThucHien'])),
        ...optional('fees', pick(item, ['PhiLePhi'])),
      };
    },

    decodeAgencies(response) {
      const { list } = entries(
        'LayDanhMucCoQuan',
        response,
        sessionCodes,
        ['MaCoQuan', 'Ma'],
        ['TenCoQuan', 'Ten'],
      );
      return list.map((e) => ({
        code: e.code,
        name: e.name,
        ...optional('parentCode', pick(e.item, ['MaCoQuanCha'])),
        raw: e.item,
      }));
    },

    decodeFields(response) {
      const { list } = entries(
        'LayDanhMucLinhVuc',
        response,
        sessionCodes,
        ['MaLinhVuc', 'Ma'],
        ['TenLinhVuc', 'Ten'],
      );
      return list.map((e) => ({
        code: e.code,
        name: e.name,
        ...optional('sectorCode', pick(e.item, ['MaNganh'])),
        raw: e.item,
      }));
    },

    dossierParams(d, dossierOptions = {}) {
      if (!Number.isInteger(d.version) || d.version < 1) throw dossierError('version', 'a positive integer');
      const item: Schemas['PortalDossier'] = compact({
        MaHoSo: required(d.code, 'code'),
        MaTTHC: required(d.procedureCode, 'procedureCode'),
        MaCoQuan: required(d.receivingAgency, 'receivingAgency'),
        TrangThaiHoSo: status(d.status, 'status'),
        ChuHoSo: required(d.applicant.name, 'applicant.name'),
        SoGiayToChuHoSo: d.applicant.idNumber,
        SoDienThoai: d.applicant.phone,
        Email: d.applicant.email,
        DiaChi: d.applicant.address,
        TrichYeuHoSo: d.summary,
        KenhThucHien: d.channel,
        NgayTiepNhan: toPortalDate(d.receivedAt, 'receivedAt'),
        NgayHenTra: date(d.dueAt, 'dueAt'),
        NgayNopHoSo: date(d.submittedAt, 'submittedAt'),
        NgayKetThucXuLy: date(d.finishedAt, 'finishedAt'),
      }) as Schemas['PortalDossier'];
      return { isUpdating: d.version > 1 || dossierOptions.repeat === true, data: [item] };
    },

    progressParams(p) {
      const item: Schemas['PortalDossierProgress'] = compact({
        MaHoSo: required(p.dossierCode, 'dossierCode'),
        NguoiXuLy: required(p.handler, 'handler'),
        ChucDanh: p.position,
        PhongBanXuLy: p.department,
        ThoiDiemXuLy: toPortalDate(p.at, 'at'),
        NoiDungXuLy: required(p.content, 'content'),
        TrangThai: status(p.status, 'status'),
        NgayBatDau: date(p.startedAt, 'startedAt'),
        NgayKetThucTheoQuyDinh: date(p.dueAt, 'dueAt'),
      }) as Schemas['PortalDossierProgress'];
      return { data: [item] };
    },

    decodeWrite(service, response) {
      const body = parseJson(service, response);
      if (!isObject(body)) throw invalid(service, '(body)', 'not a JSON object', response);
      const holder = checkResult(service, body, response, sessionCodes);
      const message = text(pick(holder, MESSAGE));
      return { ...(message === undefined ? {} : { message }), raw: body };
    },
  };
}
