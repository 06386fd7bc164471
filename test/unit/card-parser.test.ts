import { describe, expect, it } from "vitest";
import { firstLink } from "../../src/core/first-link";
import { DESCRIPTION_MAX, parseCard, TITLE_MAX } from "../../src/server/previews/card-parser";

const page = "https://news.example/articles/42";
const html = (head: string, body = "<p>hello</p>") =>
  `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;

describe("OpenGraph / Twitter card parser", () => {
  it("reads og:title, og:description, og:site_name and og:image", () => {
    const card = parseCard(
      html(`
        <meta property="og:title" content="Launch day">
        <meta property="og:description" content="We shipped it.">
        <meta property="og:site_name" content="Example News">
        <meta property="og:image" content="https://cdn.example/a.png">
        <title>Ignored when og:title is there</title>`),
      page,
    );
    expect(card).toEqual({
      title: "Launch day",
      description: "We shipped it.",
      siteName: "Example News",
      imageUrl: "https://cdn.example/a.png",
    });
  });

  it("falls back to twitter:title, twitter:description and twitter:image", () => {
    const card = parseCard(
      html(`
        <meta name="twitter:title" content="From Twitter">
        <meta name="twitter:description" content="Card text">
        <meta name="twitter:image" content="/img/card.jpg">
        <title>Page title</title>`),
      page,
    );
    expect(card).toEqual({
      title: "From Twitter",
      description: "Card text",
      imageUrl: "https://news.example/img/card.jpg",
    });
  });

  it("falls back to <title> and the meta description", () => {
    const card = parseCard(
      html(`<TITLE>  Plain\n   page  </TITLE><META NAME="Description" CONTENT="About it">`),
      page,
    );
    expect(card).toEqual({ title: "Plain page", description: "About it" });
  });

  it("decodes entities in attributes and in <title>", () => {
    const card = parseCard(
      html(`<title>Tom &amp; Jerry &#8211; &quot;live&quot;</title>
        <meta property="og:description" content="caf&eacute; &lt;b&gt;bold&lt;/b&gt; &#x1F600;">`),
      page,
    );
    expect(card?.title).toBe('Tom & Jerry – "live"');
    expect(card?.description).toBe("café <b>bold</b> 😀");
  });

  it("resolves a relative image URL against the page, and ignores non-http images", () => {
    const relative = parseCard(
      html(`<meta property="og:title" content="T"><meta property="og:image" content="../i/x.png">`),
      page,
    );
    expect(relative?.imageUrl).toBe("https://news.example/i/x.png");
    const protocolRelative = parseCard(
      html(
        `<meta property="og:title" content="T"><meta property="og:image" content="//cdn.example/y.png">`,
      ),
      "http://plain.example/",
    );
    expect(protocolRelative?.imageUrl).toBe("http://cdn.example/y.png");
    const script = parseCard(
      html(
        `<meta property="og:title" content="T"><meta property="og:image" content="javascript:alert(1)">`,
      ),
      page,
    );
    expect(script).toEqual({ title: "T" });
  });

  it("no title, no card (an empty or blank og:title falls back too)", () => {
    expect(parseCard(html(`<meta property="og:description" content="only this">`), page)).toBe(
      null,
    );
    expect(parseCard(html(`<title>   </title>`), page)).toBe(null);
    expect(parseCard("not html at all", page)).toBe(null);
    expect(
      parseCard(html(`<meta property="og:title" content=" "><title>Real</title>`), page),
    ).toEqual({ title: "Real" });
  });

  it("reads only the head: tags after </head> do not count", () => {
    const card = parseCard(
      html(`<title>Head title</title>`, `<meta property="og:title" content="Body title">`),
      page,
    );
    expect(card?.title).toBe("Head title");
    expect(parseCard(html("", `<title>In body</title>`), page)).toBe(null);
  });

  it("caps lengths and drops control characters", () => {
    const long = "x".repeat(TITLE_MAX + 50);
    const card = parseCard(
      html(
        `<title>${long}</title><meta name="description" content="a\u0007b${"y".repeat(DESCRIPTION_MAX)}">`,
      ),
      page,
    );
    expect([...(card?.title ?? "")]).toHaveLength(TITLE_MAX);
    expect(card?.title.endsWith("…")).toBe(true);
    expect(card?.description?.startsWith("ab")).toBe(true);
    expect([...(card?.description ?? "")]).toHaveLength(DESCRIPTION_MAX);
  });

  it("the first value of a key wins", () => {
    const card = parseCard(
      html(`<meta property="og:title" content="First"><meta property="og:title" content="Second">`),
      page,
    );
    expect(card?.title).toBe("First");
  });
});

describe("the first link of a message", () => {
  it("takes the first http(s) URL, without trailing punctuation", () => {
    expect(firstLink("see https://a.example/x. and http://b.example")).toBe("https://a.example/x");
    expect(firstLink("(http://a.example/path)")).toBe("http://a.example/path");
    expect(firstLink("[docs](https://docs.example/page?q=1)")).toBe(
      "https://docs.example/page?q=1",
    );
    expect(firstLink("HTTP://UPPER.example/")).toBe("http://upper.example/");
  });

  it("none without an http(s) link", () => {
    expect(firstLink("no links here")).toBe(null);
    expect(firstLink("ftp://files.example/ and mailto:a@b.example")).toBe(null);
    expect(firstLink("")).toBe(null);
  });
});
