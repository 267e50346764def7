// The messages area of the Dolist API (part 2, see area.ts).
import type { Area } from './area.js';

export const messagesArea: Area = () => ({
  handlers: {},
});
