// The platform area of the Dolist API (see area.ts): applications, accounts, users, roles,
// rights, tags, variables and forms.
import { applicationsCollection, loadApplications } from './applications.js';
import type { Area } from './area.js';
import { platformHandlers } from './handlers/platform.js';

export const platformArea: Area = (spec) => {
  const applications = applicationsCollection(spec);
  return {
    handlers: platformHandlers({ applications }),
    setup: (ws) => loadApplications(ws, applications),
  };
};
