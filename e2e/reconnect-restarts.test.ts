import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable, expectConnected, signUpInto, useBrowserSuite, visit } from "./browser";

const available = chromiumAvailable();

/** The backoff cap (src/client/backoff.ts) and the target: every tab back within cap + 2 s. */
const CAP_MS = 10_000;
const DOWNTIME_MS = 20_000;
const RESTARTS = 3;

/**
 * Records every WebSocket the page makes (start, open, close) so a slow
 * reconnect can be explained afterwards: whether the tab waited on its own
 * timer or on an attempt that did not finish.
 */
function recordSockets() {
  const log: string[] = [];
  (window as unknown as { __wsLog: string[] }).__wsLog = log;
  const Native = window.WebSocket;
  class Recorded extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const started = Date.now();
      log.push(`${started} start`);
      this.addEventListener("open", () => log.push(`${Date.now()} open +${Date.now() - started}`));
      this.addEventListener("close", (e) =>
        log.push(`${Date.now()} close ${e.code} +${Date.now() - started}`),
      );
    }
  }
  window.WebSocket = Recorded;
}

async function socketEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __wsLog: string[] }).__wsLog);
}

/** WebSockets the page started between two instants. */
async function startsBetween(page: Page, from: number, to: number): Promise<number> {
  return (await socketEvents(page)).filter((line) => {
    const [at, what] = line.split(" ");
    return what === "start" && Number(at) >= from && Number(at) < to;
  }).length;
}

async function socketLog(page: Page, since: number): Promise<string> {
  return (await socketEvents(page))
    .map((line) => {
      const [at, ...rest] = line.split(" ");
      return { at: Number(at) - since, text: rest.join(" ") };
    })
    .filter((entry) => entry.at >= -DOWNTIME_MS - 5_000)
    .map((entry) => `${entry.at}ms ${entry.text}`)
    .join(", ");
}

/** Milliseconds from `since` until the page's status reads "Connected". */
async function connectedAfter(page: Page, since: number): Promise<number> {
  await expectConnected(page, 30_000);
  return Date.now() - since;
}

describe.skipIf(!available)("reconnect after long outages", () => {
  // The production defaults for upgrade budgets (the suite default lifts
  // them), so the tabs meet what `npm start` would.
  const suite = useBrowserSuite({
    serverEnv: { PARLEY_USER_CONNECTS_PER_MINUTE: "30", PARLEY_IP_CONNECTS_PER_MINUTE: "300" },
  });

  it("brings two tabs back within the backoff cap after 3 restarts with 20 s downtime", {
    timeout: 180_000,
  }, async () => {
    const { context, page: first } = await suite.open();
    await context.addInitScript(recordSockets);
    await signUpInto(context, suite.server.url, "Tabs");
    const second = await context.newPage();
    const tabs = [first, second];
    await Promise.all(tabs.map((page) => visit(page, "/r/general")));
    await Promise.all(tabs.map((page) => expectConnected(page)));

    const figures: number[] = [];
    const attempts: number[] = [];
    for (let round = 1; round <= RESTARTS; round++) {
      const stoppedAt = Date.now();
      await suite.server.stop();
      // The outage itself is the scenario: the server stays down this long.
      await new Promise((resolve) => setTimeout(resolve, DOWNTIME_MS));
      await suite.server.restart();
      // restart() resolves when the server has answered an HTTP request.
      const answeredAt = Date.now();
      const times = await Promise.all(tabs.map((page) => connectedAfter(page, answeredAt)));
      figures.push(...times);
      for (const page of tabs) attempts.push(await startsBetween(page, stoppedAt, answeredAt));
      for (const [index, page] of tabs.entries()) {
        console.info(
          `restart ${round} tab ${index + 1}: Connected ${times[index]} ms after the server answered; sockets: ${await socketLog(page, answeredAt)}`,
        );
      }
    }
    const slowest = Math.max(...figures);
    console.info(
      `reconnect figures (ms): ${figures.join(", ")}; slowest ${slowest} ms (target ${CAP_MS + 2_000} ms)`,
    );
    console.info(`WebSockets opened per tab during each outage: ${attempts.join(", ")}`);
    expect(slowest).toBeLessThanOrEqual(CAP_MS + 2_000);
    // Chromium delays every WebSocket of a renderer process by 1 to 5 s
    // once about a dozen failed there: through an outage, a tab probes
    // over HTTP and opens at most a couple of sockets that fail.
    for (const count of attempts) expect(count).toBeLessThanOrEqual(3);
  });
});
