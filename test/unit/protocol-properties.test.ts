// Property tests for the wire protocol's edge: whatever text arrives in a
// websocket frame, decodeClientFrame answers with a valid frame or a typed
// error (never a throw), and handleFrame gives a non-member nothing but one
// error reply.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Effect, type FrameDeps, handleFrame } from "../../src/core/handle-frame";
import { type Decoded, decodeClientFrame } from "../../src/protocol/decode";
import {
  type ClientFrame,
  clientFrame,
  errorCodes,
  MAX_MESSAGE_CHARS,
  REACTIONS,
  type RoomFrame,
} from "../../src/protocol/frames";
import { wireMessage } from "../helpers/fixtures";

const FRAME_TYPES = [
  "send",
  "subscribe",
  "fetch",
  "typing",
  "read",
  "edit",
  "delete",
  "react",
  "invite",
  "leave",
  "thread",
  "thread_read",
  "follow",
  "pin",
  "save",
  "ping",
] as const satisfies readonly ClientFrame["type"][];

/** The fields each frame type has (besides `type` and `v`). */
const FIELDS: Record<(typeof FRAME_TYPES)[number], readonly string[]> = {
  ping: [],
  send: ["roomId", "clientId", "text", "threadRootId", "alsoToRoom"],
  subscribe: ["roomId", "afterSeq", "afterRev"],
  fetch: ["roomId", "afterSeq", "beforeSeq"],
  typing: ["roomId"],
  read: ["roomId", "seq"],
  edit: ["roomId", "messageId", "text"],
  delete: ["roomId", "messageId"],
  react: ["roomId", "messageId", "emoji"],
  invite: ["roomId", "userName"],
  leave: ["roomId"],
  thread: ["roomId", "rootId", "afterSeq"],
  thread_read: ["roomId", "rootId", "seq"],
  follow: ["roomId", "rootId", "following"],
  pin: ["roomId", "messageId", "pinned"],
  save: ["roomId", "messageId", "saved"],
};

const RUNS = { numRuns: 300 };

// ---------------------------------------------------------------- arbitraries

/** UTF-16 code units, lone surrogates included: what a JS string may hold. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));
const whitespace = fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\ufeff", "\u3000");

/** Any string: ASCII, full Unicode, raw code units (lone surrogates), JSON-ish. */
const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.string({ unit: codeUnit }),
  fc.string({ unit: fc.constantFrom("{", "}", "[", "]", '"', ":", ",", "\\", "1", "e", "-", " ") }),
);

/** Ids at and around the 1..64 bounds. */
const idLike = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 64 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "x".repeat(64), "x".repeat(65), " ", "__proto__", "constructor"),
  },
);

/** Message texts around the empty and MAX_MESSAGE_CHARS bounds, padded with whitespace. */
const textLike = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ unit: whitespace, maxLength: 3 }),
        fc.string({ unit: "binary", maxLength: 60 }),
        fc.string({ unit: whitespace, maxLength: 3 }),
      )
      .map(([a, b, c]) => a + b + c),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: MAX_MESSAGE_CHARS - 2, max: MAX_MESSAGE_CHARS + 2 }),
        fc.string({ unit: whitespace, maxLength: 2 }),
      )
      .map(([n, pad]) => pad + "x".repeat(n) + pad),
  },
  { weight: 1, arbitrary: fc.string({ unit: whitespace, maxLength: 5 }) },
);

/** Sequence numbers around their 0..MAX_SAFE_INTEGER bounds. */
const seqLike = fc.oneof(
  { weight: 4, arbitrary: fc.nat() },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      -1,
      -0,
      0.5,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 2,
      1e308,
      -1e308,
    ),
  },
);

/** Values of any JSON type, including wrong ones for every field. */
const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.jsonValue({ maxDepth: 2, stringUnit: "binary" }),
  anyString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, "", [], {}),
);

/** A right-kind value for the field, most of the time. */
function fieldValue(field: string): fc.Arbitrary<unknown> {
  const right: Record<string, fc.Arbitrary<unknown>> = {
    roomId: idLike,
    clientId: idLike,
    messageId: idLike,
    text: textLike,
    afterSeq: seqLike,
    afterRev: seqLike,
    beforeSeq: seqLike,
    seq: seqLike,
    emoji: fc.oneof(fc.constantFrom(...REACTIONS), fc.constantFrom("👎", "", ":+1:", "👍🏽")),
    userName: fc.oneof(textLike, fc.constantFrom("x".repeat(100), "x".repeat(101), "  ")),
    rootId: idLike,
    threadRootId: idLike,
    following: fc.boolean(),
    alsoToRoom: fc.boolean(),
    pinned: fc.oneof(fc.boolean(), fc.constantFrom("true", 1, null)),
    saved: fc.oneof(fc.boolean(), fc.constantFrom("false", 0, null)),
  };
  const value = Object.hasOwn(right, field) ? (right[field] ?? wildValue) : wildValue;
  return fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: wildValue });
}

/** Object entries shaped like a frame of `type`: fields may be missing, wrong or extra. */
function frameEntries(type: string): fc.Arbitrary<[string, unknown][]> {
  const fields = Object.hasOwn(FIELDS, type) ? FIELDS[type as keyof typeof FIELDS] : ["roomId"];
  const allFields = [...new Set(Object.values(FIELDS).flat())];
  const present = fields.map((field) =>
    fc.option(
      fieldValue(field).map((value): [string, unknown] => [field, value]),
      { freq: 6, nil: undefined },
    ),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...allFields, "v", "type", "__proto__", "constructor"), fc.string()),
      wildValue,
    ),
    { maxLength: 2 },
  );
  const version = fc.option(fc.constantFrom<unknown>(1, 2, 0, "1", null), { freq: 4 });
  return fc.tuple(fc.tuple(...present), extra, version).map(([fieldEntries, extras, v]) => {
    const entries: [string, unknown][] = [["type", type]];
    for (const entry of fieldEntries) if (entry) entries.push(entry);
    if (v !== null) entries.push(["v", v]);
    return [...entries, ...extras];
  });
}

/** JSON text of an object from entries, kept verbatim (duplicate keys and `__proto__` too). */
const objectJson = (entries: [string, unknown][]) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? "null"}`).join(",")}}`;

/** Frame-shaped JSON: a real type most of the time, random field values. */
const frameShapedJson = fc
  .oneof(
    { weight: 9, arbitrary: fc.constantFrom<string>(...FRAME_TYPES) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.constantFrom("SEND", "ready", "ack", "", " send"), fc.string()),
    },
  )
  .chain(frameEntries)
  .map(objectJson);

/** JSON of a frame every field of which is valid: it must decode. */
const validFrameJson = fc.constantFrom(...FRAME_TYPES).chain((type) => {
  const valid: Record<string, fc.Arbitrary<unknown>> = {
    roomId: fc.string({ minLength: 1, maxLength: 64 }),
    clientId: fc.string({ minLength: 1, maxLength: 64 }),
    messageId: fc.string({ minLength: 1, maxLength: 64 }),
    text: fc
      .string({ unit: "grapheme-ascii", minLength: 1, maxLength: 200 })
      .filter((t) => t.trim().length > 0),
    afterSeq: fc.nat(),
    afterRev: fc.nat(),
    beforeSeq: fc.nat(),
    seq: fc.nat(),
    emoji: fc.constantFrom(...REACTIONS),
    userName: fc.string({ minLength: 1, maxLength: 100 }).filter((n) => n.trim().length > 0),
    rootId: fc.string({ minLength: 1, maxLength: 64 }),
    threadRootId: fc.string({ minLength: 1, maxLength: 64 }),
    following: fc.boolean(),
    alsoToRoom: fc.boolean(),
    pinned: fc.boolean(),
    saved: fc.boolean(),
  };
  const required = new Set([
    ...["roomId", "clientId", "messageId", "text", "seq", "emoji", "userName"],
    ...["rootId", "following", "pinned", "saved"],
  ]);
  if (type === "fetch") required.add("afterSeq");
  const record: Record<string, fc.Arbitrary<unknown>> = { type: fc.constant(type) };
  for (const field of FIELDS[type]) record[field] = valid[field] ?? fc.constant(undefined);
  return fc
    .record(record, { requiredKeys: ["type", ...FIELDS[type].filter((f) => required.has(f))] })
    .map((frame) => JSON.stringify(frame));
});

// ------------------------------------------------------------------ checkers

/** The decode contract: a frame the schema accepts as is, or a typed, explained error. */
function expectWellFormed(decoded: Decoded) {
  if (decoded.ok) {
    expect(FRAME_TYPES).toContain(decoded.frame.type);
    const again = clientFrame.safeParse(decoded.frame);
    expect(again.success).toBe(true);
    // Decoding is idempotent: the frame re-encodes to itself.
    expect(JSON.stringify(again.data)).toBe(JSON.stringify(decoded.frame));
    if ("text" in decoded.frame) {
      const { text } = decoded.frame;
      expect(text).toBe(text.trim());
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    }
    return;
  }
  expect(errorCodes).toContain(decoded.code);
  // The decoder only judges the frame itself; access and limits come later.
  expect(["bad_frame", "too_large"]).toContain(decoded.code);
  expect(typeof decoded.message).toBe("string");
  expect(decoded.message.trim().length).toBeGreaterThan(0);
  if (decoded.clientId !== undefined) {
    expect(typeof decoded.clientId).toBe("string");
    expect(decoded.clientId.length).toBeLessThanOrEqual(64);
  }
}

/** decodeClientFrame, failing the property (not crashing it) on a throw. */
function decodeSafely(raw: string): Decoded {
  try {
    return decodeClientFrame(raw);
  } catch (error) {
    throw new Error(`decodeClientFrame threw on ${JSON.stringify(raw)}: ${String(error)}`);
  }
}

describe("decodeClientFrame properties", () => {
  it("never throws on arbitrary strings and answers a frame or a typed error", () => {
    fc.assert(
      fc.property(anyString, (raw) => expectWellFormed(decodeSafely(raw))),
      RUNS,
    );
  });

  it("never throws on arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) =>
        expectWellFormed(decodeSafely(JSON.stringify(value))),
      ),
      RUNS,
    );
  });

  it("never throws on arbitrary JSON texts, whitespace and all", () => {
    fc.assert(
      fc.property(
        fc.json({ stringUnit: "binary" }),
        fc.string({ unit: whitespace, maxLength: 3 }),
        (json, pad) => expectWellFormed(decodeSafely(pad + json + pad)),
      ),
      RUNS,
    );
  });

  it("never throws on frame-shaped objects (real types, random fields, duplicate keys, __proto__)", () => {
    fc.assert(
      fc.property(frameShapedJson, (raw) => expectWellFormed(decodeSafely(raw))),
      { numRuns: 1_000 },
    );
  });

  it("accepts exactly what the schema accepts", () => {
    fc.assert(
      fc.property(frameShapedJson, (raw) => {
        const decoded = decodeSafely(raw);
        expect(decoded.ok).toBe(clientFrame.safeParse(JSON.parse(raw)).success);
      }),
      RUNS,
    );
  });

  it("decodes every frame whose fields are all valid, and re-decodes its own output", () => {
    fc.assert(
      fc.property(validFrameJson, (raw) => {
        const decoded = decodeSafely(raw);
        expect(decoded, raw).toMatchObject({ ok: true });
        expectWellFormed(decoded);
        if (decoded.ok) expect(decodeSafely(JSON.stringify(decoded.frame))).toEqual(decoded);
      }),
      RUNS,
    );
  });

  it("a send over the limit is too_large and echoes its clientId", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_MESSAGE_CHARS + 1, max: MAX_MESSAGE_CHARS + 50 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        (length, clientId) => {
          const raw = JSON.stringify({
            type: "send",
            roomId: "r",
            clientId,
            text: "y".repeat(length),
          });
          expect(decodeSafely(raw)).toMatchObject({ ok: false, code: "too_large", clientId });
        },
      ),
      { numRuns: 50 },
    );
  });
});

// ---------------------------------------------------------------- handleFrame

const me = { id: "u-me", name: "Me" };

/**
 * In-memory ports where `me` belongs only to "mine". Every call is recorded;
 * the ones that change state are also listed in `writes`.
 */
function fakes(options: { memberOf: string[]; changeOk?: boolean } = { memberOf: ["mine"] }) {
  const rooms = new Map<string, { kind: "public" | "private" | "dm"; slug: string }>([
    ["mine", { kind: "private", slug: "mine" }],
    ["r-public", { kind: "public", slug: "r-public" }],
    ["r-private", { kind: "private", slug: "r-private" }],
    ["r-dm", { kind: "dm", slug: "r-dm" }],
    ["r-general", { kind: "public", slug: "general" }],
  ]);
  const memberOf = new Set(options.memberOf);
  const calls: string[] = [];
  const writes: string[] = [];
  const write = (name: string) => {
    calls.push(name);
    writes.push(name);
  };
  const room = (id: string) => {
    const found = rooms.get(id);
    return found && { id, slug: found.slug, name: found.slug, kind: found.kind };
  };
  const changed = (roomId: string, messageId: string) =>
    options.changeOk
      ? { ok: true as const, message: wireMessage(1, { id: messageId, roomId, rev: 1 }) }
      : { ok: false as const, reason: "not_found" as const };
  const deps = {
    rooms: {
      isMember: async (roomId: string, userId: string) => {
        calls.push("isMember");
        return userId === me.id && memberOf.has(roomId);
      },
      getRoom: async (id: string) => {
        calls.push("getRoom");
        return room(id);
      },
      members: async () => {
        calls.push("members");
        return [me, { id: "u-other", name: "Other" }];
      },
      markRead: async (_roomId: string, _userId: string, seq: number) => {
        write("markRead");
        return seq;
      },
      join: async () => write("join"),
      leave: async () => {
        write("leave");
        return true;
      },
      summaryOf: async (id: string) => {
        calls.push("summaryOf");
        const found = room(id);
        return (
          found && { ...found, lastSeq: 0, lastReadSeq: 0, mentioned: false, isDefault: false }
        );
      },
    },
    messages: {
      position: async () => {
        calls.push("position");
        return { lastSeq: 0, lastRev: 0 };
      },
      // Membership is checked inside the store's transaction: a refusal writes nothing.
      appendIfMember: async ({ roomId, text }: { roomId: string; text: string }) => {
        calls.push("appendIfMember");
        if (!memberOf.has(roomId)) {
          return { ok: false, reason: rooms.has(roomId) ? "forbidden" : "not_found" };
        }
        write("append");
        return {
          ok: true,
          message: wireMessage(1, { roomId, author: me, text }),
          duplicate: false,
        };
      },
      edit: async (roomId: string, messageId: string) => {
        write("edit");
        return changed(roomId, messageId);
      },
      remove: async (roomId: string, messageId: string) => {
        write("remove");
        return changed(roomId, messageId);
      },
      toggleReaction: async (roomId: string, messageId: string) => {
        write("toggleReaction");
        return changed(roomId, messageId);
      },
      pin: async (roomId: string, messageId: string) => {
        write("pin");
        return changed(roomId, messageId);
      },
      removePreview: async (roomId: string, messageId: string) => {
        write("removePreview");
        const result = changed(roomId, messageId);
        return result.ok ? { ...result, blobKeys: [] } : result;
      },
    },
    threads: {
      // Membership and the root are read inside the reply's transaction.
      reply: async (
        input: { roomId: string; text: string; threadRootId: string },
        check: (facts: { member: boolean; root: unknown }) => { ok: boolean },
      ) => {
        calls.push("reply");
        if (!rooms.has(input.roomId)) return { ok: false, reason: "no_room" };
        const root = { authorId: "u-other", deleted: false, isReply: false };
        const decision = check({ member: memberOf.has(input.roomId), root });
        if (!decision.ok) return { ok: false, reason: "refused", refusal: decision };
        write("reply");
        const { roomId, text } = input;
        return {
          ok: true,
          message: wireMessage(2, { roomId, author: me, text, threadRootId: input.threadRootId }),
          root: wireMessage(1, { id: input.threadRootId, roomId, rev: 1 }),
          duplicate: false,
        };
      },
      rootFacts: async () => ({ authorId: "u-other", deleted: false, isReply: false }),
      page: async (roomId: string, rootId: string) => {
        calls.push("page");
        return { root: wireMessage(1, { id: rootId, roomId }), replies: [], more: false };
      },
      state: async (roomId: string, rootId: string) => {
        calls.push("state");
        return { roomId, rootId, following: true, lastReadSeq: 0, unread: 0, latestSeq: 0 };
      },
      follow: async (roomId: string, rootId: string, _u: string, following: boolean) => {
        write("follow");
        return { roomId, rootId, following, lastReadSeq: 0, unread: 0, latestSeq: 0 };
      },
      markRead: async (roomId: string, rootId: string, _u: string, seq: number) => {
        write("threadRead");
        return { roomId, rootId, following: true, lastReadSeq: seq, unread: 0, latestSeq: seq };
      },
    },
    saved: {
      save: async () => {
        write("save");
        return options.changeOk ? "ok" : "not_found";
      },
    },
    users: {
      findByName: async (name: string) => {
        calls.push("findByName");
        return name.startsWith("a") ? [{ id: `u-${name}`, name }] : [];
      },
      findById: async (id: string) => {
        calls.push("findById");
        return id.startsWith("u-") ? { id, name: id.slice(2) } : undefined;
      },
      isBlocked: async () => {
        calls.push("isBlocked");
        return false;
      },
    },
  } as unknown as FrameDeps;
  return { deps, calls, writes, rooms };
}

/** Room ids a frame may name: known rooms, unknown ones, prototype names. */
const roomIdArb = fc.oneof(
  fc.constantFrom("mine", "r-public", "r-private", "r-dm", "r-general"),
  fc.constantFrom("nope", "__proto__", "constructor", "toString", "hasOwnProperty"),
  fc.string({ minLength: 1, maxLength: 64 }),
);

/** A decoded frame of any type, addressed to a room from roomIdArb. */
const decodedFrameArb = fc
  .tuple(fc.oneof(validFrameJson, frameShapedJson), roomIdArb)
  .map(([raw, roomId]) => {
    const json = JSON.parse(raw);
    if (json && typeof json === "object" && !Array.isArray(json)) json.roomId = roomId;
    return decodeClientFrame(JSON.stringify(json));
  })
  .filter((decoded): decoded is Extract<Decoded, { ok: true }> => decoded.ok)
  .map((decoded) => decoded.frame)
  // ping never reaches handleFrame: the ws layer answers it.
  .filter((frame): frame is RoomFrame => frame.type !== "ping");

async function handleSafely(frame: RoomFrame, deps: FrameDeps): Promise<Effect[]> {
  try {
    return await handleFrame(frame, me, deps);
  } catch (error) {
    throw new Error(`handleFrame threw on ${JSON.stringify(frame)}: ${String(error)}`);
  }
}

describe("handleFrame properties", () => {
  it("a non-member gets exactly one error reply for any decoded frame, and nothing is written", async () => {
    await fc.assert(
      fc.asyncProperty(
        decodedFrameArb.filter((frame) => frame.roomId !== "mine"),
        async (frame) => {
          const { deps, writes, rooms } = fakes();
          const effects = await handleSafely(frame, deps);
          const exists = rooms.has(frame.roomId);
          expect(effects).toEqual([
            {
              kind: "reply",
              frame: {
                type: "error",
                code: exists ? "forbidden" : "not_found",
                message: expect.any(String),
                clientId: frame.type === "send" ? frame.clientId : undefined,
              },
            },
          ]);
          const kinds = effects.map((e) => e.kind);
          for (const kind of [
            "publish",
            "user",
            "subscribe",
            "fetch",
            "attach",
            "detach",
            "members",
          ]) {
            expect(kinds).not.toContain(kind);
          }
          expect(writes).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it("a non-member of every room is refused whichever room is named", async () => {
    await fc.assert(
      fc.asyncProperty(decodedFrameArb, async (frame) => {
        const { deps, writes } = fakes({ memberOf: [] });
        const effects = await handleSafely(frame, deps);
        expect(effects).toHaveLength(1);
        expect(effects[0]).toMatchObject({ kind: "reply", frame: { type: "error" } });
        expect(writes).toEqual([]);
      }),
      RUNS,
    );
  });

  it("a member's frame never throws and every effect stays within the frame's room and user", async () => {
    await fc.assert(
      fc.asyncProperty(decodedFrameArb, fc.boolean(), async (frame, changeOk) => {
        const { deps } = fakes({ memberOf: [frame.roomId], changeOk });
        const effects = await handleSafely(frame, deps);
        expect(effects.length).toBeGreaterThan(0);
        for (const effect of effects) {
          if ("roomId" in effect) expect(effect.roomId).toBe(frame.roomId);
          // Invites and replies (the root's author and the mentioned start following) reach others.
          const toOthers =
            frame.type === "invite" ||
            (effect.kind === "user" && effect.frame.type === "thread_state");
          if (effect.kind === "user" && !toOthers) expect(effect.userId).toBe(me.id);
          if (effect.kind === "reply" && effect.frame.type === "error") {
            expect(errorCodes).toContain(effect.frame.code);
            expect(effects).toHaveLength(1);
          }
        }
      }),
      RUNS,
    );
  });
});
