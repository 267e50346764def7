// The messages area of the Dolist API (part 2, see area.ts): email and SMS messages (one table,
// one id counter: message-editing.ts), their links (message-links.ts), readiness checks
// (message-checks.ts), analyzers and SMS simulations as async operations (message-analysis.ts),
// the tracking redirect (message-tracking.ts), reply addresses, pack senders and SMS senders
// (senders.ts), and the reference lists (message-catalogue.ts).
import type { Area } from './area.js';
import { addressHandlers } from './handlers/messages-addresses.js';
import { emailMessageHandlers } from './handlers/messages-email.js';
import { smsMessageHandlers } from './handlers/messages-sms.js';
import { messageJobKinds } from './message-analysis.js';
import { senderCollections } from './senders.js';

export const messagesArea: Area = (spec) => {
  const senders = senderCollections(spec);
  return {
    handlers: { ...addressHandlers(senders), ...emailMessageHandlers(), ...smsMessageHandlers() },
    jobKinds: messageJobKinds,
  };
};
