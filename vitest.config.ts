import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

/** Tests import sibling packages from source, so `npm test` needs no build. */
const sub = (name: string, entry: string) =>
  fileURLToPath(new URL(`./packages/${name}/src/${entry}`, import.meta.url));

/** Sub-path entries come first: string aliases match by prefix. */
export const alias = {
  '@dttm/lgsp-client/testing': sub('lgsp-client', 'testing/index.ts'),
  '@dttm/digital-signature/testing': sub('digital-signature', 'testing/index.ts'),
  '@dttm/hl7-fhir-bridge/testing': sub('hl7-fhir-bridge', 'testing/index.ts'),
  '@dttm/camera-vms/testing': sub('camera-vms', 'testing/index.ts'),
  '@dttm/core': pkg('core'),
  '@dttm/ioc-kpi': pkg('ioc-kpi'),
  '@dttm/lgsp-client': pkg('lgsp-client'),
  '@dttm/hl7-fhir-bridge': pkg('hl7-fhir-bridge'),
  '@dttm/digital-signature': pkg('digital-signature'),
  '@dttm/camera-vms': pkg('camera-vms'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'reference-server/src/**/*.test.ts',
      'reference-server/test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
