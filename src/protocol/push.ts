import { z } from "zod";

/**
 * What a Web Push message carries to the service worker (issue 13), JSON in
 * the RFC 8291 encrypted payload. `show` displays a notification; `close`
 * closes the ones with these tags (the message was read on some device).
 * The tag is notifyTag(roomId, seq), shared with the in-page `notify` frame,
 * so a push and a page notification for one message replace each other.
 */
export const pushPayloadSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("show"),
    tag: z.string(),
    title: z.string(),
    body: z.string().optional(),
    url: z.string(),
    roomId: z.string(),
    seq: z.number().int(),
  }),
  z.object({ type: z.literal("close"), tags: z.array(z.string()) }),
]);
export type PushPayload = z.infer<typeof pushPayloadSchema>;

/** The one tag of a message's notifications, page and push alike. */
export function notifyTag(roomId: string, seq: number): string {
  return `m:${roomId}:${seq}`;
}

/** A browser's PushSubscription.toJSON(), as POST /api/push/subscriptions takes it. */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().min(1).max(256), auth: z.string().min(1).max(64) }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;
