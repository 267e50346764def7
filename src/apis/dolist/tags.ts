// Tags put on items (targets, forms, messages ...): table `tags` (ID, account, Name, ColorID)
// and `tag_items` (one record per tag on an item: `<TagID>:<ItemType>:<ItemID>`). The platform
// area owns their HTTP; other areas read an item's tags here (`GET /targets/{TargetID}/tags`).
import { Collection } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { Rec } from '../../core/record.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Workspace } from '../../core/workspace.js';
import { dolistError } from './error-catalogue.js';
import { API_ID, dolistFixtures, style } from './style.js';

export interface TagRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  ColorID: number;
  CreateDate: string;
  UpdateDate: string;
}

export interface TagItemRec extends Rec {
  /** `<TagID>:<ItemType>:<ItemID>` */
  id: string;
  account: string;
  TagID: number;
  ItemType: string;
  ItemID: number;
}

export const tagsTable = (ws: Workspace) => ws.table<TagRec>(API_ID, 'tags');
export const tagItemsTable = (ws: Workspace) => ws.table<TagItemRec>(API_ID, 'tag_items');

/** Item types (`GET /tags/itemTypes`): the kinds of object a tag can be put on. */
export const ITEM_TYPES = ['Target', 'Form', 'EmailMessage', 'SmsMessage', 'EmailSending', 'SmsSending', 'Export', 'Import'] as const;

/** The tags on one item of the account, by tag ID. */
export function tagsOfItem(ws: Workspace, account: string, itemType: string, itemId: number): TagRec[] {
  const out: TagRec[] = [];
  for (const link of tagItemsTable(ws).lookup('account', account)) {
    if (link.ItemType.toLowerCase() !== itemType.toLowerCase() || link.ItemID !== itemId) continue;
    const t = tagsTable(ws).peek(String(link.TagID));
    if (t && t.account === account) out.push(t);
  }
  return out.sort((a, b) => a.ID - b.ID);
}

// ---- the platform area's tag rules (HTTP in handlers/platform-tags.ts) ------------------------

export interface TagColorRec extends Rec {
  ID: number;
  Name: string;
  Hex: string;
}
export interface TagItemTypeRec extends Rec {
  ID: number;
  Name: string;
}

const normName = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v);

export function tagCollections(spec: LoadedSpec) {
  const tags = new Collection<TagRec>({
    api: style,
    name: 'tags',
    label: 'tag',
    shape: shapeOf(spec.schemas.Tag),
    partition: 'account',
    uniqueKeys: [{ fields: ['Name'], normalize: normName, code: '1701', field: 'Name', message: (v, clash) => `the tag name ${JSON.stringify(v[0])} is used by tag ${clash.ID}` }],
    codes: { notFound: '1703' },
    errorField: 'TagID',
    search: ['Name'],
    filters: { ColorID: { field: 'ColorID' }, ColorIDList: { field: 'ColorID', op: 'in' }, TagIDList: { field: 'ID', op: 'in' } },
    readOnly: ['ItemCount'],
    fields: { Name: { input: (v) => (typeof v === 'string' ? v.trim() : v) } },
    defaultSort: [{ field: 'ID', desc: false }],
  });
  const reference = <T extends Rec>(name: string, schema: string, notFound: string, errorField: string) =>
    new Collection<T>({ api: style, name, shape: shapeOf(spec.schemas[schema]), resource: { created: null, updated: null }, codes: { notFound }, errorField, search: ['Name'], defaultSort: [{ field: 'ID', desc: false }] });
  return {
    tags,
    colors: reference<TagColorRec>('tag_colors', 'TagColor', '1705', 'ColorID'),
    itemTypes: reference<TagItemTypeRec>('tag_item_types', 'TagItemType', '1706', 'ItemTypeID'),
  };
}
export type TagCollections = ReturnType<typeof tagCollections>;

export function loadTagCatalogues(ws: Workspace, c: TagCollections): void {
  const colors = (dolistFixtures(ws).tagColors ?? []) as Array<{ ID: number; Name: string; Hex: string }>;
  for (const col of colors) c.colors.insert(ws, { Name: col.Name, Hex: col.Hex }, { id: col.ID });
  ITEM_TYPES.forEach((name, i) => c.itemTypes.insert(ws, { Name: name }, { id: i + 1 }));
}

/** A colour of the catalogue, or 404 [1705]. */
export function requireColor(ws: Workspace, id: number): void {
  if (!ws.table(API_ID, 'tag_colors').peek(String(id))) throw dolistError('1705', `no tag colour ${id}`, 'ColorID');
}

/** A tag of the account (read-only), or 404 [1703]. */
export function requireTag(ws: Workspace, account: string, id: number, field = 'TagID'): TagRec {
  const t = tagsTable(ws).peek(String(id));
  if (!t || t.account !== account) throw dolistError('1703', `no tag ${id} in account ${account}`, field);
  return t;
}

/** The item type named (any case) or numbered, in its catalogue spelling; else 404 [1706]. */
export function itemTypeOf(v: unknown, field = 'ItemType'): string {
  const s = String(v ?? '').trim();
  const byId = /^\d+$/.test(s) ? ITEM_TYPES[Number(s) - 1] : undefined;
  const t = byId ?? ITEM_TYPES.find((x) => x.toLowerCase() === s.toLowerCase());
  if (!t) throw dolistError('1706', `unknown item type ${JSON.stringify(v)} (GET /tags/itemTypes: ${ITEM_TYPES.join(', ')})`, field);
  return t;
}

/**
 * Items a tag may be put on must exist where the simulator keeps them: targets (table `targets`,
 * 404 [502]), forms (forms.ts; the reference has no form code: 404 [44]), exports (`exports`,
 * [1301]), imports (`imports`, [318]), messages (`messages`, of the type's channel, [708]) and
 * sendings (`sendings`, [729]).
 */
const ITEM_TABLES: Partial<Record<string, { table: string; code: string; channel?: string }>> = {
  EmailMessage: { table: 'messages', code: '708', channel: 'email' },
  SmsMessage: { table: 'messages', code: '708', channel: 'sms' },
  EmailSending: { table: 'sendings', code: '729', channel: 'email' },
  SmsSending: { table: 'sendings', code: '729', channel: 'sms' },
  Target: { table: 'targets', code: '502' },
  Form: { table: 'forms', code: '44' },
  Export: { table: 'exports', code: '1301' },
  Import: { table: 'imports', code: '318' },
};

export function checkItemExists(ws: Workspace, account: string, itemType: string, itemId: number, field = 'ItemID'): void {
  const where = ITEM_TABLES[itemType];
  if (!where) return;
  const rec = ws.table<Rec>(API_ID, where.table).peek(String(itemId));
  if (!rec || rec.account !== account || rec.IsDeleted === true || (where.channel && rec.Channel !== where.channel)) throw dolistError(where.code, `no ${itemType} ${itemId} in account ${account}`, field);
}

const linkKey = (tagId: number, itemType: string, itemId: number) => `${tagId}:${itemType}:${itemId}`;

export interface ItemRef {
  ItemType: string;
  ItemID: number;
}

/**
 * Puts tags on items (Add), takes them off (Remove) or makes them the items' only tags
 * (Replace). Every tag, type and item is checked before the first write (all or nothing).
 */
export function changeTagItems(ws: Workspace, account: string, tagIds: number[], items: ItemRef[], mode: 'Add' | 'Remove' | 'Replace'): void {
  tagIds.forEach((id, i) => requireTag(ws, account, id, `TagIDList[${i}]`));
  const refs = items.map((it, i) => {
    const type = itemTypeOf(it.ItemType, `ItemList[${i}].ItemType`);
    checkItemExists(ws, account, type, it.ItemID, `ItemList[${i}].ItemID`);
    return { ItemType: type, ItemID: it.ItemID };
  });
  const t = tagItemsTable(ws);
  for (const ref of refs) {
    if (mode === 'Replace') {
      for (const old of tagsOfItem(ws, account, ref.ItemType, ref.ItemID)) if (!tagIds.includes(old.ID)) t.remove(linkKey(old.ID, ref.ItemType, ref.ItemID));
    }
    for (const tagId of tagIds) {
      const key = linkKey(tagId, ref.ItemType, ref.ItemID);
      if (mode === 'Remove') t.remove(key);
      else if (!t.has(key)) t.put({ id: key, account, TagID: tagId, ItemType: ref.ItemType, ItemID: ref.ItemID });
    }
  }
}

/** The items carrying any (or, with `all`, every one) of the tags, by type then id. */
export function taggedItems(ws: Workspace, account: string, tagIds: number[], opts: { itemType?: string; all?: boolean } = {}) {
  tagIds.forEach((id, i) => requireTag(ws, account, id, `TagIDList[${i}]`));
  const byItem = new Map<string, { ItemType: string; ItemID: number; TagIDList: number[] }>();
  for (const link of tagItemsTable(ws).lookup('account', account)) {
    if (opts.itemType && link.ItemType !== opts.itemType) continue;
    const k = `${link.ItemType}:${link.ItemID}`;
    const e = byItem.get(k) ?? { ItemType: link.ItemType, ItemID: link.ItemID, TagIDList: [] };
    e.TagIDList.push(link.TagID);
    byItem.set(k, e);
  }
  const wanted = new Set(tagIds);
  return [...byItem.values()]
    .map((e) => ({ ...e, TagIDList: e.TagIDList.sort((a, b) => a - b) }))
    .filter((e) => (opts.all ? tagIds.every((id) => e.TagIDList.includes(id)) : e.TagIDList.some((id) => wanted.has(id))))
    .sort((a, b) => ITEM_TYPES.indexOf(a.ItemType as (typeof ITEM_TYPES)[number]) - ITEM_TYPES.indexOf(b.ItemType as (typeof ITEM_TYPES)[number]) || a.ItemID - b.ItemID);
}

/** How many items carry the tag. */
export const tagItemCount = (ws: Workspace, tagId: number) => tagItemsTable(ws).countBy('TagID', tagId);

/** A deleted tag leaves every item it was on. */
export function dropTagLinks(ws: Workspace, tagId: number): void {
  for (const link of tagItemsTable(ws).lookup('TagID', tagId)) tagItemsTable(ws).remove(link.id);
}

export function renderTag(ws: Workspace, t: TagRec) {
  return { ID: t.ID, Name: t.Name, ColorID: t.ColorID, ItemCount: tagItemCount(ws, t.ID), CreateDate: t.CreateDate, UpdateDate: t.UpdateDate };
}

/** A tag name is unique (trimmed, any case) in the account: `code` ([1701] on create, [1704] on update) otherwise. */
export function checkTagName(ws: Workspace, account: string, name: unknown, code: '1701' | '1704', exceptId?: number): void {
  if (name === undefined || name === null) return;
  const n = String(name).trim();
  if (!n) throw dolistError('36', 'Name must not be blank', 'Name');
  const clash = tagsTable(ws)
    .lookup('account', account)
    .find((t) => t.ID !== exceptId && t.Name.trim().toLowerCase() === n.toLowerCase());
  if (clash) throw dolistError(code, `the tag name ${n} is used by tag ${clash.ID}`, 'Name');
}
