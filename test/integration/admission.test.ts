import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, signUp, type TestSocket } from "../helpers/clients";
import { abortedHandshake, HANG_UPS, healthy } from "../helpers/handshake";
import { closeAll } from "../helpers/integration-extra";
import { type RunningServer, startServer } from "../helpers/server";

// Issue 18, F-8: socket slots were counted at upgrade and freed only by the
// `close` hook, which a client that hangs up before the 101 never reaches,
// so each such handshake leaked a per-user and a per-IP slot until restart.
const PER_USER = 3;
const PER_IP = 5;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({
    env: {
      PARLEY_MAX_SOCKETS_PER_USER: String(PER_USER),
      PARLEY_MAX_SOCKETS_PER_IP: String(PER_IP),
    },
  });
});
afterAll(() => server?.stop());

/** Opens sockets for the cookie until one is refused; resolves with the open ones. */
async function openUntilRefused(cookie: string, most: number): Promise<TestSocket[]> {
  const sockets: TestSocket[] = [];
  for (let i = 0; i < most; i++) {
    try {
      sockets.push(await connect(server.url, cookie));
    } catch {
      break;
    }
  }
  return sockets;
}

describe("socket slots (F-8)", () => {
  it("handshakes that hang up before the 101 leave no slot behind", async () => {
    const attacker = await signUp(server.url);
    const bystander = await signUp(server.url);
    const third = await signUp(server.url);
    // Bursts from one address, with a valid session, hanging up at every point.
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          abortedHandshake(server.url, HANG_UPS[i % HANG_UPS.length] ?? "after-request", {
            cookie: attacker.cookie,
            origin: server.url,
          }),
        ),
      );
    }
    expect(await healthy(server.url)).toBe(true);
    // Slots are freed as the server sees each TCP close: poll until the
    // attacker's full quota opens again.
    const deadline = Date.now() + 5_000;
    let own: TestSocket[] = [];
    while (Date.now() < deadline) {
      own = await openUntilRefused(attacker.cookie, PER_USER);
      if (own.length === PER_USER) break;
      await closeAll(own);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(own.length).toBe(PER_USER);
    await closeAll(own);
    // A bystander on the same address can open the address's full number.
    const theirs = await openUntilRefused(bystander.cookie, PER_USER + 1);
    expect(theirs.length).toBe(PER_USER);
    const rest = await openUntilRefused(third.cookie, PER_IP);
    expect(rest.length).toBe(PER_IP - PER_USER);
    await closeAll([...theirs, ...rest]);
  });

  it("the per-user cap holds under parallel upgrades", async () => {
    const user = await signUp(server.url);
    const attempts = await Promise.allSettled(
      Array.from({ length: 10 }, () => connect(server.url, user.cookie)),
    );
    const opened = attempts.flatMap((a) => (a.status === "fulfilled" ? [a.value] : []));
    expect(opened.length).toBe(PER_USER);
    await closeAll(opened);
  });
});
