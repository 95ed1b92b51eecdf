/**
 * The channels the delivery relay sends on, one small module each. Adding a channel is one file
 * exporting a factory and one line in CHANNELS.
 */
import type { ChannelDeps, ChannelSender } from './types';
import { emailChannel } from './email';
import { pushChannel } from './push';
import { telegramChannel } from './telegram';
import { zaloChannel } from './zalo';
import { smsChannel } from './sms';
import { znsChannel } from './zns';

export type { ChannelDeps, ChannelSender, OutgoingMessage, SendResult } from './types';

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
