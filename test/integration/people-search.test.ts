import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PEOPLE_LIMIT } from "../../src/server/fns/people";
import { authPost } from "../helpers/integration-extra";
import { usePostgresServer } from "../helpers/postgres-server";
import { type RunningServer, startServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";
import { postgresAvailable } from "../helpers/services";

// The people picker's look-up (issue 17) through the built server, as the
// browser calls it: handle, name, email and "@" prefixes, the limit, the
// asker left out and no email in the answer, on SQLite and PostgreSQL.

type Person = { id: string; name: string; handle?: string };
type Answer = { ok: true; users: Person[] } | { ok: false; error: string };

async function signUpAs(url: string, name: string, handle: string, email: string) {
  const answer = await authPost(url, "/sign-up/email", {
    name,
    email,
    handle,
    password: "correct horse battery",
  });
  if (answer.status !== 200) throw new Error(`sign-up failed: ${answer.text}`);
  const cookie = answer.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c?.startsWith("better-auth.session_token="));
  if (!cookie) throw new Error("no session cookie");
  return { cookie, id: (answer.json.user as { id: string }).id };
}

function describePeopleSearch(label: string, serverOf: () => RunningServer) {
  // One tag per run: the people of this test and nobody else's.
  const tag = randomUUID().replaceAll("-", "").slice(0, 6);
  let asker: { cookie: string; id: string };
  let dana: { cookie: string; id: string };
  const search = async (q: string) => {
    const answer = await callServerFn<Answer>(
      serverOf().url,
      "searchUsersFn",
      { q },
      { cookie: asker.cookie, method: "GET" },
    );
    if (!answer.ok || !answer.result.ok)
      throw new Error(`search failed: ${JSON.stringify(answer)}`);
    return answer.result.users;
  };

  beforeAll(async () => {
    const url = serverOf().url;
    asker = await signUpAs(url, `Asker ${tag}`, `ask${tag}`, `ask${tag}@example.test`);
    dana = await signUpAs(url, `Dana ${tag}`, `d${tag}.lee`, `mail${tag}@corp.test`);
    await signUpAs(url, `Dana ${tag}`, `d${tag}.two`, `other${tag}@corp.test`);
    for (let i = 0; i < PEOPLE_LIMIT + 2; i++) {
      await signUpAs(url, `Many ${tag} ${i}`, `many${tag}${i}`, `many${tag}${i}@corp.test`);
    }
  });

  it(`${label}: finds people by handle, by name and by email, any case, without emails`, async () => {
    const byHandle = await search(`D${tag}.L`);
    expect(byHandle).toEqual([{ id: dana.id, name: `Dana ${tag}`, handle: `d${tag}.lee` }]);
    const byName = await search(`dana ${tag}`);
    expect(byName.map((p) => p.handle).sort()).toEqual([`d${tag}.lee`, `d${tag}.two`]);
    const byEmail = await search(`MAIL${tag}@`);
    expect(byEmail.map((p) => p.id)).toEqual([dana.id]);
    expect(JSON.stringify([byHandle, byName, byEmail])).not.toMatch(/corp\.test|example\.test/);
  });

  it(`${label}: "@" means handles only`, async () => {
    expect((await search(`@d${tag}`)).map((p) => p.handle).sort()).toEqual([
      `d${tag}.lee`,
      `d${tag}.two`,
    ]);
    // The start of Dana's email and of her name are no handles.
    expect(await search(`@mail${tag}`)).toEqual([]);
    expect(await search(`@dana ${tag}`)).toEqual([]);
  });

  it(`${label}: answers at most ${PEOPLE_LIMIT}, never the asker, nothing for blank`, async () => {
    const many = await search(`many ${tag}`);
    expect(many).toHaveLength(PEOPLE_LIMIT);
    expect(await search(`ask${tag}`)).toEqual([]);
    expect(await search("   ")).toEqual([]);
    expect(await search("@")).toEqual([]);
  });

  it(`${label}: refuses a query that is too long, and asks for a session`, async () => {
    const long = await callServerFn(
      serverOf().url,
      "searchUsersFn",
      { q: "x".repeat(101) },
      { cookie: asker.cookie, method: "GET" },
    );
    expect(long.ok).toBe(false);
    const anonymous = await callServerFn(
      serverOf().url,
      "searchUsersFn",
      { q: "dana" },
      { method: "GET" },
    );
    expect(anonymous.ok && anonymous.result).not.toMatchObject({ ok: true });
  });
}

describe("people search on SQLite (built server)", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());
  describePeopleSearch("sqlite", () => server);
});

const pgReady = await postgresAvailable();

describe.runIf(pgReady)("people search on PostgreSQL (built server)", () => {
  const server = usePostgresServer("parley_people");
  describePeopleSearch("postgres", server);
});
