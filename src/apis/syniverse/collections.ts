// The SCG collections of a workspace, configured from the spec's resource schemas: table names
// are the resource's plural path segment (as in `/_sim/.../state/syniverse/{collection}`).
import { Collection, type CollectionConfig } from '../../core/engine/collection.js';
import { shapeOf } from '../../core/engine/shape.js';
import type { LoadedSpec } from '../../core/spec.js';
import type { Rec } from '../../core/store.js';
import type { Workspace } from '../../core/workspace.js';
import { fixturesOf } from '../../core/fixtures.js';
import { FAST_ACCESS_TARGETS } from './fast-access.js';
import { API_ID, style } from './style.js';

export interface SynFixtures {
  credit: { balance: number; currency: string };
  applicationId: number;
  limits: {
    indexedFieldLength: number;
    smsBodyLength: number;
    otherBodyLength: number;
    attachmentBytes: number;
    accessTokenTtlSeconds: number;
    pauseExpiryMaxHours: number;
  };
  timings: {
    requestStepMs: number;
    sentAfterMs: number;
    deliveredAfterMs: number;
    readAfterMs: number;
    carrierTimeoutMs: number;
    validityMs: number;
    senderProvisioningMs: number;
    callAnswerMs?: number;
    callHangupMs?: number;
  };
  throttling: { enabled: boolean };
  countries: Record<string, { prefix: string; timezone: string; areaCodes?: string[] }>;
  prices: Record<string, Record<string, number> | number>;
  sender_id_classes: Rec[];
  sender_id_types: Rec[];
  sender_ids: Rec[];
  keywords: Rec[];
  message_templates: Rec[];
  [key: string]: unknown;
}

export const synFixtures = (ws: Workspace) => fixturesOf<SynFixtures>(ws, API_ID);

/** application_id of the workspace's SCG application (a string on some resources). */
export const applicationId = (ws: Workspace) => synFixtures(ws).applicationId;

type Extra<T extends Rec> = Omit<CollectionConfig<T>, 'api' | 'name' | 'shape'>;

export function buildCollections(spec: LoadedSpec) {
  const make = <T extends Rec = Rec>(name: string, schema: string, extra: Extra<T> = {}) => {
    const s = spec.schemas[schema];
    if (!s) throw new Error(`syniverse spec: no schema ${schema}`);
    return new Collection<T>({ api: style, name, shape: shapeOf(s), ...extra });
  };
  const withApp = (ws: Workspace) => ({ application_id: applicationId(ws) });
  const withAppString = (ws: Workspace) => ({ application_id: String(applicationId(ws)) });
  const colls = {
    senderIdClasses: make('sender_id_classes', 'SenderIdClass'),
    senderIdTypes: make('sender_id_types', 'SenderIdType'),
    messageTemplates: make('message_templates', 'MessageTemplate', { uniqueKeys: [['name']], defaults: withApp }),
    senderIds: make('sender_ids', 'SenderId', {
      uniqueKeys: [['address', 'type_id', 'ownership', 'parent_id']],
      readOnly: ['application_id'],
      defaults: (ws) => ({
        ...withApp(ws),
        ownership: 'PRIVATE',
        state: 'PENDING_IMPLEMENTATION',
        consent_managed_by: 'USER',
        check_white_list: false,
      }),
    }),
    channels: make('channels', 'Channel', { uniqueKeys: [['name']], defaults: (ws) => ({ ...withApp(ws), priority: 'normal', ownership: 'PRIVATE' }) }),
    messages: make('messages', 'Message', {
      readOnly: ['state', 'price'],
      // contact_id: the public description's spelling of the seed's contact-id.
      fields: { contact_id: { mirror: 'contact-id' } },
      indexes: ['message_request_id', 'to_address', 'state'],
      defaults: withApp,
    }),
    messageRequests: make('message_requests', 'MessageRequest', {
      uniqueKeys: [['external_id']],
      // A deleted request is gone for the client (the real service answers 404 after DELETE).
      hidden: { field: 'state', values: ['DELETED'] },
      defaults: withAppString,
    }),
    attachments: make('attachments', 'Attachment', { defaults: (ws) => ({ ...withApp(ws), size: 0, state: 'CREATED' }) }),
    keywords: make('keywords', 'Keyword', {
      uniqueKeys: [['value', 'sender_id']],
      defaults: (ws) => ({ ...withApp(ws), case: 'INSENSITIVE', type: 'COMPANY' }),
    }),
    calls: make('calls', 'Call', { readOnly: ['destination_country', 'recording_enabled', 'recordings'], defaults: () => ({ recording_enabled: false, recordings: [] }) }),
    digitsCollectors: make('digits_collectors', 'DigitsCollector', { partition: 'call_id', defaults: withApp }),
    bridges: make('bridges', 'Bridge'),
    conferences: make('conferences', 'Conference', { defaults: withApp }),
    // call_id: the public description's attribute, the linked call kept as _call_id.
    members: make('members', 'ConferenceMember', { partition: 'conference_id', defaults: withApp, fields: { call_id: { mirror: '_call_id' } } }),
    accessTokens: make('access_tokens', 'AccessToken', { defaults: withApp }),
    addressStatuses: make('contact_address_statuses', 'ContactAddressStatus', {
      uniqueKeys: [['address_type', 'address', 'sender_id']],
      readOnly: ['from_address'],
      defaults: (ws) => ({ ...withApp(ws), address_type: 'MDN', consent_status: 'NONE' }),
    }),
    addressHistory: make('contact_address_history', 'ContactAddressHistory', { defaults: withApp }),
    // account_list / device_list: the public description's (and SDKs') names of the seed's customer_* lists.
    contacts: make('contacts', 'Contact', {
      uniqueKeys: [['external_id']],
      defaults: withApp,
      readOnly: ['fast_access', ...FAST_ACCESS_TARGETS, 'is_rcs_capable'],
      fields: {
        customer_account_list: { aliases: ['account_list'] },
        customer_device_list: { aliases: ['device_list'] },
        account_list: { mirror: 'customer_account_list' },
        device_list: { mirror: 'customer_device_list' },
      },
    }),
    // This resource spells its update stamp `last_update_date` (seed).
    applicationTokens: make('application_tokens', 'ContactApplicationToken', { resource: { updated: 'last_update_date' }, partition: '_contact_id', defaults: (ws) => ({ ...withApp(ws), state: 'ACTIVE' }) }),
    fastAccessRules: make('fast_access', 'FastAccessRule', { uniqueKeys: [['target_attribute'], ['target_attribute_name']], defaults: withApp }),
    // state: the public description's name of the seed's status.
    contactGroups: make('contact_groups', 'ContactGroup', { uniqueKeys: [['external_id']], defaults: withApp, fields: { state: { mirror: 'status' } } }),
    importJobs: make('contactimport', 'ContactImportJob', { defaults: withApp }),
    exportJobs: make('contactexport', 'ContactExportJob', { defaults: withApp }),
  };
  return colls;
}

export type SynCollections = ReturnType<typeof buildCollections>;
