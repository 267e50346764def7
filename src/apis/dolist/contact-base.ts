// The generated contact base of a fresh workspace: per account of the fixtures, `contactBase`
// contacts drawn with faker (French locale) seeded from the workspace RNG, so two workspaces
// with the same seed have the same people. Every contact has an email address (field 7), its
// status (field 72: mostly "1" valid, some hard bounces and unsubscribes as `contactBaseStatuses`
// says), names, a mobile number for most, a city, some interests, and dates in the last year.
import { faker } from '@faker-js/faker/locale/fr';
import type { Workspace } from '../../core/workspace.js';
import { createContact, contactsTable, ORIGIN } from './contacts.js';
import { accountGroups, accountInterests } from './interests.js';
import { accountKey, dolistFixtures } from './style.js';

export function loadContactBase(ws: Workspace): void {
  const fx = dolistFixtures(ws);
  const ids = fx.standardFieldIds;
  faker.seed(ws.rng.uint32());
  const year = 365 * 24 * 3600 * 1000;
  for (const [accountId, size] of Object.entries(fx.contactBase)) {
    const account = accountKey(accountId);
    const interests = accountInterests(ws, account);
    const singleChoice = new Set(accountGroups(ws, account).filter((g) => g.Style === 'Radio' || g.Style === 'Select').map((g) => g.ID));
    const used = new Set<string>();
    for (let n = 0; n < size; n++) {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      let email = faker.internet.email({ firstName: first, lastName: last }).toLowerCase();
      while (used.has(email)) email = `${n}.${email}`;
      used.add(email);
      const values = [
        { ID: ids.email, Value: email },
        { ID: ids.firstName, Value: first },
        { ID: ids.lastName, Value: last },
        { ID: ids.title, Value: faker.helpers.arrayElement(['M.', 'Mme']) },
        { ID: ids.city, Value: faker.location.city() },
        { ID: ids.zip, Value: faker.location.zipCode('#####') },
      ];
      if (faker.number.int(9) > 1) values.push({ ID: ids.mobile, Value: `+336${faker.string.numeric(8)}` });
      const c = createContact(ws, account, values, { origin: ORIGIN.Import });
      // A status other than valid for a share of the base, and a few interests each.
      const r = faker.number.float();
      let acc = 0;
      let status = '1';
      for (const [value, share] of Object.entries(fx.contactBaseStatuses)) {
        acc += share;
        if (r < acc) {
          status = value;
          break;
        }
      }
      const w = contactsTable(ws).get(c.id)!;
      const created = new Date(ws.now() - faker.number.int(year)).toISOString();
      w.CreateDate = created;
      w.UpdateDate = created;
      w.SubscribeDate = created;
      w.Values = { ...w.Values, [String(ids.emailStatus)]: status };
      if (status === '7') w.UnsubscribeDate = new Date(Date.parse(created) + faker.number.int(Math.max(1, ws.now() - Date.parse(created)))).toISOString();
      if (interests.length) {
        const links: typeof w.Interests = {};
        // One interest per single-choice group (Radio, Select): later draws of the same group are
        // dropped, after the draw, so the generated base stays the same draw for draw.
        const taken = new Set<number>();
        for (const i of faker.helpers.arrayElements(interests, faker.number.int(Math.min(3, interests.length)))) {
          if (singleChoice.has(i.GroupID) && taken.has(i.GroupID)) continue;
          taken.add(i.GroupID);
          links[String(i.ID)] = { Origin: ORIGIN.Import, Date: created };
        }
        w.Interests = links;
      }
      contactsTable(ws).put(w);
    }
  }
}
