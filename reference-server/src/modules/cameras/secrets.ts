import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Seals camera passwords at rest with AES-256-GCM (a random 12-byte IV per value, the 16-byte tag
 * checked on opening). The sealed form is `v1.<iv>.<tag>.<ciphertext>` in base64url; the camera id is
 * the additional authenticated data, so a sealed password copied to another camera does not open.
 */
export class CameraSecrets {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('the camera secret key must have 32 bytes');
    this.#key = Buffer.from(key);
  }

  seal(cameraId: string, password: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(cameraId, 'utf8'));
    const data = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    const b = (x: Buffer) => x.toString('base64url');
    return `v1.${b(iv)}.${b(cipher.getAuthTag())}.${b(data)}`;
  }

  /** The password, or throws when the value was not sealed with this key for this camera. */
  open(cameraId: string, sealed: string): string {
    const [v, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || iv === undefined || tag === undefined || data === undefined)
      throw new Error('not a sealed camera password');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(cameraId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/**
 * The key: the configured one (`CAMERA_SECRET_KEY`, 32 bytes as 64 hex digits or base64), or a key
 * generated once into `DATA_DIR/keys/camera-secret.key` (mode 0600) for the embedded deployment.
 */
export function loadCameraSecretKey(configured: Uint8Array | undefined, dataDir: string): Uint8Array {
  if (configured !== undefined) return configured;
  const file = path.join(dataDir, 'keys', 'camera-secret.key');
  if (fs.existsSync(file)) {
    const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return key;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  fs.writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
