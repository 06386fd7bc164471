import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "../helpers/clients";
import { openDb, startServeLike } from "../helpers/integration-extra";
import type { RunningServer } from "../helpers/server";
import { callServerFn } from "../helpers/server-fns";

// Issue 14: the sign-up policy and invite links, against the built server.

let server: RunningServer;
let owner: { cookie: string; email: string };

beforeAll(async () => {
  server = await startServeLike();
  owner = await signUp(server.url, { name: "Olive" }); // the first account: the owner
});
afterAll(async () => {
  await server?.stop();
});

function setSetting(key: string, value: unknown) {
  const db = openDb(server.dataDir);
  try {
    db.prepare(
      "INSERT INTO server_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ).run(key, JSON.stringify(value));
  } finally {
    db.close();
  }
}

function query<T>(sql: string, ...params: (string | number | null)[]): T[] {
  const db = openDb(server.dataDir);
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Signs up through the HTTP API, with the invite cookie the /invite page leaves when given. */
async function trySignUp(email: string, token?: string) {
  const response = await fetch(`${server.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: server.url,
      ...(token ? { cookie: `parley_invite=${encodeURIComponent(token)}` } : {}),
    },
    body: JSON.stringify({
      name: `New ${randomUUID().slice(0, 4)}`,
      email,
      password: "correct horse battery",
    }),
  });
  const json = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    user?: { id: string };
  };
  return { status: response.status, json };
}

const freshEmail = (domain = "example.test") => `u-${randomUUID().slice(0, 8)}@${domain}`;

type Made = { ok: true; id: string; path: string } | { ok: false; error: string };

async function makeInvite(
  cookie: string,
  options: { roomId?: string | null; expiry?: string; maxUses?: number | null; role?: string } = {},
) {
  const answer = await callServerFn<Made>(
    server.url,
    "createInviteFn",
    {
      roomId: options.roomId ?? null,
      expiry: options.expiry ?? "7d",
      maxUses: options.maxUses === undefined ? null : options.maxUses,
      role: options.role ?? "member",
    },
    { cookie },
  );
  if (!answer.ok) throw new Error(`createInviteFn failed: ${JSON.stringify(answer.error)}`);
  return answer.result;
}

function tokenOf(made: Made): string {
  if (!made.ok) throw new Error(made.error);
  return made.path.replace("/invite/", "");
}

async function info(token: string, cookie?: string) {
  const answer = await callServerFn<{
    state: string;
    reason: string | null;
    usesLeft: number | null;
    roomName: string | null;
    inviterName: string | null;
  }>(server.url, "inviteInfoFn", { token }, { method: "GET", ...(cookie ? { cookie } : {}) });
  if (!answer.ok) throw new Error(JSON.stringify(answer.error));
  return answer.result;
}

describe("sign-up policy", () => {
  it("open by default; invite refuses without a link and admits with one", async () => {
    expect((await trySignUp(freshEmail())).status).toBe(200);
    setSetting("signupPolicy", "invite");
    try {
      const refused = await trySignUp(freshEmail());
      expect(refused.status).toBe(400);
      expect(refused.json.message).toBe("Sign-up here needs an invite link.");
      const token = tokenOf(await makeInvite(owner.cookie));
      const admitted = await trySignUp(freshEmail(), token);
      expect(admitted.status).toBe(200);
      const bogus = await trySignUp(freshEmail(), "not-a-real-token");
      expect(bogus.status).toBe(400);
      expect(bogus.json.message).toMatch(/does not exist/);
    } finally {
      setSetting("signupPolicy", "open");
    }
  });

  it("domain admits only the allowed domains and names them when refusing", async () => {
    setSetting("signupPolicy", "domain");
    setSetting("allowedDomains", ["example.com", "corp.example"]);
    try {
      const refused = await trySignUp(freshEmail("elsewhere.test"));
      expect(refused.status).toBe(400);
      expect(refused.json.message).toBe(
        "Sign-up here is for addresses at example.com, corp.example.",
      );
      expect((await trySignUp(freshEmail("Example.COM"))).status).toBe(200);
      // An invite admits under the domain policy too.
      const token = tokenOf(await makeInvite(owner.cookie));
      expect((await trySignUp(freshEmail("elsewhere.test"), token)).status).toBe(200);
    } finally {
      setSetting("signupPolicy", "open");
    }
  });
});

describe("invite links", () => {
  it("a use limit of 1: two sign-ups racing for it, exactly one wins", async () => {
    setSetting("signupPolicy", "invite");
    try {
      const made = await makeInvite(owner.cookie, { maxUses: 1 });
      const token = tokenOf(made);
      expect((await info(token)).usesLeft).toBe(1);
      const results = await Promise.all([
        trySignUp(freshEmail(), token),
        trySignUp(freshEmail(), token),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 400]);
      const loser = results.find((r) => r.status === 400);
      expect(loser?.json.message).toMatch(/used as many times as it allows/);
      const [row] = query<{ uses: number }>(
        "SELECT uses FROM invite WHERE id = ?",
        made.ok ? made.id : "",
      );
      expect(row?.uses).toBe(1);
      expect((await info(token)).state).toBe("used_up");
    } finally {
      setSetting("signupPolicy", "open");
    }
  });

  it("a limit of 5 admits five and refuses the sixth", async () => {
    setSetting("signupPolicy", "invite");
    try {
      const token = tokenOf(await makeInvite(owner.cookie, { maxUses: 5, expiry: "1d" }));
      for (let i = 0; i < 5; i += 1)
        expect((await trySignUp(freshEmail(), token)).status).toBe(200);
      expect((await trySignUp(freshEmail(), token)).status).toBe(400);
    } finally {
      setSetting("signupPolicy", "open");
    }
  });

  it("an expired link is refused and the page says it expired", async () => {
    setSetting("signupPolicy", "invite");
    try {
      const made = await makeInvite(owner.cookie, { expiry: "1h" });
      const token = tokenOf(made);
      const [row] = query<{ created_at: number; expires_at: number }>(
        "SELECT created_at, expires_at FROM invite WHERE id = ?",
        made.ok ? made.id : "",
      );
      expect(Number(row?.expires_at) - Number(row?.created_at)).toBe(60 * 60 * 1000);
      query(
        "UPDATE invite SET expires_at = ? WHERE id = ? RETURNING id",
        Date.now() - 1,
        made.ok ? made.id : "",
      );
      const refused = await trySignUp(freshEmail(), token);
      expect(refused.status).toBe(400);
      expect(refused.json.message).toBe("This invite link has expired. Ask for a new one.");
      const page = await info(token);
      expect(page.state).toBe("expired");
      const html = await (await fetch(`${server.url}/invite/${token}`)).text();
      expect(html).toContain("This invite link has expired.");
    } finally {
      setSetting("signupPolicy", "open");
    }
  });

  it("revoking ends a link; both actions are in the audit log", async () => {
    const made = await makeInvite(owner.cookie);
    const token = tokenOf(made);
    const id = made.ok ? made.id : "";
    const revoked = await callServerFn<{ ok: boolean }>(
      server.url,
      "revokeInviteFn",
      { id },
      { cookie: owner.cookie },
    );
    expect(revoked.ok && revoked.result.ok).toBe(true);
    expect((await info(token)).state).toBe("revoked");
    setSetting("signupPolicy", "invite");
    try {
      const refused = await trySignUp(freshEmail(), token);
      expect(refused.json.message).toBe("This invite link was revoked. Ask for a new one.");
    } finally {
      setSetting("signupPolicy", "open");
    }
    const audit = query<{ action: string; details: string }>(
      "SELECT action, details FROM audit_log WHERE action LIKE 'invite.%' AND details LIKE ?",
      `%${id}%`,
    );
    expect(audit.map((a) => a.action).sort()).toEqual(["invite.create", "invite.revoke"]);
  });

  it("a room's link joins the new account and a signed-in user to the room; members cannot make links", async () => {
    const clubName = `club ${randomUUID().slice(0, 6)}`;
    const created = await callServerFn<{ ok: true; room: { id: string; slug: string } }>(
      server.url,
      "createRoomFn",
      { name: clubName, private: true },
      { cookie: owner.cookie },
    );
    if (!created.ok) throw new Error(JSON.stringify(created.error));
    const room = created.result.room;
    const made = await makeInvite(owner.cookie, { roomId: room.id, maxUses: 5 });
    const token = tokenOf(made);
    const shown = await info(token);
    expect(shown.roomName).toBe(clubName);
    expect(shown.inviterName).toBe("Olive");

    const email = freshEmail();
    const signed = await trySignUp(email, token);
    expect(signed.status).toBe(200);
    const newId = signed.json.user?.id ?? "";
    expect(
      query("SELECT 1 FROM room_member WHERE room_id = ? AND user_id = ?", room.id, newId),
    ).toHaveLength(1);

    const member = await signUp(server.url);
    const refused = await callServerFn<Made>(
      server.url,
      "createInviteFn",
      {
        roomId: room.id,
        expiry: "1d",
        maxUses: 1,
        role: "member",
      },
      { cookie: member.cookie },
    );
    expect(refused.ok && !refused.result.ok && refused.result.error).toBe(
      "Only this room's moderators and admins make its invite links.",
    );
    const accepted = await callServerFn<{ ok: boolean; slug: string | null }>(
      server.url,
      "acceptInviteFn",
      { token },
      { cookie: member.cookie },
    );
    expect(accepted.ok && accepted.result).toEqual({ ok: true, slug: room.slug });
    const [memberRow] = query<{ id: string }>("SELECT id FROM user WHERE email = ?", member.email);
    expect(
      query(
        "SELECT 1 FROM room_member WHERE room_id = ? AND user_id = ?",
        room.id,
        memberRow?.id ?? "",
      ),
    ).toHaveLength(1);
    expect((await info(token)).usesLeft).toBe(3);
  });

  it("a guest link gives the guest role; only admins make one", async () => {
    const token = tokenOf(await makeInvite(owner.cookie, { role: "guest" }));
    const email = freshEmail();
    expect((await trySignUp(email, token)).status).toBe(200);
    const [row] = query<{ role: string }>("SELECT role FROM user WHERE email = ?", email);
    expect(row?.role).toBe("guest");
    const member = await signUp(server.url);
    const refused = await callServerFn<Made>(
      server.url,
      "createInviteFn",
      {
        roomId: null,
        expiry: "1d",
        maxUses: 1,
        role: "guest",
      },
      { cookie: member.cookie },
    );
    expect(refused.ok && !refused.result.ok && refused.result.error).toBe(
      "Only admins make server invite links.",
    );
  });
});
