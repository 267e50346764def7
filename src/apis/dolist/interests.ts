// Interests and interest groups: an account's groups each hold interests; contacts carry the
// interests they have (`ContactRec.Interests`, with the origin that set them). Both are soft
// deleted (`IsDeleted`, `Undo`). Tables `interest_groups` and `interests`, keyed by ID (one
// counter per resource for all accounts), partitioned by `account`.
import { reserveInSequence, sequenceKey } from '../../core/engine/ids.js';
import type { Rec } from '../../core/record.js';
import type { Workspace } from '../../core/workspace.js';
import { API_ID, accountKey, dolistFixtures, ID_START } from './style.js';

export interface InterestGroupRec extends Rec {
  id: string;
  ID: number;
  account: string;
  Name: string;
  GroupType: string;
  /** Display style: Checkbox (several interests per contact), Radio / Select (one). */
  Style: string;
  IsActive: boolean;
  IsReadOnly: boolean;
  IsUpdateOnly: boolean;
  Position: number;
  IsDeleted: boolean;
  CreateDate: string;
  UpdateDate: string;
  CreateOrigin: number;
  UpdateOrigin: number;
  /** When it was soft deleted (its interests deleted with it carry the same instant). */
  DeletedAt?: string | null;
  /** The last `.../count/async` result. */
  LastCountContacts?: number;
  LastCountTargetID?: number | null;
  LastCountDate?: string;
}

export interface InterestRec extends Rec {
  id: string;
  ID: number;
  account: string;
  GroupID: number;
  Name: string;
  IsReadOnly: boolean;
  /** 1-based within the group. */
  Position: number;
  IsDeleted: boolean;
  CreateDate: string;
  UpdateDate: string;
  CreateOrigin: number;
  UpdateOrigin: number;
  /** When it was soft deleted (with its group, or alone). */
  DeletedAt?: string | null;
  /** The last `.../count/async` result. */
  LastCountContacts?: number;
  LastCountTargetID?: number | null;
  LastCountDate?: string;
}

export const groupsTable = (ws: Workspace) => ws.table<InterestGroupRec>(API_ID, 'interest_groups');
export const interestsTable = (ws: Workspace) => ws.table<InterestRec>(API_ID, 'interests');

/** A live interest of the account (read-only view), or undefined. */
export function findInterest(ws: Workspace, account: string, id: number): InterestRec | undefined {
  const r = interestsTable(ws).peek(String(id));
  return r && r.account === account && !r.IsDeleted ? r : undefined;
}

/** A live group of the account (read-only view), or undefined. */
export function findGroup(ws: Workspace, account: string, id: number): InterestGroupRec | undefined {
  const r = groupsTable(ws).peek(String(id));
  return r && r.account === account && !r.IsDeleted ? r : undefined;
}

/** The live interests of an account (optionally of one group), by group then Position. */
export function accountInterests(ws: Workspace, account: string, groupId?: number): InterestRec[] {
  return interestsTable(ws)
    .lookup('account', account)
    .filter((i) => !i.IsDeleted && (groupId === undefined || i.GroupID === groupId))
    .sort((a, b) => a.GroupID - b.GroupID || a.Position - b.Position || a.ID - b.ID);
}

export function accountGroups(ws: Workspace, account: string): InterestGroupRec[] {
  return groupsTable(ws)
    .lookup('account', account)
    .filter((g) => !g.IsDeleted)
    .sort((a, b) => a.Position - b.Position || a.ID - b.ID);
}

/** Loads the fixtures' groups and interests (origin Extranet: made in the vendor's UI). */
export function loadInterests(ws: Workspace): void {
  const fx = dolistFixtures(ws);
  const now = new Date(ws.now()).toISOString();
  for (const [accountId, groups] of Object.entries(fx.interestGroups)) {
    const account = accountKey(accountId);
    groups.forEach((g, gi) => {
      groupsTable(ws).put({
        id: String(g.ID),
        ID: g.ID,
        account,
        Name: g.Name,
        GroupType: g.GroupType ?? 'Standard',
        Style: g.Style ?? 'Checkbox',
        IsActive: true,
        IsReadOnly: Boolean(g.IsReadOnly),
        IsUpdateOnly: Boolean(g.IsUpdateOnly),
        Position: gi + 1,
        IsDeleted: false,
        CreateDate: now,
        UpdateDate: now,
        CreateOrigin: 2,
        UpdateOrigin: 2,
      });
      g.interests.forEach((i, ii) =>
        interestsTable(ws).put({
          id: String(i.ID),
          ID: i.ID,
          account,
          GroupID: g.ID,
          Name: i.Name,
          IsReadOnly: Boolean(i.IsReadOnly),
          Position: ii + 1,
          IsDeleted: false,
          CreateDate: now,
          UpdateDate: now,
          CreateOrigin: 2,
          UpdateOrigin: 2,
        }),
      );
      // Ids made through the API come after the fixtures' ones.
      reserveInSequence(ws, sequenceKey(API_ID, 'interest_groups'), g.ID, ID_START.interestGroups);
      for (const i of g.interests) reserveInSequence(ws, sequenceKey(API_ID, 'interests'), i.ID, ID_START.interests);
    });
  }
}
