/**
 * The channels the delivery relay sends on, one small module each. Adding a channel is one file
 * exporting a factory and one line in CHANNELS.
 */
import type { Logger } from 'pino';
import type { Db } from '../../../db/client';
import type { DeliveryConfig } from '../../../server/platform/config';
import type { ChannelSender } from './types';
import { emailChannel } from './email';
import { pushChannel } from './push';
import { telegramChannel } from './telegram';
import { zaloChannel } from './zalo';
import { smsChannel } from './sms';
import { znsChannel } from './zns';

export type { ChannelSender, OutgoingMessage, SendResult } from './types';

/** What a channel is built from: the database (push subscriptions), the log, the providers' settings. */
export interface ChannelDeps {
  db: Db;
  log: Logger;
  settings: DeliveryConfig;
}

/** Every channel; one that is not set up answers each message with a non-retryable failure saying what is missing. */
export const CHANNELS: Array<(deps: ChannelDeps) => ChannelSender> = [
  emailChannel,
  pushChannel,
  telegramChannel,
  zaloChannel,
  znsChannel,
  smsChannel,
];

/** The channels by name, as the relay looks them up. */
export function createChannels(deps: ChannelDeps): Map<string, ChannelSender> {
  return new Map(CHANNELS.map((make) => make(deps)).map((sender) => [sender.channel, sender]));
}
