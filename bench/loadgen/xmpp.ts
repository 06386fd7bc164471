// XMPP over WebSocket (RFC 7395, subprotocol `xmpp`) for the load generator,
// to drive ejabberd as Parley's clients drive Parley: open the stream, SASL
// PLAIN, open again, bind, then join each room (MUC presence, done at the
// self-presence with status 110). Every WebSocket message is one complete
// stanza, so a stanza is read by scanning the string, never by an XML DOM:
// the client must not be the limit at a thousand deliveries per message.
import { openLite } from "./lite-ws.ts";

const FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
const MUC = "http://jabber.org/protocol/muc";

export type XmppLogin = { user: string; password: string; domain: string; muc: string };

export type XmppConn = {
  /** Sends a raw stanza. */
  send(stanza: string): void;
  close(): void;
  /** Slug -> room JID, for every room joined. */
  rooms: Map<string, string>;
  /** The nick this connection uses in every room (its echoes come from it). */
  nick: string;
};

/** `<message>` of type groupchat to `room`, carrying `body` (escaped) and the client's id. */
export const groupchat = (room: string, id: string, body: string) =>
  `<message to="${room}" type="groupchat" id="${id}"><body>${escapeXml(body)}</body></message>`;

export const escapeXml = (s: string) =>
  s.replace(/[&<>"]/g, (c) =>
    c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;",
  );

/** The value of attribute `name` of the stanza's first element, or undefined. */
export function attr(stanza: string, name: string): string | undefined {
  const head = stanza.indexOf(">");
  const mark = ` ${name}="`;
  const at = stanza.indexOf(mark);
  if (at < 0 || (head >= 0 && at > head)) {
    // Single-quoted attributes are legal XML too.
    const single = stanza.indexOf(` ${name}='`);
    if (single < 0 || (head >= 0 && single > head)) return undefined;
    const start = single + name.length + 3;
    return stanza.slice(start, stanza.indexOf("'", start));
  }
  const start = at + mark.length;
  return stanza.slice(start, stanza.indexOf('"', start));
}

const BODY = "<body>";
/** Step and send time from a groupchat body `b|<step>|<ms>|…`, or undefined. */
export function bodyStampOf(stanza: string): { step: number; sentAt: number } | undefined {
  const at = stanza.indexOf(`${BODY}b|`);
  if (at < 0) return undefined;
  const start = at + BODY.length + 2;
  const bar = stanza.indexOf("|", start);
  const end = stanza.indexOf("|", bar + 1);
  if (bar < 0 || end < 0) return undefined;
  return { step: Number(stanza.slice(start, bar)), sentAt: Number(stanza.slice(bar + 1, end)) };
}

/** The nick (resource) of a MUC stanza's `from`, e.g. "u3" of "g-1@conference.localhost/u3". */
export function fromNick(stanza: string): string | undefined {
  const from = attr(stanza, "from");
  if (from === undefined) return undefined;
  const slash = from.indexOf("/");
  return slash < 0 ? undefined : from.slice(slash + 1);
}

/** A stanza's element name: "message", "presence", "open", "stream:features", … */
export function elementOf(stanza: string): string {
  let i = 0;
  while (i < stanza.length && stanza.charCodeAt(i) !== 60) i++; // "<"
  let j = i + 1;
  while (j < stanza.length) {
    const c = stanza.charCodeAt(j);
    if (c === 32 || c === 62 || c === 47 || c === 10 || c === 13 || c === 9) break; // " > / \n \r \t"
    j++;
  }
  return stanza.slice(i + 1, j);
}

/** True when a MUC presence carries `<status code="…"/>` (either quote). */
export const hasStatus = (stanza: string, code: string) =>
  stanza.includes(`code='${code}'`) || stanza.includes(`code="${code}"`);

/** A short reason from a `<failure>` / error stanza, for the error message. */
const reasonOf = (stanza: string) => stanza.replace(/\s+/g, " ").slice(0, 300);

type Waiter = { match: (stanza: string) => boolean; resolve: (stanza: string) => void };

/**
 * Logs in and joins `slugs`; resolves once every join's self-presence came.
 * `onStanza` hears every stanza after that (and, as bytes, is how the worker
 * counts deliveries); during the login the stanzas go to the handshake.
 */
export async function openXmpp(
  url: string,
  login: XmppLogin,
  slugs: string[],
  onBytes: (buf: Buffer, start: number, end: number) => void,
  timeoutMs = 30_000,
  /** How long the first answer (stream features) may take before the socket is opened anew. */
  featuresMs = 10_000,
  retries = 2,
): Promise<XmppConn & { retried: number }> {
  // Under load ejabberd now and then upgraded a socket and never answered
  // its first <open/> (1 in 5,000 logins here); a real client reconnects,
  // and so does this one, counting it: the harness reports the count.
  for (let retried = 0; ; retried++) {
    try {
      const conn = await loginOnce(
        url,
        login,
        slugs,
        onBytes,
        timeoutMs,
        retried < retries ? featuresMs : timeoutMs,
      );
      return { ...conn, retried };
    } catch (error) {
      if (!(error instanceof NoFeatures) || retried >= retries) throw error;
    }
  }
}

/** The server upgraded the socket but sent no stream features in time. */
class NoFeatures extends Error {}

async function loginOnce(
  url: string,
  login: XmppLogin,
  slugs: string[],
  onBytes: (buf: Buffer, start: number, end: number) => void,
  timeoutMs: number,
  featuresMs: number,
): Promise<XmppConn> {
  let waiter: Waiter | undefined;
  let failed: ((error: Error) => void) | undefined;
  let handshaking = true;
  const onPayload = (buf: Buffer, start: number, end: number) => {
    if (!handshaking) {
      onBytes(buf, start, end);
      return;
    }
    const stanza = buf.toString("utf8", start, end);
    const name = elementOf(stanza);
    if (name === "close" || name === "stream:error") {
      failed?.(new Error(`xmpp stream closed: ${reasonOf(stanza)}`));
      return;
    }
    if (waiter?.match(stanza)) {
      const { resolve } = waiter;
      waiter = undefined;
      resolve(stanza);
    }
  };
  const socket = await openLite(url, { "sec-websocket-protocol": "xmpp" }, onPayload);
  const nick = login.user;
  /** What the login waits for, named in a timeout (a slow server shows where). */
  let phase = "stream features";
  const timer = setTimeout(
    () =>
      failed?.(
        new Error(
          `xmpp login of ${login.user} took over ${timeoutMs / 1000} s (waiting for ${phase})`,
        ),
      ),
    timeoutMs,
  );
  const failure = new Promise<never>((_, reject) => {
    failed = reject;
  });
  failure.catch(() => undefined);
  /** Sends `stanza` (if any) and waits for the first stanza `match` accepts. */
  const ask = (stanza: string | undefined, match: (s: string) => boolean) => {
    const answer = new Promise<string>((resolve) => {
      waiter = { match, resolve };
    });
    if (stanza) socket.send(stanza);
    return Promise.race([answer, failure]);
  };
  const open = `<open xmlns="${FRAMING}" to="${login.domain}" version="1.0"/>`;
  const isFeatures = (s: string) => elementOf(s).endsWith("features");
  try {
    let featuresTimer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      featuresTimer = setTimeout(
        () => reject(new NoFeatures(`no stream features within ${featuresMs / 1000} s`)),
        featuresMs,
      );
    });
    late.catch(() => undefined);
    await Promise.race([ask(open, isFeatures), late]).finally(() => clearTimeout(featuresTimer));
    phase = "SASL success";
    const plain = Buffer.from(`\0${login.user}\0${login.password}`).toString("base64");
    const auth = await ask(
      `<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${plain}</auth>`,
      (s) => elementOf(s) === "success" || elementOf(s) === "failure",
    );
    if (elementOf(auth) !== "success")
      throw new Error(`xmpp auth of ${login.user}: ${reasonOf(auth)}`);
    phase = "features after SASL";
    await ask(open, isFeatures);
    phase = "bind";
    const bound = await ask(
      `<iq type="set" id="bind"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>`,
      (s) => elementOf(s) === "iq" && attr(s, "id") === "bind",
    );
    if (attr(bound, "type") !== "result")
      throw new Error(`xmpp bind of ${login.user}: ${reasonOf(bound)}`);
    const rooms = new Map<string, string>();
    for (const slug of slugs) {
      const room = `${slug}@${login.muc}`;
      const me = `${room}/${nick}`;
      phase = `self-presence from ${room}`;
      // Other occupants' presences come first; the join is done at our own,
      // which carries status 110 (or an error presence if refused).
      const self = await ask(
        `<presence to="${me}"><x xmlns="${MUC}"><history maxstanzas="0"/></x></presence>`,
        (s) =>
          elementOf(s) === "presence" &&
          attr(s, "from") === me &&
          (hasStatus(s, "110") || attr(s, "type") === "error"),
      );
      if (attr(self, "type") === "error") throw new Error(`xmpp join ${room}: ${reasonOf(self)}`);
      rooms.set(slug, room);
    }
    handshaking = false;
    return {
      send: (stanza) => socket.send(stanza),
      close: () => socket.close(),
      rooms,
      nick,
    };
  } catch (error) {
    socket.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
