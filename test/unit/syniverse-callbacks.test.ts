// Syniverse's own event payloads (ESS): each simulated event kind mapped to the event type and
// fields Syniverse's event guides name, and the delivery envelope.
import { describe, expect, it } from 'vitest';
import type { SimEvent } from '../../src/core/journal.js';
import {
  callEvent,
  conferenceMemberEvent,
  essEnvelope,
  essEventId,
  EVENT_TYPES,
  messageReason,
  messageRequestStateChange,
  messageStateChange,
  moMessageReceived,
  playbackEvent,
  topicOf,
  toSyniverseEvent,
  TOPICS,
  type CallbackFacts,
} from '../../src/apis/syniverse/callbacks.js';

const AT = '2026-01-05T12:00:03.000Z';
const ev = (type: string, data: Record<string, unknown>): SimEvent => ({ id: 'e7', seq: 7, at: AT, api: 'syniverse', type, data });
const base: CallbackFacts = { applicationId: 1000, companyId: 42 };
const sender = { id: 'snd1', name: 'Gladiator', address: '+15550100001' };

describe('message_state_change', () => {
  const message = {
    id: 'm1',
    direction: 'MT',
    message_request_id: 'r1',
    external_message_request_id: 'ext-9',
    customer_sender_id: 'snd1',
    from_address: '+15550100001',
    to_address: '+15551230001',
    attachments: ['a1', 'a2'],
    price: 0.0075,
    _segments: 2,
  };
  const data = {
    message_id: 'm1',
    message_request_id: 'r1',
    direction: 'MT',
    state: 'DELIVERED',
    previous_state: 'SENT',
    from_address: '+15550100001',
    to_address: '+15551230001',
    failure_code: null,
    failure_details: null,
    version_number: 3,
  };

  it('a delivery receipt carries the catalogue fields', () => {
    expect(messageStateChange(ev('message_state_change', data), { ...base, message, sender })).toEqual({
      type: 'message_state_change',
      data: {
        previous_state: 'SENT',
        message_request_id: 'r1',
        message_id: 'm1',
        to_address: '+15551230001',
        has_attachment: true,
        attachment_ids: 'a1,a2',
        reason_code: '200',
        reason_description: 'SUCCESS',
        application_id: 1000,
        'company-id': 42,
        sender_id_alias: 'Gladiator',
        sender_id_id: 'snd1',
        external_message_request_id: 'ext-9',
        new_state: 'DELIVERED',
        fragments_count: 2,
        from_address: '+15550100001',
        mt_price: 0.0075,
      },
    });
  });

  it('the first state has no previous_state; no attachment and no external id read as false and ""', () => {
    const m = { ...message, attachments: null, external_message_request_id: null, price: 0, _segments: undefined };
    const out = messageStateChange(ev('message_state_change', { ...data, state: 'CREATED', previous_state: null }), { ...base, message: m, sender }).data;
    expect(out).not.toHaveProperty('previous_state');
    expect(out).not.toHaveProperty('attachment_ids');
    expect(out).toMatchObject({ new_state: 'CREATED', has_attachment: false, external_message_request_id: '', fragments_count: 1, mt_price: 0 });
  });

  it('failures carry the asynchronous failure codes of the registry', () => {
    const failed = (failure_code: unknown, failure_details: unknown, state = 'FAILED') =>
      messageStateChange(ev('message_state_change', { ...data, state, previous_state: 'SENT', failure_code, failure_details }), { ...base, message, sender }).data;
    expect(failed('OTHER', 'Undeliverable')).toMatchObject({ new_state: 'FAILED', reason_code: '1009', reason_description: 'Undeliverable' });
    expect(failed('INVALID_RECIPIENT', null)).toMatchObject({ reason_code: '1002', reason_description: 'Invalid recipient address or address format' });
    expect(failed('NO_CONSENT', 'opted out')).toMatchObject({ reason_code: '1005', reason_description: 'opted out' });
    expect(failed(null, 'no delivery receipt within the validity period', 'EXPIRED')).toMatchObject({ new_state: 'EXPIRED', reason_code: '1007' });
    expect(failed('1039', 'Throttling error')).toMatchObject({ reason_code: '1039', reason_description: 'Throttling error' });
    expect(failed('SOMETHING_NEW', null)).toMatchObject({ reason_code: '1009', reason_description: 'Message delivery failure' });
    expect(messageReason('READ', null, null)).toEqual({ reason_code: '200', reason_description: 'SUCCESS' });
  });

  it('an MO message state change carries mo_price, not mt_price', () => {
    const mo = { id: 'm2', direction: 'MO', customer_sender_id: 'snd1', from_address: '+15551230030', to_address: '+15550100001', price: 0 };
    const out = messageStateChange(ev('message_state_change', { message_id: 'm2', direction: 'MO', state: 'PROCESSED', previous_state: 'RECEIVED' }), { ...base, message: mo, sender }).data;
    expect(out).toMatchObject({ new_state: 'PROCESSED', previous_state: 'RECEIVED', mo_price: 0, from_address: '+15551230030' });
    expect(out).not.toHaveProperty('mt_price');
    expect(out).not.toHaveProperty('message_request_id');
  });
});

describe('mo_message_received', () => {
  it('carries the body, sender id and account of the inbound message', () => {
    const message = { id: 'm3', direction: 'MO', type: 'SMS', customer_sender_id: 'snd1', from_address: '+15551230030', to_address: '+15550100001', body: 'Help', price: 0 };
    const out = moMessageReceived(
      ev('mo_message_received', { message_id: 'm3', from_address: '+15551230030', to_address: '+15550100001', body: 'Help', sender_id: 'snd1', reply_to: null, keyword: null }),
      { ...base, message, sender },
    );
    expect(out).toEqual({
      type: 'mo_message_received',
      data: {
        message_id: 'm3',
        to_address: '+15550100001',
        from_address: '+15551230030',
        has_attachment: false,
        application_id: 1000,
        'company-id': 42,
        sender_id_alias: 'Gladiator',
        sender_id_id: 'snd1',
        message_body: 'Help',
        message_body_truncated: false,
        fragments_count: 1,
        mo_price: 0,
      },
    });
    const long = 'x'.repeat(161);
    expect(moMessageReceived(ev('mo_message_received', { message_id: 'm4', body: long }), { ...base, message: { ...message, body: long } }).data.fragments_count).toBe(2);
  });
});

describe('message_request_state_change', () => {
  it('carries the states and the external id; a rejection its reason', () => {
    const request = { id: 'r1', external_id: 'ext-9' };
    expect(messageRequestStateChange(ev('message_request_state_change', { message_request_id: 'r1', state: 'TRANSMITTING', previous_state: 'SUBMITTED' }), { ...base, request })).toEqual({
      type: 'message_request_state_change',
      data: {
        previous_state: 'SUBMITTED',
        message_request_id: 'r1',
        reason_code: '200',
        reason_description: 'SUCCESS',
        application_id: 1000,
        'company-id': 42,
        external_message_request_id: 'ext-9',
        new_state: 'TRANSMITTING',
      },
    });
    const rejected = messageRequestStateChange(ev('message_request_state_change', { message_request_id: 'r2', state: 'REJECTED', previous_state: 'SUBMITTED', reason: 'no valid recipient' }), base).data;
    expect(rejected).toMatchObject({ new_state: 'REJECTED', reason_code: '1009', reason_description: 'no valid recipient', external_message_request_id: '' });
  });
});

describe('call events', () => {
  const call = { id: 'c1', external_id: 'crm-1', direction: 'OUT', from: 'snd1', from_address: '+15550100001', to_address: '+15551239201', chargeable_duration: 0, price: 0 };
  const change = (data: Record<string, unknown>, c: Record<string, unknown>) => callEvent(ev('call_state_change', { call_id: 'c1', to_address: '+15551239201', ...data }), { ...base, call: c });

  it('call_state_change carries the states, duration and price of the call', () => {
    expect(change({ state: 'COMPLETED', previous_state: 'ACTIVE' }, { ...call, state: 'COMPLETED', chargeable_duration: 75, price: 0.04 })).toEqual({
      type: 'call_state_change',
      data: {
        call_id: 'c1',
        from_address: '+15550100001',
        to_address: '+15551239201',
        reason_code: '200',
        reason_description: 'SUCCESS',
        application_id: 1000,
        previous_state: 'ACTIVE',
        new_state: 'COMPLETED',
        external_call_id: 'crm-1',
        call_duration: 75,
        call_price: 0.04,
      },
    });
    const started = change({ state: 'STARTED', previous_state: null }, { ...call, external_id: null }).data;
    expect(started).not.toHaveProperty('previous_state');
    expect(started).toMatchObject({ new_state: 'STARTED', external_call_id: '', call_duration: 0, call_price: 0 });
  });

  it('a refused call carries its cause', () => {
    expect(change({ state: 'REJECTED', previous_state: 'STARTED' }, { ...call, failure_code: 'BUSY', failure_details: 486 }).data).toMatchObject({
      new_state: 'REJECTED',
      reason_code: '486',
      reason_description: 'BUSY',
    });
  });

  it('the first event of an inbound call is call_incoming_received', () => {
    const inbound = { ...call, direction: 'IN', from_address: '+15551239999', to_address: '+15550100001' };
    expect(callEvent(ev('call_state_change', { call_id: 'c1', state: 'STARTED', previous_state: null, to_address: '+15550100001' }), { ...base, call: inbound })).toEqual({
      type: 'call_incoming_received',
      data: { call_id: 'c1', from_address: '+15551239999', to_address: '+15550100001', reason_code: '200', reason_description: 'SUCCESS', application_id: 1000 },
    });
    expect(callEvent(ev('call_state_change', { call_id: 'c1', state: 'ACTIVE', previous_state: 'STARTED' }), { ...base, call: inbound }).type).toBe('call_state_change');
  });

  it('playbacks: tts or audio on a call, a bridge or a conference member; none on a conference', () => {
    const started = (kind: string) => ev('playback_started', { playback_id: 'p1', target: 'x', kind });
    expect(playbackEvent(started('tts'), { ...base, call })).toEqual({
      type: 'call_tts_state_change',
      data: { call_id: 'c1', state: 'playing', application_id: 1000, call_external_id: 'crm-1' },
    });
    expect(playbackEvent(ev('playback_finished', { playback_id: 'p1', target: 'c1', kind: 'audio' }), { ...base, call })).toMatchObject({
      type: 'call_playback_state_change',
      data: { state: 'finished' },
    });
    expect(playbackEvent(started('dtmf'), { ...base, call })!.type).toBe('call_playback_state_change');
    const bridge = { id: 'b1', external_id: 'br-x' };
    expect(playbackEvent(started('tts'), { ...base, bridge })).toEqual({ type: 'bridge_tts_state_change', data: { bridge_id: 'b1', state: 'playing', application_id: 1000, bridge_external_id: 'br-x' } });
    expect(playbackEvent(started('audio'), { ...base, bridge })!.type).toBe('bridge_playback_state_change');
    const member = { id: 'mb1', conference_id: 'cf1', conference_external_id: 'conf-x', external_id: 'mem-x', state: 'active', mute: false };
    expect(playbackEvent(started('tts'), { ...base, member, call })).toEqual({
      type: 'conference_member_play_state_change',
      data: { member_id: 'mb1', conference_id: 'cf1', conference_external_id: 'conf-x', member_external_id: 'mem-x', call_id: 'c1', call_external_id: 'crm-1', state: 'playing', application_id: 1000 },
    });
    expect(playbackEvent(started('tts'), base)).toBeNull();
  });

  it('conference_member_state_change carries the member state, the active count and mute', () => {
    const member = { id: 'mb1', conference_id: 'cf1', conference_external_id: null, external_id: null, state: 'completed', mute: true };
    expect(conferenceMemberEvent(ev('conference_member_left', { conference_id: 'cf1', member_id: 'mb1' }), { ...base, member, conference: { id: 'cf1', active_members: 1 } })).toEqual({
      type: 'conference_member_state_change',
      data: { member_id: 'mb1', conference_id: 'cf1', state: 'completed', active_members: 1, mute: true, application_id: 1000 },
    });
  });
});

describe('dispatch, topics and envelope', () => {
  it('maps each event kind; events Syniverse has no callback for give null', () => {
    expect(toSyniverseEvent(ev('message_state_change', { message_id: 'm', state: 'SENT' }), base)!.type).toBe('message_state_change');
    expect(toSyniverseEvent(ev('mo_message_received', { message_id: 'm', body: 'x' }), base)!.type).toBe('mo_message_received');
    expect(toSyniverseEvent(ev('message_request_state_change', { message_request_id: 'r', state: 'COMPLETED' }), base)!.type).toBe('message_request_state_change');
    expect(toSyniverseEvent(ev('call_state_change', { call_id: 'c', state: 'ACTIVE', previous_state: 'STARTED' }), base)!.type).toBe('call_state_change');
    expect(toSyniverseEvent(ev('conference_member_joined', { conference_id: 'cf', member_id: 'mb' }), base)!.type).toBe('conference_member_state_change');
    for (const t of ['bridge_state_change', 'conference_state_change', 'sender_id_state_change', 'keyword_matched', 'keyword_reply_failed']) {
      expect(toSyniverseEvent(ev(t, {}), base)).toBeNull();
    }
  });

  it('a digits collector change is collector_state_change with the collector resource fields', () => {
    const collector = { id: 'd1', external_id: 'ext-d', call_id: 'c1', call_external_id: 'call-ext' };
    const started = toSyniverseEvent(ev('digits_collector_state_change', { collector_id: 'd1', call_id: 'c1', state: 'STARTED', reason: null, digits: '' }), { ...base, collector });
    expect(started).toEqual({
      type: 'collector_state_change',
      data: { collector_id: 'd1', collector_external_id: 'ext-d', call_id: 'c1', call_external_id: 'call-ext', state: 'STARTED', digits: '', application_id: 1000 },
    });
    const done = toSyniverseEvent(ev('digits_collector_state_change', { collector_id: 'd1', call_id: 'c1', state: 'COMPLETED', reason: 'terminating_digit', digits: '123' }), base);
    expect(done?.data).toEqual({ collector_id: 'd1', call_id: 'c1', state: 'COMPLETED', reason: 'terminating_digit', digits: '123', application_id: 1000 });
    expect(topicOf(done!.type)).toBe('SCG-Voice-Call');
  });

  it('every event type belongs to one topic', () => {
    expect(topicOf('message_state_change')).toBe('SCG-Message');
    expect(topicOf('mo_message_received')).toBe('SCG-Message');
    expect(topicOf('call_state_change')).toBe('SCG-Voice-Call');
    expect(topicOf('collector_state_change')).toBe('SCG-Voice-Call');
    expect(topicOf('nope')).toBeUndefined();
    expect(EVENT_TYPES).toHaveLength(TOPICS['SCG-Message'].length + TOPICS['SCG-Voice-Call'].length);
    for (const t of EVENT_TYPES) expect(topicOf(t)).toBeDefined();
  });

  it('the ESS envelope: topic, attempt, event {fld-val-list, evt-tp, timestamp}, event id (both spellings)', () => {
    const vendor = { type: 'call_state_change', data: { call_id: 'c1' } };
    const id = essEventId('ws1', 'e7');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(essEventId('ws1', 'e7')).toBe(id);
    expect(essEventId('ws2', 'e7')).not.toBe(id);
    expect(essEnvelope(vendor, { attempt: 2, eventId: id, timestamp: AT })).toEqual({
      topic: 'SCG-Voice-Call',
      attempt: 2,
      event: { 'fld-val-list': { call_id: 'c1' }, 'evt-tp': 'call_state_change', timestamp: AT },
      event_id: id,
      'event-id': id,
    });
  });
});
