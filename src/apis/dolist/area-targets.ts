// The targets area of the Dolist API (see area.ts).
import type { Area } from './area.js';

export const targetsArea: Area = () => ({
  handlers: {},
});
