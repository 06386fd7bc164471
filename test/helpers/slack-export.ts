import { strToU8, zipSync } from "fflate";

/**
 * A small Slack export as Slack writes one: users.json, channels.json and a
 * folder of per-day files per channel. Two channels; Dana (U1) has an email
 * a Parley account already uses, Eli (U2) and Fay (U3) do not exist yet.
 * #general holds a thread (root, two replies, one broadcast), reactions, an
 * edit, a file, a mention and markup; its day files are out of order on
 * purpose, and a reply's ts sorts before a later root's within one second.
 */
export function slackFiles(danaEmail: string): Record<string, unknown> {
  return {
    "users.json": [
      { id: "U1", name: "dana", real_name: "Dana Lee", profile: { email: danaEmail } },
      { id: "U2", name: "eli", real_name: "Eli Park", profile: { email: "eli@example.test" } },
      { id: "U3", name: "fay", profile: { real_name: "Fay Wu", email: "fay@example.test" } },
      { id: "B1", name: "ci-bot", is_bot: true, profile: {} },
    ],
    "channels.json": [
      {
        id: "C1",
        name: "general",
        created: 1_700_000_000,
        creator: "U1",
        is_general: true,
        members: ["U1", "U2", "U3"],
        topic: { value: "Company-wide" },
      },
      {
        id: "C2",
        name: "ops-slack",
        created: 1_700_000_100,
        creator: "U2",
        members: ["U2", "U3"],
        purpose: { value: "Pages and alerts" },
      },
    ],
    // Newer day first in the zip: order must come from ts, not from files.
    "general/2023-11-15.json": [
      {
        type: "message",
        user: "U3",
        text: "late reply in the thread",
        ts: "1700049600.000300",
        thread_ts: "1700006400.000100",
      },
      {
        type: "message",
        user: "U1",
        text: "day two, see <https://example.test/doc|the doc> &amp; <#C2|ops-slack>",
        ts: "1700049600.000200",
      },
    ],
    "general/2023-11-14.json": [
      {
        type: "message",
        subtype: "channel_join",
        user: "U2",
        text: "<@U2> joined",
        ts: "1700006300.000000",
      },
      {
        type: "message",
        user: "U1",
        text: "deploy today? <@U2>",
        ts: "1700006400.000100",
        thread_ts: "1700006400.000100",
        reply_count: 2,
        reactions: [
          { name: "+1", users: ["U2", "U3"], count: 2 },
          { name: "tada", users: ["U2"], count: 1 },
          { name: "partyparrot", users: ["U3"], count: 1 },
        ],
      },
      {
        type: "message",
        user: "U2",
        text: "yes, after lunch",
        ts: "1700006400.000500",
        thread_ts: "1700006400.000100",
        edited: { user: "U2", ts: "1700006460.000000" },
      },
      {
        type: "message",
        subtype: "thread_broadcast",
        user: "U3",
        text: "sent to the channel too",
        ts: "1700006401.000000",
        thread_ts: "1700006400.000100",
      },
      {
        type: "message",
        user: "U3",
        text: "the runbook",
        ts: "1700006400.000900",
        files: [
          {
            id: "F1",
            name: "runbook.pdf",
            title: "Runbook",
            url_private: "https://files.slack.com/files-pri/T1-F1/runbook.pdf",
            permalink: "https://acme.slack.com/files/U3/F1/runbook.pdf",
          },
        ],
      },
    ],
    "ops-slack/2023-11-14.json": [
      { type: "message", user: "U2", text: "pager test <!here>", ts: "1700006500.000000" },
      { type: "message", user: "U3", text: "ack", ts: "1700006501.000000" },
    ],
  };
}

/** The files above (or any such map) as a zip's bytes, values as JSON unless already bytes. */
export function zipOf(files: Record<string, unknown>): Uint8Array {
  return zipSync(
    Object.fromEntries(
      Object.entries(files)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [
          name,
          value instanceof Uint8Array ? value : strToU8(JSON.stringify(value)),
        ]),
    ),
  );
}
