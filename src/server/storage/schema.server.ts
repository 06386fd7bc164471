import type { Generated } from "kysely";

/** Parley's own tables, plus the columns of better-auth's `user` table it reads. */
export interface Database {
  room: {
    id: string;
    slug: string;
    name: string;
    /** public | private | dm */
    kind: Generated<string>;
    /** For DMs: the two user ids, sorted and joined, so a pair has one room. */
    dm_key: string | null;
    created_by: string | null;
    created_at: number;
    /** Highest seq handed out in this room; bumped in the append transaction. */
    last_seq: Generated<number>;
    /** Bumped by every edit, deletion and reaction change; stamped on the message. */
    last_rev: Generated<number>;
    /** Public rooms only: what the name looks like (core/rooms roomSkeleton), unique. */
    skeleton: string | null;
    /** 1 for the room everyone belongs to ("general", migration 0006), else 0. */
    is_default: Generated<number>;
    /** Shown in the room directory when set (migration 0012); null for none. */
    topic: string | null;
    /** 1 when only moderators may post (migration 0016). */
    announcement_only: Generated<number>;
    /** When it was archived (read-only, out of the room list, still searchable); null if not. */
    archived_at: number | null;
    /** Keep messages this many days (migration 0020); null: the server's setting. */
    retention_days?: number | null;
    /** The retention sweep's watermark (migration 0027): every message at or below it is deleted. */
    retention_seq?: Generated<number>;
  };
  room_member: {
    room_id: string;
    user_id: string;
    joined_at: number;
    last_read_seq: Generated<number>;
    /** all | mentions | nothing; null follows the user's default (migration 0013). */
    notify_level: string | null;
    /** 1 when the member muted the room (no notifications, dimmed, out of the title). */
    muted: Generated<number>;
    /** moderator | member (migration 0016); the room's creator is its first moderator. */
    role: Generated<string>;
    /** 1 while a moderator muted the member here: they cannot post (migration 0016). */
    mod_muted: Generated<number>;
  };
  /** Who may not (re)join a room, even a public one (migration 0016). */
  room_ban: { room_id: string; user_id: string; banned_by: string; created_at: number };
  /**
   * An invite link (migration 0017): a hash of its token, who made it, the
   * room it also joins, the role it gives (member | guest), its expiry and
   * use limit (null: never, unlimited), uses so far, when it was revoked.
   */
  invite: {
    id: string;
    token_hash: string;
    created_by: string;
    room_id: string | null;
    role: Generated<string>;
    created_at: number;
    expires_at: number | null;
    max_uses: number | null;
    uses: Generated<number>;
    revoked_at: number | null;
  };
  /** One server setting (migration 0016): `key` of core/server-settings ServerSettings, JSON value. */
  server_setting: { key: string; value: string };
  /**
   * One administrative or moderation action (migration 0016), written in the
   * transaction that makes the change (storage/audit.server.ts).
   */
  audit_log: {
    id: string;
    at: number;
    actor_id: string;
    /** What was done, such as `message.delete` or `user.deactivate` (core/audit.ts AuditAction). */
    action: string;
    target_user_id: string | null;
    room_id: string | null;
    /** JSON object: what the action needs to be understood later (a name before, a reason). */
    details: Generated<string>;
  };
  /** A user's notification settings (migration 0013); no row means the defaults. */
  notify_settings: {
    user_id: string;
    default_level: Generated<string>;
    email: Generated<number>;
    show_text: Generated<number>;
    updated_at: number;
  };
  /** A browser's Web Push subscription (migration 0014); the endpoint names it. */
  push_subscription: {
    id: string;
    user_id: string;
    endpoint: string;
    /** The browser's P-256 public key (base64url), for RFC 8291 encryption. */
    p256dh: string;
    /** The browser's 16-byte auth secret (base64url). */
    auth: string;
    created_at: number;
    /** When the push service last accepted a push to it; null before the first. */
    last_ok_at: number | null;
  };
  /** A mention or DM waiting for its missed-message email (migration 0015). */
  email_pending: {
    user_id: string;
    room_id: string;
    seq: number;
    message_id: string;
    due_at: number;
    created_at: number;
    /** Set while the row is in an email being sent; null while waiting. */
    batch: string | null;
  };
  /** Per user: the last missed-message email and the sending claim (migration 0015). */
  email_state: {
    user_id: string;
    last_sent_at: number | null;
    claim_owner: string | null;
    claim_until: number | null;
    /** The user's last read frame: rows queued before it are dropped. */
    last_active_at: number | null;
  };
  message: {
    id: string;
    room_id: string;
    seq: number;
    author_id: string;
    client_id: string;
    text: string;
    created_at: number;
    edited_at: number | null;
    deleted_at: number | null;
    rev: Generated<number>;
    /** A reply's root message id (migration 0007); null on other messages. */
    thread_root_id: string | null;
    /** 1 when a reply was also sent to the room's main log. */
    also_in_room: Generated<number>;
    /** On a root: its number of replies. */
    reply_count: Generated<number>;
    /** On a root: when its newest reply was stored (ms). */
    last_reply_at: number | null;
    /** On a root: up to 3 repliers' user ids, JSON, newest first. */
    reply_participants: string | null;
    /** When it was pinned in its room (ms), null when not pinned (migration 0009). */
    pinned_at: number | null;
    /** Who pinned it, null when not pinned. */
    pinned_by: string | null;
    /**
     * Its link preview (migration 0010): LinkPreview as JSON, "removed" once
     * its author removed it (never fetched again), null when none.
     */
    preview: string | null;
    /** Who deleted it when not its author, a moderator or admin (migration 0016); else null. */
    deleted_by: string | null;
    /**
     * On a message an incoming webhook posted (migration 0020): JSON
     * {webhook, username?, iconUrl?}; null on every other message.
     */
    via?: string | null;
  };
  /**
   * An uploaded file (migration 0010): unclaimed (room_id and message_id
   * null) until a send or edit claims it in its transaction.
   */
  file: {
    id: string;
    uploader_id: string;
    name: string;
    size: number;
    /** Sniffed from the bytes. */
    content_type: string;
    blob_key: string;
    /** Images: the thumbnail's blob. */
    thumb_key: string | null;
    width: number | null;
    height: number | null;
    created_at: number;
    /** "attachment" (an upload) or "preview" (a link preview's image). */
    purpose: Generated<string>;
    room_id: string | null;
    message_id: string | null;
    /** Its place among its message's files. */
    position: Generated<number>;
  };
  /** Who follows a thread and how far they read it (migration 0008). */
  thread_follow: {
    room_id: string;
    root_id: string;
    user_id: string;
    /** 1 while following, 0 after unfollowing (the row keeps the marker). */
    following: Generated<number>;
    last_read_seq: Generated<number>;
    updated_at: number;
  };
  reaction: {
    message_id: string;
    user_id: string;
    emoji: string;
    created_at: number;
  };
  /** A message one user saved for later (migration 0009): private to them. */
  saved_message: { user_id: string; message_id: string; room_id: string; created_at: number };
  message_mention: { room_id: string; seq: number; user_id: string };
  /** A person's status, time zone and avatar (migration 0019); no row means none set. */
  user_profile: {
    user_id: string;
    status_text: string | null;
    status_emoji: string | null;
    status_expires_at: number | null;
    time_zone: string | null;
    avatar_key: string | null;
    updated_at: number;
  };
  /** `blocker_id` accepts no DMs or invites from `blocked_id`. */
  user_block: { blocker_id: string; blocked_id: string; created_at: number };
  /**
   * better-auth's table, read only. `handle`: migration 0011 (unique on
   * lower(handle)); null only in bare test stores. `email`: matched by the
   * people picker's search, never returned by it.
   */
  user: {
    id: string;
    name: string;
    handle: string | null;
    email: string | null;
    /** owner | admin | member | guest (migration 0016; better-auth's additional field). */
    role: Generated<string>;
    /** When an admin deactivated the account (migration 0018); null while active. */
    deactivated_at?: number | null;
    /** 1 for a bot account (migration 0020); 0 for a person. */
    bot?: Generated<number>;
  };
  /** A personal access token (migration 0020): only the secret's SHA-256 is kept. */
  api_token: {
    id: string;
    user_id: string;
    name: string;
    token_hash: string;
    /** Comma list of read | write | admin. */
    scopes: string;
    created_at: number;
    expires_at: number | null;
    last_used_at: number | null;
    revoked_at: number | null;
  };
  /** A room's incoming webhook; it posts as its own bot user. */
  incoming_webhook: {
    id: string;
    room_id: string;
    name: string;
    bot_user_id: string;
    secret_hash: string;
    created_by: string;
    created_at: number;
    revoked_at: number | null;
  };
  /** An outgoing webhook, for one room or (room_id null) the whole server. */
  outgoing_webhook: {
    id: string;
    room_id: string | null;
    name: string;
    target_url: string;
    secret: string;
    /** JSON array of message_created | mention | member_joined. */
    events: string;
    created_by: string;
    created_at: number;
    revoked_at: number | null;
    /** The bot user its replies are posted as (migration 0024). */
    bot_user_id?: string | null;
  };
  /** One event to one outgoing webhook, until delivered or given up on. */
  webhook_delivery: {
    id: string;
    webhook_id: string;
    room_id: string | null;
    event: string;
    payload: string;
    /** pending | done | failed */
    status: Generated<string>;
    attempts: Generated<number>;
    next_attempt_at: number;
    last_status: number | null;
    last_error: string | null;
    created_at: number;
    done_at: number | null;
    claimed_until: number | null;
  };
  /** A custom slash command an admin registered. */
  slash_command: {
    id: string;
    name: string;
    description: string;
    url: string;
    secret: string;
    /** ephemeral | room */
    response: string;
    created_by: string;
    created_at: number;
  };
  /** What an import brought in, by its source's id (a re-run skips it). */
  import_map: { source: string; kind: string; source_id: string; parley_id: string };
}
