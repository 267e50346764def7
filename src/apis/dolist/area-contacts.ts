// The contacts area of the Dolist API (see area.ts).
import type { Area } from './area.js';

export const contactsArea: Area = () => ({
  handlers: {},
});
