import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { highlightCode } from "../../src/client/highlight-languages";
import { parseMessage, safeHref, withinParseBudget } from "../../src/client/markdown";
import { CodeBlock, codeLanguage, renderHighlighted } from "../../src/components/CodeBlock";
import { MessageText } from "../../src/components/MessageText";

/** The markup a message renders to (as the server renders it). */
/** The room's members: mentions of their handles are painted, others stay text. */
const members = ["bob", "carol", "dave", "erin"].map((handle) => ({ handle }));
const render = (text: string, me: string | null = null) =>
  renderToStaticMarkup(createElement(MessageText, { text, me, members }));

/** The text a reader sees in markup: tags dropped, the five escapes React writes undone. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

/** Every tag name in the markup. */
const tagsOf = (html: string) => [...html.matchAll(/<([a-z0-9]+)/g)].map((m) => m[1]);
const hrefsOf = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);

// The payloads of e2e/xss.test.ts, and more of their kind.
const XSS_PAYLOADS = [
  `<img src=x onerror="window.__xss=1">`,
  "<script>window.__xss=2</script>",
  "try javascript:alert(1) now",
  `<a href="javascript:alert(1)">click</a>`,
  "<svg onload=alert(1)>",
  `<iframe src="https://evil.example"></iframe>`,
  "hi <b onmouseover=alert(1)>there</b> you",
  "<style>body{display:none}</style>",
  "<!-- hidden --> shown",
  `<div>\n\n**still text**\n\n</div>`,
  "<details open ontoggle=alert(1)>",
  "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
];
const MARKUP_TAGS = new Set(["div", "p", "span", "strong"]);

describe("the markdown rules: raw HTML is text", () => {
  for (const payload of XSS_PAYLOADS) {
    it(`shows ${JSON.stringify(payload)} as the characters typed`, () => {
      const html = render(payload);
      for (const tag of tagsOf(html)) expect(MARKUP_TAGS).toContain(tag);
      expect(hrefsOf(html)).toEqual([]);
      expect(html).not.toMatch(/<[^>]* on[a-z]+=/);
      // Markdown may only have turned `**x**` into strong; the characters stay.
      expect(textOf(html).replace(/\s+/g, "")).toBe(
        payload.replace(/\*\*/g, "").replace(/\s+/g, ""),
      );
    });
  }

  it("keeps HTML inside code as text too", () => {
    const html = render("```html\n<img src=x onerror=alert(1)>\n```\n\n`<script>`");
    expect(tagsOf(html).filter((t) => t === "img" || t === "script")).toEqual([]);
    expect(textOf(html)).toContain("<img src=x onerror=alert(1)>");
    expect(textOf(html)).toContain("<script>");
  });
});

// Ways to write a `javascript:` (or other dangerous) target that a browser
// would still run: case, entities, whitespace and control characters.
const BAD_TARGETS = [
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "JAVASCRIPT:alert(1)",
  "&#106;avascript:alert(1)",
  "&#x6A;avascript:alert(1)",
  "&#0000106;avascript:alert(1)",
  "&#X6a;&#X61;vascript:alert(1)",
  "javascript&colon;alert(1)",
  "java&#x09;script:alert(1)",
  "java&#x0A;script:alert(1)",
  "java&Tab;script:alert(1)",
  "java&NewLine;script:alert(1)",
  "&#x20;javascript:alert(1)",
  "&#x01;javascript:alert(1)",
  "<java\tscript:alert(1)>",
  "<javascript:alert(1)>",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "DATA:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "VBScript:msgbox(1)",
  "file:///etc/passwd",
  "/relative/path",
  "//evil.example/x",
  "%6Aavascript:alert(1)",
];

describe("the markdown rules: links are http, https or mailto only", () => {
  for (const target of BAD_TARGETS) {
    it(`refuses [x](${target}) and <${target}> as links`, () => {
      for (const text of [`[x](${target})`, `<${target}>`, `see [**x**](${target}) here`]) {
        const html = render(text);
        expect(tagsOf(html)).not.toContain("a");
        expect(hrefsOf(html)).toEqual([]);
      }
    });
  }

  it("judges a URL as the browser parses it", () => {
    for (const url of [
      "javascript:alert(1)",
      "java\tscript:alert(1)",
      "java\nscript:alert(1)",
      "java\r\nscript:alert(1)",
      " \tJaVaScRiPt:alert(1)",
      "\u0000javascript:alert(1)",
      "\u001fjavascript:alert(1)",
      "javascript\u0000:alert(1)",
      "data:,x",
      "vbscript:x",
      "blob:https://example.com/x",
      "ftp://example.com/x",
      "relative",
      "",
    ]) {
      expect(safeHref(url), JSON.stringify(url)).toBeNull();
    }
    expect(safeHref("https://example.com/x")).toBe("https://example.com/x");
    expect(safeHref("HTTP://Example.COM")).toBe("http://example.com/");
    expect(safeHref("mailto:a@example.com")).toBe("mailto:a@example.com");
  });

  it("links http, https and mailto targets, bracketed, in <> and bare", () => {
    const html = render(
      "[site](https://example.com/x) <http://example.org/a> mail <mailto:a@example.com> or <b@example.com>, bare https://example.net/p?q=1.",
    );
    expect(hrefsOf(html)).toEqual([
      "https://example.com/x",
      "http://example.org/a",
      "mailto:a@example.com",
      "mailto:b@example.com",
      "https://example.net/p?q=1",
    ]);
    expect(html).toContain('target="_blank" rel="noopener noreferrer nofollow"');
    expect(textOf(html)).toContain("bare https://example.net/p?q=1.");
  });

  it("shows a refused link as the text it was written as", () => {
    expect(textOf(render("go [here](javascript:alert(1)) now"))).toBe(
      "go [here](javascript:alert(1)) now",
    );
  });

  it("keeps underscores and stars inside a bare URL", () => {
    const html = render("https://example.com/a_b_c/*x*/end");
    expect(hrefsOf(html)).toEqual(["https://example.com/a_b_c/*x*/end"]);
    expect(tagsOf(html)).not.toContain("em");
  });
});

describe("the markdown rules: formatting", () => {
  it("renders each construct as its semantic element", () => {
    const cases: [string, RegExp][] = [
      ["**bold**", /<strong>bold<\/strong>/],
      ["__bold__", /<strong>bold<\/strong>/],
      ["*italic*", /<em>italic<\/em>/],
      ["_italic_", /<em>italic<\/em>/],
      ["~~gone~~", /<del>gone<\/del>/],
      ["a `x < y` b", /<code[^>]*>x &lt; y<\/code>/],
      [
        "```ts\nconst a = 1;\n```",
        /<pre[^>]*><code class="language-ts font-mono">const a = 1;<\/code><\/pre>/,
      ],
      ["```\nplain\n```", /<pre[^>]*><code class="font-mono">plain<\/code><\/pre>/],
      ["> quoted", /<blockquote[^>]*><p[^>]*>quoted<\/p><\/blockquote>/],
      ["- one\n- two", /<ul[^>]*><li><p[^>]*>one<\/p><\/li><li><p[^>]*>two<\/p><\/li><\/ul>/],
      ["1. one\n2. two", /<ol[^>]*><li>/],
      ["3. three\n4. four", /<ol start="3"/],
      ["***both***", /<em><strong>both<\/strong><\/em>/],
      ["line one  \nline two", /line one<br\/>line two/],
    ];
    for (const [text, markup] of cases) expect(render(text), text).toMatch(markup);
  });

  it("leaves chat habits alone: single tildes, snake_case, headings, rules, indents", () => {
    const cases = [
      "about ~5 minutes, ~10 at most",
      "call my_var_name here",
      "# 3 is mine",
      "Title\n===",
      "---",
      "    four spaces",
    ];
    for (const text of cases) {
      const html = render(text);
      expect(
        tagsOf(html).filter((t) => !["div", "p", "span"].includes(t ?? "")),
        text,
      ).toEqual([]);
      expect(textOf(html).trim()).toBe(text.trim());
    }
  });

  it("never shows an image: ![alt](url) stays text, and so do reference links", () => {
    const image = render("![alt](https://example.com/a.png)");
    expect(tagsOf(image)).not.toContain("img");
    expect(tagsOf(image)).not.toContain("a");
    // No definitions: `[a]` cannot point somewhere its text does not show.
    const reference = render("[a]: https://example.com/x\n\n[a]");
    expect(hrefsOf(reference)).toEqual(["https://example.com/x"]);
    expect(reference).toMatch(/<a [^>]*>https:\/\/example.com\/x<\/a>/);
    expect(textOf(reference)).toContain("[a]");
    expect(textOf(render("look ![cat](https://example.com/c.png)"))).toBe(
      "look ![cat](https://example.com/c.png)",
    );
  });

  it("marks mentions inside formatted text, not inside code or a link's text", () => {
    const html = render("**@bob** and _@carol_ `@dave` [@erin](https://example.com)", "carol");
    expect(html).toMatch(/<strong><mark[^>]*>@bob<\/mark><\/strong>/);
    expect(html).toMatch(/<em><mark data-self="true"[^>]*>@carol<\/mark><\/em>/);
    expect(html).toMatch(/<code[^>]*>@dave<\/code>/);
    expect(html).toMatch(/<a [^>]*>@erin<\/a>/);
    expect(html.match(/<mark/g)).toHaveLength(2);
  });

  it("parses positions for every node, so refused nodes can show their source", () => {
    const tree = parseMessage("a **b** [c](javascript:x) ![d](e)");
    const walk = (node: { position?: unknown; children?: unknown[] }): void => {
      expect(node.position).toBeDefined();
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    walk(tree);
  });
});

describe("the markdown rules: code blocks", () => {
  it("highlights a known language as spans of highlight.js classes", () => {
    const tree = highlightCode("ts", "const answer: number = 42; // why");
    expect(tree).not.toBeNull();
    const html = renderToStaticMarkup(
      createElement(Fragment, null, renderHighlighted(tree?.children ?? [])),
    );
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-number">42</span>');
    expect(html).toContain('<span class="hljs-comment">// why</span>');
  });

  it("keeps markup in highlighted code as text", () => {
    const tree = highlightCode("html", `<img src=x onerror="alert(1)"><script>alert(2)</script>`);
    const html = renderToStaticMarkup(
      createElement(Fragment, null, renderHighlighted(tree?.children ?? [])),
    );
    expect(tagsOf(html).every((tag) => tag === "span")).toBe(true);
    expect(textOf(html)).toBe(`<img src=x onerror="alert(1)"><script>alert(2)</script>`);
  });

  it("knows no unknown language, and takes only class-safe fence names", () => {
    expect(highlightCode("no-such-language", "x")).toBeNull();
    expect(codeLanguage("TypeScript")).toBe("typescript");
    expect(codeLanguage("c++")).toBe("c++");
    expect(codeLanguage('ts" onclick="x')).toBeNull();
    expect(codeLanguage("")).toBeNull();
    expect(codeLanguage(null)).toBeNull();
  });

  it("renders plain on the server and scrolls long lines inside the block", () => {
    const html = renderToStaticMarkup(
      createElement(CodeBlock, { code: "x".repeat(500), lang: "ts" }),
    );
    expect(html).not.toContain("hljs");
    expect(html).toMatch(/<pre tabindex="0" class="[^"]*overflow-x-auto/);
  });
});

describe("the markdown rules: a parse budget", () => {
  // Inputs micromark takes quadratic time on: 1 to 2 s each at 4000 characters.
  const costly = {
    "nested list markers": "- ".repeat(2000),
    "nested quote markers": "> ".repeat(2000),
    "ordered markers": "1. ".repeat(1300),
    "ever deeper indented lists": Array.from(
      { length: 200 },
      (_, i) => `${"  ".repeat(i)}- x`,
    ).join("\n"),
    "nested brackets": `${"[".repeat(2000)}a${"](b)".repeat(2000)}`,
    "mixed delimiters": "*_".repeat(2000),
    "a fence the scan must not trust": `\`\`\`a\`b\n${"- ".repeat(2000)}`,
  };
  for (const [name, text] of Object.entries(costly)) {
    it(`shows ${name} plain, every character kept`, () => {
      expect(withinParseBudget(text)).toBe(false);
      const html = render(text);
      expect(html).toContain('data-plain="true"');
      expect(textOf(html)).toBe(text);
    });
  }

  it("keeps links and mentions in plain text", () => {
    const text = `${"*_".repeat(600)} @carol https://example.com/x`;
    const html = render(text, "carol");
    expect(html).toContain('data-plain="true"');
    expect(hrefsOf(html)).toEqual(["https://example.com/x"]);
    expect(html).toMatch(/<mark data-self="true"[^>]*>@carol<\/mark>/);
  });

  it("formats ordinary messages, long lists and big code pastes", () => {
    const code = `\`\`\`python\n${"def f(a=[1, 2], *args, **kw): return a[0] * 2  # __x__\n".repeat(60)}\`\`\``;
    for (const text of [
      "**bold** and _it_ with [a link](https://example.com)",
      "- one\n  - two\n    - three\n      - four",
      "- item\n".repeat(300),
      code,
      `~~~\n${"[[[***___".repeat(300)}\n~~~`,
    ]) {
      expect(withinParseBudget(text), text.slice(0, 40)).toBe(true);
      expect(render(text)).not.toContain("data-plain");
    }
  });
});
