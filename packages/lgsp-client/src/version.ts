import { version } from '../package.json';

/** The version of this package, as published. */
export const VERSION: string = version;
