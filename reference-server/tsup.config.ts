import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    main: 'src/main.ts',
    index: 'src/index.ts',
    // The SQLite ingest writer's thread, loaded by src/storage/sqlite/writer.ts from next to the chunks.
    'sqlite-writer': 'src/storage/sqlite/writer-thread.ts',
  },
  format: ['esm'],
  dts: false,
  tsconfig: 'tsconfig.build.json',
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: true,
});
