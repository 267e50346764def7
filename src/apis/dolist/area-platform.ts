// The platform area of the Dolist API (see area.ts): applications, accounts, users, roles,
// rights, tags, variables and forms. Reference data (applications, packs, rights, roles, tag
// catalogues) is loaded from the fixtures into collections; users and forms are loaded by
// index.ts (other areas read them).
import { applicationsCollection, loadApplications } from './applications.js';
import type { Area } from './area.js';
import { platformHandlers } from './handlers/platform.js';
import { roleHandlers } from './handlers/platform-roles.js';
import { tagHandlers } from './handlers/platform-tags.js';
import { userHandlers } from './handlers/platform-users.js';
import { variableHandlers } from './handlers/platform-variables.js';
import { loadPacks, packsCollection } from './packs.js';
import { loadRights, rightCollections } from './rights.js';
import { loadRoles, rolesCollection } from './roles.js';
import { loadTagCatalogues, tagCollections } from './tags.js';
import { variablesCollection } from './variables.js';

export const platformArea: Area = (spec) => {
  const applications = applicationsCollection(spec);
  const packs = packsCollection(spec);
  const rights = rightCollections(spec);
  const roles = rolesCollection(spec);
  const tags = tagCollections(spec);
  const variables = variablesCollection(spec);
  return {
    handlers: {
      ...platformHandlers({ applications, packs, roles }),
      ...userHandlers(),
      ...roleHandlers({ roles, rights }),
      ...tagHandlers(tags),
      ...variableHandlers(variables),
    },
    setup: (ws) => {
      loadApplications(ws, applications);
      loadPacks(ws, packs);
      loadRights(ws, rights);
      loadRoles(ws, roles);
      loadTagCatalogues(ws, tags);
    },
  };
};
