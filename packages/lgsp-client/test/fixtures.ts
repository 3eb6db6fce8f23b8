import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EdxmlAttachment, EdxmlDocument } from '../src/index.js';

export const conformanceDir = fileURLToPath(
  new URL('../../../specs/conformance/lgsp-client/', import.meta.url),
);

export function readConformance(path: string): string {
  return readFileSync(`${conformanceDir}${path}`, 'utf8');
}

interface JsonAttachment extends Omit<EdxmlAttachment, 'content'> {
  contentBase64: string;
}

/** Loads a JSON model fixture, turning `contentBase64` into `content` bytes. */
export function loadModel(path: string): EdxmlDocument & Record<string, unknown> {
  const json = JSON.parse(readConformance(path)) as EdxmlDocument<JsonAttachment> & Record<string, unknown>;
  return {
    ...json,
    attachments: json.attachments.map(({ contentBase64, ...rest }) => ({
      ...rest,
      content: new Uint8Array(Buffer.from(contentBase64, 'base64')),
    })),
  };
}
