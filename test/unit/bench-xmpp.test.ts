// The bench's XMPP client (bench/loadgen/xmpp.ts) against a scripted
// RFC 7395 server, the stanza scanning it counts deliveries with, and the
// ejabberd config the harness generates.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { ejabberdYaml } from "../../bench/lib/ejabberd";
import { postgresProblem, redisProblem } from "../../bench/lib/parley-pg";
import {
  attr,
  bodyStampOf,
  elementOf,
  fromNick,
  groupchat,
  hasStatus,
  openXmpp,
} from "../../bench/loadgen/xmpp";

const login = { user: "u1", password: "pw1", domain: "localhost", muc: "conference.localhost" };

/** What the scripted server answers to each stanza the client sends (by element name). */
type Script = Partial<Record<string, (stanza: string) => string[]>>;

let server: WebSocketServer | undefined;
afterEach(() => {
  for (const client of server?.clients ?? []) client.terminate();
  server?.close();
  server = undefined;
});

/** A WebSocket server speaking subprotocol xmpp that answers from `script`; resolves its ws:// URL. */
async function scripted(script: Script): Promise<{ url: string; received: string[] }> {
  const received: string[] = [];
  server = new WebSocketServer({
    port: 0,
    host: "127.0.0.1",
    handleProtocols: (protocols) => (protocols.has("xmpp") ? "xmpp" : false),
  });
  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      const stanza = String(data);
      received.push(stanza);
      for (const reply of script[elementOf(stanza)]?.(stanza) ?? []) socket.send(reply);
    });
  });
  await new Promise<void>((resolve) => server?.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/ws`, received };
}

const FEATURES = "<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>";
const open = () => [
  "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost'/>",
  FEATURES,
];
const happy: Script = {
  open,
  auth: () => ["<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"],
  iq: () => ["<iq type='result' id='bind'><bind><jid>u1@localhost/r</jid></bind></iq>"],
  presence: (s) => {
    const to = attr(s, "to") ?? "";
    return [
      // Another occupant first: the join is done only at our own presence.
      `<presence from='${to.replace(/\/.*/, "/someone")}'><x/></presence>`,
      `<presence from='${to}'><x><status code='110'/></x></presence>`,
    ];
  },
};

describe("the bench's XMPP client", () => {
  it("logs in with SASL PLAIN, binds and joins each room at its self-presence", async () => {
    const { url, received } = await scripted(happy);
    const conn = await openXmpp(url, login, ["general", "g-1"], () => undefined);
    conn.close();
    expect(conn.rooms.get("general")).toBe("general@conference.localhost");
    expect(conn.rooms.get("g-1")).toBe("g-1@conference.localhost");
    expect(received.map(elementOf)).toEqual(["open", "auth", "open", "iq", "presence", "presence"]);
    const auth = received[1] ?? "";
    const plain = Buffer.from(auth.replace(/<[^>]*>/g, ""), "base64").toString();
    expect(plain).toBe("\0u1\0pw1");
  });

  it("hands every stanza after the joins to the caller, as bytes", async () => {
    const echo =
      '<message from="general@conference.localhost/u2" type="groupchat"><body>b|7|12.5|x</body></message>';
    const { url } = await scripted({ ...happy, message: () => [echo] });
    const got: string[] = [];
    const conn = await openXmpp(url, login, ["general"], (buf, start, end) =>
      got.push(buf.toString("utf8", start, end)),
    );
    conn.send(groupchat("general@conference.localhost", "7_12.5_0", "b|7|12.5|x"));
    await expect.poll(() => got).toEqual([echo]);
    conn.close();
  });

  it("fails with the server's reason when SASL answers failure", async () => {
    const { url } = await scripted({
      ...happy,
      auth: () => ["<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>"],
    });
    await expect(openXmpp(url, login, ["general"], () => undefined)).rejects.toThrow(
      /xmpp auth of u1: .*not-authorized/,
    );
  });

  it("fails when the bind is refused", async () => {
    const { url } = await scripted({
      ...happy,
      iq: () => ["<iq type='error' id='bind'><error type='cancel'/></iq>"],
    });
    await expect(openXmpp(url, login, [], () => undefined)).rejects.toThrow(/xmpp bind of u1/);
  });

  it("fails when a room refuses the join with an error presence", async () => {
    const { url } = await scripted({
      ...happy,
      presence: (s) => [
        `<presence from='${attr(s, "to")}' type='error'><error type='cancel'><service-unavailable/></error></presence>`,
      ],
    });
    await expect(openXmpp(url, login, ["full"], () => undefined)).rejects.toThrow(
      /xmpp join full@conference.localhost: .*service-unavailable/,
    );
  });

  it("fails when the server closes the stream during the login", async () => {
    const { url } = await scripted({
      ...happy,
      auth: () => ["<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>"],
    });
    await expect(openXmpp(url, login, [], () => undefined)).rejects.toThrow(/xmpp stream closed/);
  });

  it("opens the socket anew when the first <open/> goes unanswered, and counts it", async () => {
    let opens = 0;
    // The first connection's <open/> is ignored; the second is answered.
    const { url } = await scripted({ ...happy, open: () => (++opens === 1 ? [] : open()) });
    const conn = await openXmpp(url, login, ["general"], () => undefined, 5_000, 200);
    conn.close();
    expect(conn.retried).toBe(1);
    // The ignored one, then the new socket's two (before and after SASL).
    expect(opens).toBe(3);
  });

  it("gives up after the retries, naming the user and the step", async () => {
    const { url } = await scripted({ open: () => [] });
    await expect(openXmpp(url, login, [], () => undefined, 400, 100, 1)).rejects.toThrow(
      /xmpp login of u1 took over 0.4 s \(waiting for stream features\)/,
    );
  });

  it("gives up on a server that never answers, naming the user", async () => {
    const { url } = await scripted({ open: () => [] });
    await expect(openXmpp(url, login, [], () => undefined, 300, 300, 0)).rejects.toThrow(
      /xmpp login of u1 took over 0.3 s/,
    );
  });
});

describe("stanza scanning", () => {
  const stanza =
    "<message xmlns='jabber:client' from='g-3@conference.localhost/u7' type='groupchat' id='5_1.5_2'><body>b|5|1701.250|lorem</body></message>";

  it("reads attributes in either quote style, of the first element only", () => {
    expect(attr(stanza, "from")).toBe("g-3@conference.localhost/u7");
    expect(attr('<iq type="result" id="bind"/>', "id")).toBe("bind");
    expect(attr("<message><x from='inner'/></message>", "from")).toBeUndefined();
  });

  it("finds the send stamp in the body and the sender's nick", () => {
    expect(bodyStampOf(stanza)).toEqual({ step: 5, sentAt: 1701.25 });
    expect(bodyStampOf("<message><body>hello</body></message>")).toBeUndefined();
    expect(fromNick(stanza)).toBe("u7");
    expect(fromNick("<presence from='room@conference.localhost'/>")).toBeUndefined();
  });

  it("names elements and status codes", () => {
    expect(elementOf("<stream:features xmlns:stream='x'/>")).toBe("stream:features");
    expect(elementOf("<success/>")).toBe("success");
    expect(hasStatus("<presence><status code='110'/></presence>", "110")).toBe(true);
    expect(hasStatus('<presence><status code="110"/></presence>', "110")).toBe(true);
    expect(hasStatus("<presence><status code='201'/></presence>", "110")).toBe(false);
  });

  it("escapes what XML needs in a body", () => {
    expect(groupchat("r@c", "1", 'a<b & "c">')).toBe(
      '<message to="r@c" type="groupchat" id="1"><body>a&lt;b &amp; &quot;c&quot;&gt;</body></message>',
    );
  });
});

describe("the generated ejabberd config", () => {
  const yaml = ejabberdYaml({
    httpPort: 5280,
    c2sPort: 5222,
    mamDb: "/tmp/x/mam.db",
    mam: "sqlite",
  });

  it("listens on loopback only, with the WebSocket handler and no MQTT", () => {
    const ips = [...yaml.matchAll(/^\s+ip: "([^"]+)"/gm)].map((m) => m[1]);
    expect(ips).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(yaml).toContain("/ws: ejabberd_http_ws");
    expect(yaml).toContain("module: ejabberd_c2s");
    expect(yaml).not.toMatch(/mqtt/i);
  });

  it("keeps rooms and their archive, with the caps lifted", () => {
    expect(yaml).toMatch(/mod_mam:\n\s+default: always\n\s+db_type: sql/);
    expect(yaml).toMatch(/default_room_options:\n\s+persistent: true\n\s+mam: true/);
    expect(yaml).toContain("max_users: 1000000");
    expect(yaml).toContain("c2s_shaper: none");
    expect(yaml).toContain("registration_timeout: infinity");
    expect(yaml).toContain('sql_database: "/tmp/x/mam.db"');
  });

  it("keeps MAM on Mnesia, with no SQL at all, when asked", () => {
    const mnesia = ejabberdYaml({ httpPort: 1, c2sPort: 2, mamDb: "/tmp/x/mam.db", mam: "mnesia" });
    expect(mnesia).toMatch(/mod_mam:\n\s+default: always\n\s+db_type: mnesia/);
    expect(mnesia).not.toMatch(/sql_type|sql_database|db_type: sql/);
  });
});

describe("the bench's service checks", () => {
  it("names why PostgreSQL or Redis cannot be used instead of throwing", async () => {
    // Port 1 on loopback: nothing listens there.
    expect(await postgresProblem("postgresql://postgres@127.0.0.1:1/test")).toMatch(/ECONNREFUSED/);
    expect(await redisProblem("redis://127.0.0.1:1")).toMatch(/ECONNREFUSED|connect/i);
  });
});
