// The contacts area of the Dolist API (see area.ts): contacts, their interests, statistics and
// the unsubscribe form; contact fields; interests and interest groups, with their async counts.
import type { Area } from './area.js';
import { fieldsCollection } from './field-definitions.js';
import { contactHandlers } from './handlers/contacts.js';
import { fieldHandlers } from './handlers/fields.js';
import { interestHandlers } from './handlers/interests.js';
import { groupsCollection, interestsCollection } from './interest-catalogue.js';
import { interestCountJobKinds } from './interest-counts.js';

export const contactsArea: Area = (spec) => {
  const fields = fieldsCollection(spec);
  const interests = interestsCollection(spec);
  const groups = groupsCollection(spec);
  return {
    handlers: { ...contactHandlers(spec), ...fieldHandlers(spec, fields), ...interestHandlers(spec, interests, groups) },
    jobKinds: interestCountJobKinds,
  };
};
