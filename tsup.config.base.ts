import { defineConfig, type Options } from 'tsup';

/**
 * Build settings shared by every published package: ESM + CJS + declarations,
 * one entry point, no bundled dependencies (tsup externalises `dependencies`
 * and `peerDependencies`).
 */
export function packageConfig(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    tsconfig: 'tsconfig.build.json',
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
