// Parley's schema steps, one file each, applied in the order listed here
// (Kysely also sorts by name, which is why names start with a number).
//
// Adding a step: copy the newest file to NNNN_what_it_does.ts with the next
// number, export one function returning the Kysely Migration (it may take the
// dialect), and append it to STEPS below. Never edit a step that has shipped.
import type { Migration } from "kysely";
import type { SqlDialect } from "../migrations.server";
import { roomsAndMessages } from "./0001_rooms_and_messages";
import { chatFeatures } from "./0002_chat_features";
import { userBlocksAndRoomSkeletons } from "./0003_user_blocks_and_room_skeletons";
import { authFailure } from "./0004_auth_failure";
import { clampNames } from "./0005_clamp_names";
import { defaultRoom } from "./0006_default_room";
import { threadColumns } from "./0007_thread_columns";
import { threadFollow } from "./0008_thread_follow";
import { pinsAndSaved } from "./0009_pins_and_saved";
import { files } from "./0010_files";
import { handles } from "./0011_handles";
import { roomTopic } from "./0012_room_topic";
import { notifyPrefs } from "./0013_notify_prefs";
import { pushSubscriptions } from "./0014_push_subscriptions";
import { emailDigest } from "./0015_email_digest";
import { rolesAndAudit } from "./0016_roles_and_audit";
import { invites } from "./0017_invites";
import { deactivation } from "./0018_deactivation";
import { profileDetails } from "./0019_profile_details";
import { integrations } from "./0020_integrations";
import { outgoingWebhookBot } from "./0024_outgoing_webhook_bot";
import { retentionWatermark } from "./0027_retention_watermark";

/** One schema step: a Kysely migration, built for the dialect it runs on. */
export type MigrationStep = (dialect: SqlDialect) => Migration;

/** Every step, in order: name (the file's) and step. */
export const STEPS: readonly (readonly [name: string, step: MigrationStep])[] = [
  ["0001_rooms_and_messages", roomsAndMessages],
  ["0002_chat_features", chatFeatures],
  ["0003_user_blocks_and_room_skeletons", userBlocksAndRoomSkeletons],
  ["0004_auth_failure", authFailure],
  ["0005_clamp_names", clampNames],
  ["0006_default_room", defaultRoom],
  ["0007_thread_columns", threadColumns],
  ["0008_thread_follow", threadFollow],
  ["0009_pins_and_saved", pinsAndSaved],
  ["0010_files", files],
  ["0011_handles", handles],
  ["0012_room_topic", roomTopic],
  ["0013_notify_prefs", notifyPrefs],
  ["0014_push_subscriptions", pushSubscriptions],
  ["0015_email_digest", emailDigest],
  ["0016_roles_and_audit", rolesAndAudit],
  ["0017_invites", invites],
  ["0018_deactivation", deactivation],
  ["0019_profile_details", profileDetails],
  ["0020_integrations", integrations],
  ["0024_outgoing_webhook_bot", outgoingWebhookBot],
  ["0027_retention_watermark", retentionWatermark],
];

/** The steps as Kysely's migrator wants them, for one dialect. */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return Object.fromEntries(STEPS.map(([name, step]) => [name, step(dialect)]));
}
