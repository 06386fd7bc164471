import { describe, expect, it } from "vitest";
import {
  escapeHtml,
  renderDigest,
  SNIPPET_CHARS,
  snippet,
} from "../../src/server/email/digest-render";
import {
  unsubscribeToken,
  verifyUnsubscribeToken,
} from "../../src/server/email/unsubscribe-token.server";
import { defaultFrom } from "../../src/server/mail/mailer.server";

const SECRET = "unit-secret-unit-secret-unit-secret-0123";

describe("missed-message digest rendering", () => {
  const items = [
    {
      roomName: "general",
      dm: false,
      author: "Ann <admin>",
      text: 'look: <script>alert("x")</script> & <img src=x onerror=alert(1)>',
      url: "https://chat.example/r/general?m=7",
    },
    {
      roomName: "dm-1",
      dm: true,
      author: "Bob",
      text: "ping",
      url: "https://chat.example/r/dm-1?m=2",
    },
  ];

  it("escapes message text, names and links in the HTML part", () => {
    const { html } = renderDigest(items, "https://chat.example/api/email/unsubscribe?token=a&b");
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<admin>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img");
    expect(html).toContain("Ann &lt;admin&gt; in #general");
    expect(html).toContain('href="https://chat.example/r/general?m=7"');
    expect(html).toContain('href="https://chat.example/api/email/unsubscribe?token=a&amp;b"');
  });

  it("lists every item with its link in the plain-text part, and counts them in the subject", () => {
    const { text, subject } = renderDigest(items, "https://u");
    expect(subject).toBe("You missed 2 messages on Parley");
    expect(text).toContain("Ann <admin> in #general:");
    expect(text).toContain("Bob (direct message):");
    expect(text).toContain("https://chat.example/r/general?m=7");
    expect(text).toContain("https://chat.example/r/dm-1?m=2");
    expect(text).toContain("https://u");
    expect(renderDigest(items.slice(1), "https://u").subject).toBe(
      "You missed a message from Bob on Parley",
    );
  });

  it("cuts long text to a snippet on a character boundary and flattens whitespace", () => {
    const long = "😀".repeat(SNIPPET_CHARS + 10);
    const cut = snippet(long);
    expect([...cut]).toHaveLength(SNIPPET_CHARS);
    expect(cut.endsWith("…")).toBe(true);
    expect(snippet(" a\n\n b\t c ")).toBe("a b c");
    expect(escapeHtml(`'"`)).toBe("&#39;&quot;");
  });

  it("defaults From to parley@ the public URL's host", () => {
    expect(defaultFrom("https://chat.example.org:8443/x")).toBe("Parley <parley@chat.example.org>");
    expect(defaultFrom(undefined)).toBe("Parley <parley@localhost>");
  });
});

describe("unsubscribe token", () => {
  it("round-trips the user id", () => {
    const token = unsubscribeToken(SECRET, "user-1");
    expect(verifyUnsubscribeToken(SECRET, token)).toBe("user-1");
  });

  it("refuses another secret, a changed body or signature, junk and empty", () => {
    const token = unsubscribeToken(SECRET, "user-1");
    const [body, mac] = token.split(".") as [string, string];
    expect(verifyUnsubscribeToken(`${SECRET}x`, token)).toBeNull();
    const otherBody = Buffer.from(JSON.stringify({ u: "user-2", p: "missed-email" })).toString(
      "base64url",
    );
    expect(verifyUnsubscribeToken(SECRET, `${otherBody}.${mac}`)).toBeNull();
    const flipped = mac.startsWith("A") ? `B${mac.slice(1)}` : `A${mac.slice(1)}`;
    expect(verifyUnsubscribeToken(SECRET, `${body}.${flipped}`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, `${body}.${mac}.x`)).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, "nonsense")).toBeNull();
    expect(verifyUnsubscribeToken(SECRET, "")).toBeNull();
  });

  it("binds the purpose: a validly signed token for another purpose is refused", () => {
    // Sign a body with another purpose the way the module does, then check it as missed-email.
    const forged = unsubscribeToken(SECRET, "user-1", "other" as "missed-email");
    expect(verifyUnsubscribeToken(SECRET, forged)).toBeNull();
  });
});
