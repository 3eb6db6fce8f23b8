import {
  DocumentAxis,
  LgspClient,
  oauth2ClientCredentials,
  systemIdSecretKey,
  type AuthStrategy,
} from '@dttm/lgsp-client';
import type { ServerConfig } from '../../config.js';
import type { EventBus } from '../../events/types.js';
import type { Logger } from '../../logger.js';
import type { DocumentRepository } from '../../storage/types.js';
import { DocumentService } from './service.js';
import { loadSigner, loadTrust, type DocumentSigner, type DocumentTrust } from './trust.js';

/** An axis the module talks to when `LGSP_URL` is not set (the demo's simulator). */
export interface DocumentAxisSetup {
  readonly axis: DocumentAxis;
  readonly agency: { readonly organId: string; readonly organName?: string };
  readonly signer: DocumentSigner;
  readonly trust: DocumentTrust;
}

/**
 * The axis account's `X-SystemId`/`X-SecretKey`, plus the gateway's OAuth2 bearer token when one is
 * configured (refreshed on a 401 as `oauth2ClientCredentials` does).
 */
export function lgspAuth(lgsp: NonNullable<ServerConfig['lgsp']>): AuthStrategy {
  const account = systemIdSecretKey({ systemId: lgsp.systemId, secretKey: lgsp.secretKey });
  if (lgsp.oauth2 === undefined) return account;
  const bearer = oauth2ClientCredentials({
    tokenUrl: lgsp.oauth2.tokenUrl,
    consumerKey: lgsp.oauth2.clientId,
    consumerSecret: lgsp.oauth2.clientSecret,
  });
  return {
    name: `${bearer.name}+${account.name}`,
    refreshable: bearer.refreshable,
    async apply(headers, context) {
      await account.apply(headers, context);
      return bearer.apply(headers, context);
    },
  };
}

/**
 * The document module for a configuration: the configured LGSP (`LGSP_URL` and its settings), else
 * the given fallback (the demo's simulator), else none (the endpoints answer 503).
 */
export async function openDocumentService(
  config: ServerConfig,
  deps: {
    readonly repo: DocumentRepository;
    readonly bus: EventBus;
    readonly logger: Logger;
    readonly fallback?: DocumentAxisSetup;
    readonly now?: () => Date;
  },
): Promise<DocumentService | undefined> {
  let setup: DocumentAxisSetup | undefined = deps.fallback;
  const lgsp = config.lgsp;
  const d = config.documents;
  if (lgsp !== undefined && d.signingKeyFile !== undefined && d.signingCertFile !== undefined) {
    setup = {
      axis: new DocumentAxis({
        client: new LgspClient({
          baseUrl: lgsp.url,
          auth: lgspAuth(lgsp),
        }),
        ...(lgsp.axisPath !== undefined ? { basePath: lgsp.axisPath } : {}),
      }),
      agency: {
        organId: lgsp.agencyCode,
        ...(lgsp.agencyName !== undefined ? { organName: lgsp.agencyName } : {}),
      },
      signer: loadSigner(d.signingKeyFile, d.signingCertFile),
      trust: loadTrust(d.trustAnchorsDir),
    };
  }
  if (setup === undefined) return undefined;
  return DocumentService.open({
    repo: deps.repo,
    bus: deps.bus,
    logger: deps.logger,
    ...setup,
    pollIntervalMs: d.pollIntervalMs,
    maxAttachmentBytes: d.maxAttachmentBytes,
    retryBaseDelayMs: d.retryBaseDelayMs,
    retentionDays: d.storeRetentionDays,
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
}
