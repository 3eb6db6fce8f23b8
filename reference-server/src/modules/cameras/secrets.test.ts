import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CameraSecrets, loadCameraSecretKey } from './secrets.js';

describe('camera secrets', () => {
  const key = Buffer.alloc(32, 1);

  it('seals and opens a password for its camera only', () => {
    const s = new CameraSecrets(key);
    const sealed = s.seal('BG-0001', 'Mật-khẩu-2026');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('Mật');
    expect(s.open('BG-0001', sealed)).toBe('Mật-khẩu-2026');
    // A fresh IV each time.
    expect(s.seal('BG-0001', 'Mật-khẩu-2026')).not.toBe(sealed);
    // Another camera's id (associated data), another key, or a changed byte do not open it.
    expect(() => s.open('BG-0002', sealed)).toThrow();
    expect(() => new CameraSecrets(Buffer.alloc(32, 2)).open('BG-0001', sealed)).toThrow();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3] ?? '', 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    expect(() => s.open('BG-0001', [...parts.slice(0, 3), data.toString('base64url')].join('.'))).toThrow();
    expect(() => s.open('BG-0001', 'plain')).toThrow('not a sealed camera password');
    expect(() => new CameraSecrets(Buffer.alloc(16))).toThrow('32 bytes');
  });

  it('uses the configured key, or generates one file (0600) once and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ioc-secrets-'));
    try {
      expect(loadCameraSecretKey(key, dir)).toBe(key);
      expect(fs.existsSync(path.join(dir, 'keys'))).toBe(false);
      const a = loadCameraSecretKey(undefined, dir);
      expect(a).toHaveLength(32);
      const file = path.join(dir, 'keys', 'camera-secret.key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(Buffer.from(loadCameraSecretKey(undefined, dir)).equals(Buffer.from(a))).toBe(true);
      fs.writeFileSync(file, 'c2hvcnQ=\n');
      expect(() => loadCameraSecretKey(undefined, dir)).toThrow('does not hold a 32-byte base64 key');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
