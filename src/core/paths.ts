// Where commsim's files are: the project root holds specs/, fixtures/, scenarios/ and dist/.
// Every module that reads them resolves from here (this file is in src/core, dist/core, or a
// bundle in dist/<dir>: two levels below the root in each case).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GENERATED_DIR = join(PROJECT_ROOT, 'dist', 'generated');
