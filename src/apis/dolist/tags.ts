// Tags put on items (targets, forms, messages ...): table `tags` (ID, account, Name, ColorID)
// and `tag_items` (one record per tag on an item: `<TagID>:<ItemType>:<ItemID>`). The platform
// area owns their HTTP; other areas read an item's tags here (`GET /targets/{TargetID}/tags`).
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID } from './style.js';

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
