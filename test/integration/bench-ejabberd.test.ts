// The bench's ejabberd peer for real (bench/lib/ejabberd.ts and the XMPP
// client of bench/loadgen/xmpp.ts): users registered, a groupchat round
// trip with the sender's echo, a wrong password refused, and a stop that
// leaves no Erlang VM and no spool behind. ejabberd is an optional bench
// peer (bench/setup-ejabberd.sh installs it, and so does .ci/run), so without
// it this file is skipped with a banner locally and fails in CI.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EJABBERDCTL,
  type Ejabberd,
  type EjabberdData,
  MUC_DOMAIN,
  prepareEjabberd,
  removeEjabberdData,
  startEjabberd,
  XMPP_DOMAIN,
  xmppUser,
} from "../../bench/lib/ejabberd";
import { bodyStampOf, fromNick, groupchat, openXmpp } from "../../bench/loadgen/xmpp";

const installed = existsSync(EJABBERDCTL);
// .ci/run installs it (bench/setup-ejabberd.sh), so there a missing one is a failure.
if (!installed && process.env.CI === "true") {
  throw new Error(`${EJABBERDCTL} missing and CI requires it: run bench/setup-ejabberd.sh`);
}
if (!installed) {
  const line = "!".repeat(72);
  console.warn(
    `\n${line}\n!! ${EJABBERDCTL} missing: SKIPPING the ejabberd bench peer's tests\n!! (bench/setup-ejabberd.sh installs it)\n${line}\n`,
  );
}

const login = (i: number) => ({ ...xmppUser(i), domain: XMPP_DOMAIN, muc: MUC_DOMAIN });

describe.runIf(installed)("ejabberd as the bench runs it", () => {
  let data: EjabberdData;
  let server: Ejabberd;

  beforeAll(async () => {
    data = await prepareEjabberd(3);
    server = await startEjabberd(data);
  }, 60_000);

  // The last test stops and removes them itself; this covers a failure before it.
  afterAll(async () => {
    await server?.stop();
    if (data) removeEjabberdData(data);
  });

  it("delivers a groupchat message to the other occupant and echoes it to the sender", async () => {
    const heard: string[][] = [[], []];
    const [ann, bob] = await Promise.all(
      [0, 1].map((i) =>
        openXmpp(server.wsUrl, login(i), ["room-a"], (buf, start, end) =>
          heard[i]?.push(buf.toString("utf8", start, end)),
        ),
      ),
    );
    try {
      const room = ann?.rooms.get("room-a") ?? "";
      ann?.send(groupchat(room, "1_5.0_0", "b|1|5.000|hello"));
      const stamped = (i: number) => heard[i]?.find((s) => bodyStampOf(s)?.step === 1);
      await expect.poll(() => stamped(1), { timeout: 10_000 }).toBeDefined();
      await expect.poll(() => stamped(0), { timeout: 10_000 }).toBeDefined();
      // Bob hears it from u0; Ann's copy is the room's echo of her own send.
      expect(fromNick(stamped(1) ?? "")).toBe("u0");
      expect(fromNick(stamped(0) ?? "")).toBe(ann?.nick);
    } finally {
      ann?.close();
      bob?.close();
    }
  });

  it("refuses a wrong password with the SASL failure", async () => {
    await expect(
      openXmpp(server.wsUrl, { ...login(2), password: "wrong" }, [], () => undefined),
    ).rejects.toThrow(/xmpp auth of u2: .*not-authorized/);
  });

  it("stops without leaving its VM or spool behind", async () => {
    const { pid } = server;
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    await server.stop();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    removeEjabberdData(data);
    expect(existsSync(data.dir)).toBe(false);
  }, 60_000);
});
