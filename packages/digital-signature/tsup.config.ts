import { packageConfig } from '../../tsup.config.base.js';

// `src/cli.ts` is the `dttm-verify` executable; it is not part of the importable API.
export default packageConfig({ entry: ['src/index.ts', 'src/cli.ts'] });
