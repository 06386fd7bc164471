import { describe, expect, it } from "vitest";
import { liveSocketTokens } from "../../src/server/ws/token-session.server";

describe("liveSocketTokens", () => {
  it("asks api_token for pat: sockets and the session table for the rest", async () => {
    const asked: { sessions: string[][]; ids: string[][] } = { sessions: [], ids: [] };
    const live = await liveSocketTokens(
      ["s1", "pat:aaaaaaaaaaaa", "s2", "pat:bbbbbbbbbbbb"],
      async (tokens) => {
        asked.sessions.push(tokens);
        return new Set(["s1"]);
      },
      async (ids) => {
        asked.ids.push(ids);
        return new Set(["bbbbbbbbbbbb"]);
      },
    );
    expect(asked).toEqual({
      sessions: [["s1", "s2"]],
      ids: [["aaaaaaaaaaaa", "bbbbbbbbbbbb"]],
    });
    expect([...live].sort()).toEqual(["pat:bbbbbbbbbbbb", "s1"]);
  });

  it("asks neither source for tokens it has none of", async () => {
    const fail = async (): Promise<Set<string>> => {
      throw new Error("not asked");
    };
    expect(await liveSocketTokens(["pat:aaaaaaaaaaaa"], fail, async () => new Set())).toEqual(
      new Set(),
    );
    expect(await liveSocketTokens(["s1"], async () => new Set(["s1"]), fail)).toEqual(
      new Set(["s1"]),
    );
  });
});
