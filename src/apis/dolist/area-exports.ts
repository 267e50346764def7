// The exports area of the Dolist API (see area.ts).
import type { Area } from './area.js';

export const exportsArea: Area = () => ({
  handlers: {},
});
