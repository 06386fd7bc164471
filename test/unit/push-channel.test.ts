import { readFileSync } from "node:fs";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { getCACertificates, setDefaultCACertificates } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import webpush from "web-push";
import type { Logger } from "../../src/server/log.server";
import type { DeviceNotice } from "../../src/server/notify/channels";
import { createPushChannel, pushTopic } from "../../src/server/push/push-channel.server";
import type {
  PushSubscriptionStore,
  StoredSubscription,
} from "../../src/server/push/subscription-store.server";
import { browserKeys } from "../helpers/push-decrypt";
import { startPushService } from "../helpers/push-service";

/** A store in memory that counts its reads. */
function memoryStore(subscriptions: StoredSubscription[]) {
  const reads: string[][] = [];
  const store: PushSubscriptionStore = {
    async save() {
      throw new Error("not used");
    },
    async forUsers(userIds) {
      reads.push([...userIds]);
      const found = new Map<string, StoredSubscription[]>();
      for (const s of subscriptions.filter((s) => userIds.includes(s.userId))) {
        found.set(s.userId, [...(found.get(s.userId) ?? []), s]);
      }
      return found;
    },
    async remove() {
      return false;
    },
    async drop() {},
    async markOk() {},
  };
  return { store, reads };
}

function recordingLog() {
  const lines: { level: string; msg: string; fields?: object }[] = [];
  const at = (level: string) => (msg: string, fields?: object) =>
    lines.push({ level, msg, ...(fields && { fields }) });
  const log: Logger = {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
  return { log, lines };
}

const vapid = { ...webpush.generateVAPIDKeys(), subject: "mailto:admin@localhost" };
const notice = (seq: number, userId = "u-bob"): DeviceNotice => ({
  userId,
  roomId: "r1",
  messageId: `m${seq}`,
  seq,
  tag: `m:r1:${seq}`,
  title: "Ann in #a",
  body: "hi",
  url: `/r/a?m=${seq}`,
});

// A TCP server that accepts and never answers: a push service that hangs.
let sockets: Socket[] = [];
const silent = createServer((socket) => sockets.push(socket));
afterEach(() => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
});

describe("push channel", () => {
  it("a read costs no store call when nothing was pushed to that user in that room", async () => {
    const { store, reads } = memoryStore([]);
    const channel = createPushChannel({ store, vapid, log: recordingLog().log });
    await channel.read("u-bob", "r1", 5);
    // A notice for someone without devices is not remembered either.
    await channel.deliver([notice(1)]);
    expect(reads).toEqual([["u-bob"]]);
    await channel.read("u-bob", "r1", 5);
    expect(reads).toHaveLength(1);
  });

  it("never throws for a failing push service; past the queue's bound a push is dropped and logged", async () => {
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    const device = (n: number): StoredSubscription => ({
      id: `s${n}`,
      userId: "u-bob",
      endpoint: `https://127.0.0.1:${port}/push/${n}`,
      keys: browserKeys().keys,
    });
    const { store } = memoryStore([device(1), device(2), device(3)]);
    const { log, lines } = recordingLog();
    const channel = createPushChannel({ store, vapid, log, concurrency: 1, maxQueued: 1 });
    // One in flight (hanging), one waiting, the third dropped.
    await channel.deliver([notice(1)]);
    expect(lines).toMatchObject([{ level: "warn", msg: "push queue full: push dropped" }]);
    await expect.poll(() => sockets.length).toBe(1);
    // The service hangs up: each send fails, logged, never thrown.
    const sweep = setInterval(() => {
      for (const socket of sockets) socket.destroy();
    }, 20);
    try {
      await channel.idle();
    } finally {
      clearInterval(sweep);
      silent.close();
    }
    expect(lines.filter((line) => line.msg === "push failed")).toHaveLength(2);
    expect(lines.find((line) => line.msg === "push failed")?.fields).toMatchObject({
      host: `127.0.0.1:${port}`,
    });
  });

  it("a database failure reading subscriptions is logged, never thrown at the notifier", async () => {
    const { store } = memoryStore([]);
    store.forUsers = async () => {
      throw new Error("database down");
    };
    const { log, lines } = recordingLog();
    const channel = createPushChannel({ store, vapid, log });
    await expect(channel.deliver([notice(1)])).resolves.toBeUndefined();
    expect(lines).toMatchObject([
      { level: "warn", msg: "push subscriptions unreadable: nothing pushed" },
    ]);
  });

  it("the topic is a short base64url name of the tag (RFC 8030 allows 32 characters)", () => {
    const topic = pushTopic("m:6f1c2a9e-2b1d-4c1e-9f0a-1234567890ab:123456");
    expect(topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(pushTopic("m:a:1")).not.toBe(pushTopic("m:a:2"));
  });

  it("logs, never throws, when removing a gone subscription or stamping an accepted one fails", async () => {
    const service = await startPushService();
    // This process trusts the test push service's certificate, as the server does.
    setDefaultCACertificates([
      ...getCACertificates("default"),
      readFileSync(service.certFile, "utf8"),
    ]);
    try {
      const device = (name: string): StoredSubscription => ({
        id: name,
        userId: "u-bob",
        endpoint: service.endpoint(name),
        keys: browserKeys().keys,
      });
      service.answer("gone", 410);
      const { store } = memoryStore([device("gone"), device("fine")]);
      store.drop = async () => {
        throw new Error("database down");
      };
      store.markOk = async () => {
        throw new Error("database down");
      };
      const { log, lines } = recordingLog();
      const channel = createPushChannel({ store, vapid, log });
      await channel.deliver([notice(1)]);
      await channel.idle();
      await expect
        .poll(() => lines.map((line) => line.msg).sort())
        .toEqual(["push stamp failed", "push subscription removal failed"]);
      expect(service.received.map((push) => push.device).sort()).toEqual(["fine", "gone"]);
    } finally {
      await service.close();
    }
  });
});
