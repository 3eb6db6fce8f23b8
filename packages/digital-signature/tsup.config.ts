import { packageConfig } from '../../tsup.config.base.js';

// `src/cli.ts` is the `dttm-verify` executable; it is not part of the importable API.
// `src/testing/index.ts` is the `./testing` subpath (the test PKI).
export default packageConfig({ entry: ['src/index.ts', 'src/cli.ts', 'src/testing/index.ts'] });
