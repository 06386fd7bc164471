// Evidence for issue 17's closing note (a script, not a test):
//
//   npx jiti scripts/issue17-shots.ts <base-url> <before|after> --data-dir <dir> [--out docs/issue-17] [--audit]
//
// Against a running Parley (started with PARLEY_DATA_DIR=<dir> and
// PARLEY_ROOMS_PER_HOUR high enough; see docs/issue-17/README.md), it signs
// up four people, makes a busy room (about 40 messages over two days by
// several authors, a mention, a reaction, a picture) and 40 more rooms, and
// writes viewport PNGs <label>-{desktop,phone,phone-drawer}-{light,dark}.png
// of the busy room and of the phone's room list. With --audit it also
// prints the Tab presses from the top of the room page to the composer
// (with and without the skip link) and an axe table: each page and state of
// the UI contract with its serious/critical findings, light and
// dark. It tolerates the UI from before the issue (no handle field, no
// drawer, no dividers): what a build lacks is reported as absent.
//
// Rooms and memberships are written straight into the SQLite file (the
// same way the integration tests set rooms up), and the busy room's
// messages are backdated there so they span yesterday and today; every
// message, mention, reaction and file goes through the app itself.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { seriousAxeViolations } from "../e2e/a11y";
import { cuttableConnection, launchBrowser } from "../e2e/browser";
import { attachInput, pngFile } from "../e2e/files-kit";
import { connect, type Frame, signUp, type TestSocket } from "../test/helpers/clients";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const [baseUrl, label] = args;
const dataDir = flag("--data-dir");
const outDir = flag("--out") ?? "docs/issue-17";
const audit = args.includes("--audit");
if (!baseUrl || !label || !dataDir) {
  console.error(
    "usage: npx jiti scripts/issue17-shots.ts <base-url> <label> --data-dir <dir> [--out dir] [--audit]",
  );
  process.exit(2);
}

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PASSWORD = "correct horse battery";
const BUSY = "design-review";

type Person = { name: string; email: string; cookie: string; id: string; mention: string };

/** Polls `check` until it is true or `ms` pass; answers whether it became true (never throws). */
async function until(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function db(): DatabaseSync {
  const opened = new DatabaseSync(join(dataDir as string, "parley.db"));
  opened.exec("PRAGMA busy_timeout = 5000");
  return opened;
}

/** Signs the four up over HTTP; the handle (if this build has them) from each one's `ready`. */
async function signUpPeople(): Promise<Person[]> {
  const names = ["Ann Lee", "Bob Okafor", "Carol Diaz", "Dan Wu"];
  const people: Person[] = [];
  for (const name of names) {
    const email = `${name.split(" ")[0]?.toLowerCase()}@example.test`;
    const { cookie } = await signUp(baseUrl as string, { name, email, password: PASSWORD });
    // Opening general joins it (and makes the default room exist).
    await fetch(`${baseUrl}/r/general`, { headers: { cookie } });
    const socket = await connect(baseUrl as string, cookie);
    const ready = socket.frames.find((f) => f.type === "ready") as Frame;
    socket.close();
    const user = ready.user as { id: string; handle?: string };
    // Before issue 17 a mention was the full name without spaces (@CarolDiaz).
    people.push({
      name,
      email,
      cookie,
      id: user.id,
      mention: `@${user.handle ?? name.replace(/\s+/g, "")}`,
    });
  }
  return people;
}

const ROOM_NAMES = [
  "announcements",
  "backend",
  "frontend",
  "design",
  "ops",
  "random",
  "support",
  "sales",
  "marketing",
  "hiring",
  "infra",
  "mobile",
  "android",
  "ios",
  "web",
  "data",
  "ml",
  "security",
  "billing",
  "docs",
  "qa",
  "release",
  "oncall",
  "incidents",
  "growth",
  "partners",
  "legal",
  "finance",
  "events",
  "social",
  "books",
  "music",
  "coffee",
  "travel",
  "pets",
  "running",
  "gaming",
  "cooking",
  "photos",
  "watercooler",
];

/** The busy room (all four), a quiet one (Ann alone) and 40 others (Ann in all). */
function makeRooms(people: Person[]) {
  const sql = db();
  const now = Date.now();
  const room = (slug: string, members: Person[], topic?: string) => {
    const id = randomUUID();
    sql
      .prepare("INSERT INTO room (id, slug, name, created_at) VALUES (?, ?, ?, ?)")
      .run(id, slug, slug, now);
    if (topic) {
      try {
        sql.prepare("UPDATE room SET topic = ? WHERE id = ?").run(topic, id);
      } catch {
        // Before issue 17 rooms have no topic.
      }
    }
    for (const member of members) {
      sql
        .prepare("INSERT INTO room_member (room_id, user_id, joined_at) VALUES (?, ?, ?)")
        .run(id, member.id, now);
    }
    return id;
  };
  try {
    const busy = room(BUSY, people, "Reviews of the new onboarding screens");
    const quiet = room("quiet-corner", people.slice(0, 1));
    const ids = ROOM_NAMES.map((slug, i) =>
      room(
        slug,
        people.filter((_, p) => p === 0 || (i + p) % 3 === 0),
      ),
    );
    // "backend" (Ann and Carol): where Carol mentions Ann, so her room list shows a badge.
    return { busy, quiet, backend: ids[ROOM_NAMES.indexOf("backend")] as string };
  } finally {
    sql.close();
  }
}

/** Sends and waits for the ack. */
async function say(socket: TestSocket, roomId: string, text: string): Promise<string> {
  const clientId = randomUUID();
  const start = socket.frames.length;
  socket.send({ type: "send", roomId, clientId, text });
  const ack = await socket.next(
    (f) =>
      socket.frames.indexOf(f) >= start &&
      (f.type === "ack" || f.type === "error") &&
      f.clientId === clientId,
    10_000,
  );
  if (ack.type === "error") throw new Error(`send refused: ${JSON.stringify(ack)}`);
  return (ack.message as { id: string }).id;
}

/** About 40 messages by the four, in runs (so the new log groups them), with a mention and a reaction. */
async function fillBusyRoom(people: Person[], roomId: string) {
  const [ann, bob, carol, dan] = people as [Person, Person, Person, Person];
  const sockets = new Map<Person, TestSocket>();
  for (const p of people) sockets.set(p, await connect(baseUrl as string, p.cookie));
  const script: [Person, string][] = [
    [ann, "Morning! The onboarding screens are up for review."],
    [ann, "Figma link is in the topic; comments welcome until Friday."],
    [bob, "Looking now."],
    [bob, "First impression: the welcome step reads much better than before."],
    [bob, "The progress dots are hard to see on the dark background though."],
    [carol, "Agreed on the dots. I can bump them to slate-400."],
    [dan, "Is the copy final? The second screen still says **Lorem ipsum** in one place."],
    [ann, "Not final, Dan: marketing sends the last copy tomorrow."],
    [carol, "Pushed a version with bigger dots and a focus ring on Next."],
    [bob, "Much better. Can we try `Continue` instead of `Next`?"],
    [carol, "Sure, changed."],
    [dan, "On phones the illustration pushes the button below the fold."],
    [dan, "Screenshot from a 390 px wide phone in a minute."],
    [ann, "Good catch. We could drop the illustration under 400 px."],
    [carol, "Or scale it to 60% height. Trying both."],
    [carol, "Both variants are in the file, page 3."],
    [bob, "Scaling keeps the mood. +1 for scaling."],
    [dan, "+1"],
    [ann, "Scaling it is. Thanks all, more tomorrow."],
    [carol, "Night!"],
    [ann, "Morning. Marketing's copy is in: https://example.com/onboarding-copy"],
    [bob, "Reading it now."],
    [bob, "The tone is friendlier. Screen 4 is long, maybe two sentences too many."],
    [dan, "I can trim it: keep the first and last sentence?"],
    [ann, "Yes please."],
    [dan, "Done. Also fixed the contrast of the skip button (4.8:1 now)."],
    [carol, "Checked it in dark mode too, looks right."],
    [bob, `${carol.mention} can you check the spacing on screen 2 before we ship?`],
    [carol, "On it."],
    [carol, "Spacing fixed: 16 px between the fields, 24 px above the button."],
    [ann, "Lovely. Last round: accessibility names."],
    [ann, "- Next → Continue\n- Skip → Skip for now\n- Close → Close onboarding"],
    [dan, "All three updated in the prototype."],
    [bob, "Ran axe on the prototype page: 0 serious findings."],
    [ann, "Then we ship on Thursday."],
    [carol, "Great work, everyone."],
    [dan, "I'll write the release note."],
    [bob, "Thanks team!"],
  ];
  const ids: string[] = [];
  for (const [who, text] of script)
    ids.push(await say(sockets.get(who) as TestSocket, roomId, text));
  // Reactions on "ship on Thursday" (a machine without a colour emoji font draws them as boxes).
  const ship = ids[script.findIndex(([, t]) => t.startsWith("Then we ship"))] as string;
  for (const [who, emoji] of [
    [bob, "🎉"],
    [dan, "🎉"],
    [carol, "👍"],
  ] as const) {
    const socket = sockets.get(who) as TestSocket;
    const start = socket.frames.length;
    socket.send({ type: "react", roomId, messageId: ship, emoji });
    await socket.next((f) => socket.frames.indexOf(f) >= start && f.type === "updated", 10_000);
  }
  return { ids, sockets };
}

/**
 * Spreads the busy room's messages over yesterday afternoon and this
 * morning (UTC), a minute or two apart, with a longer pause where an
 * author changes now and then (so grouping has runs to show).
 */
function backdate(roomId: string) {
  const sql = db();
  try {
    const rows = sql
      .prepare("SELECT id, seq FROM message WHERE room_id = ? ORDER BY seq")
      .all(roomId) as { id: string; seq: number }[];
    const day = 86_400_000;
    const today = Math.floor(Date.now() / day) * day;
    let at = today - day + 14 * 3_600_000 + 5 * 60_000; // yesterday 14:05
    rows.forEach((row, i) => {
      if (i === 20)
        at = today + 9 * 3_600_000 + 12 * 60_000; // today 09:12
      else if (i > 0) at += (i % 5 === 0 ? 11 : 1 + (i % 3)) * 60_000;
      // Never in the future, whatever time the script runs.
      const stamp = Math.min(at, Date.now() - (rows.length - i) * 60_000);
      sql.prepare("UPDATE message SET created_at = ? WHERE id = ?").run(stamp, row.id);
    });
  } finally {
    sql.close();
  }
}

async function signedInContext(
  browser: Browser,
  person: Person,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, timezoneId: "UTC" });
  const [name, ...rest] = person.cookie.split("=");
  await context.addCookies([
    {
      name: name ?? "",
      value: rest.join("="),
      url: baseUrl as string,
      httpOnly: true,
      sameSite: "Lax",
    },
  ]);
  return context;
}

/** Opens a room page and waits until its log shows `lastText` and the socket is live. */
async function openRoom(page: Page, slug: string, lastText: string) {
  await page.goto(`/r/${slug}`);
  await page.getByText(lastText).last().waitFor({ timeout: 15_000 });
  await until(async () => (await page.getByText("Connected").count()) > 0, 5_000);
}

/** Emulates the scheme and waits for the app to follow it (the old UI too: CSS light-dark()). */
async function scheme(page: Page, colorScheme: "light" | "dark") {
  await page.emulateMedia({ colorScheme });
  await until(() =>
    page.evaluate(
      (want) => window.matchMedia(`(prefers-color-scheme: ${want})`).matches,
      colorScheme,
    ),
  );
  // Transitions finish before the picture.
  await until(() =>
    page.evaluate(() => document.getAnimations().every((a) => a.playState !== "running")),
  );
}

async function shoot(page: Page, name: string) {
  mkdirSync(outDir, { recursive: true });
  for (const colorScheme of ["light", "dark"] as const) {
    await scheme(page, colorScheme);
    const path = join(outDir, `${label}-${name}-${colorScheme}.png`);
    // The viewport only, as a palette PNG: a few tens of KB each in the repository.
    await sharp(await page.screenshot())
      .png({ palette: true, quality: 90, compressionLevel: 9 })
      .toFile(path);
    console.log(`wrote ${path}`);
  }
  await page.emulateMedia({ colorScheme: null });
}

/** Dan attaches a picture with a line of text, through the composer (a build without files skips it). */
async function sendPicture(browser: Browser, dan: Person) {
  const context = await signedInContext(browser, dan, DESKTOP);
  try {
    const page = await context.newPage();
    await openRoom(page, BUSY, "Thanks team!");
    const input = attachInput(page);
    if ((await input.count()) === 0) return console.log("no file input: no picture sent");
    await input.setInputFiles([await pngFile("onboarding-phone.png", 390, 640)]);
    const uploaded = await until(
      async () =>
        (await page.getByRole("button", { name: /^Remove onboarding-phone\.png/ }).count()) > 0,
      15_000,
    );
    if (!uploaded) return console.log("the picture did not upload: none sent");
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("The phone layout with the scaled illustration:");
    await box.press("Enter");
    await page
      .getByRole("img", { name: /onboarding-phone/ })
      .first()
      .waitFor({ timeout: 15_000 });
  } finally {
    await context.close();
  }
}

async function screenshots(browser: Browser, ann: Person) {
  const last = "The phone layout with the scaled illustration:";
  const desktop = await signedInContext(browser, ann, DESKTOP);
  const page = await desktop.newPage();
  await openRoom(page, BUSY, last).catch(() => openRoom(page, BUSY, "Thanks team!"));
  await shoot(page, "desktop");
  await desktop.close();

  const phone = await signedInContext(browser, ann, PHONE);
  const small = await phone.newPage();
  await openRoom(small, BUSY, last).catch(() => openRoom(small, BUSY, "Thanks team!"));
  await shoot(small, "phone");
  const roomsButton = small.getByRole("button", { name: "Rooms", exact: true });
  if ((await roomsButton.count()) > 0) {
    await roomsButton.click();
    await small.getByRole("dialog", { name: "Rooms" }).waitFor();
  } else {
    // Before issue 17 there is no drawer: the room list is the strip atop the page.
    console.log("no Rooms button: the phone room list is shown as it is");
    await small.evaluate(() => window.scrollTo(0, 0));
  }
  await shoot(small, "phone-drawer");
  await phone.close();
}

// ---------------------------------------------------------------- audit

type Row = { state: string; light: number | null; dark: number | null; note?: string };

async function axeBoth(page: Page): Promise<{ light: number; dark: number; ids: string[] }> {
  const found: Record<"light" | "dark", number> = { light: 0, dark: 0 };
  const ids = new Set<string>();
  for (const colorScheme of ["light", "dark"] as const) {
    await scheme(page, colorScheme);
    const violations = await seriousAxeViolations(page);
    found[colorScheme] = violations.reduce((n, v) => n + v.nodes.length, 0);
    for (const v of violations) ids.add(v.id);
  }
  await page.emulateMedia({ colorScheme: null });
  return { ...found, ids: [...ids] };
}

/** What `focused` reads in the layout test: the composer, or a short description. */
const focusedIs = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (el instanceof HTMLTextAreaElement && el.labels?.[0]?.textContent?.trim() === "Message")
      return "composer";
    return el?.tagName ?? "none";
  });

async function tabCounts(browser: Browser, ann: Person) {
  const context = await signedInContext(browser, ann, DESKTOP);
  const page = await context.newPage();
  await openRoom(page, BUSY, "Thanks team!");
  let without = -1;
  for (let i = 1; i <= 300; i++) {
    await page.keyboard.press("Tab");
    if ((await focusedIs(page)) === "composer") {
      without = i;
      break;
    }
  }
  await openRoom(page, BUSY, "Thanks team!");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to composer" });
  const skipFirst =
    (await skip.count()) > 0 && (await skip.evaluate((el) => el === document.activeElement));
  let withSkip = "no skip link";
  if (skipFirst) {
    await page.keyboard.press("Enter");
    withSkip = (await focusedIs(page)) === "composer" ? "1 Tab, then Enter" : "skip link missed";
  }
  await context.close();
  console.log(
    `\nTab presses from the top of /r/${BUSY} to the composer: ${without} without the skip link; with it: ${withSkip}\n`,
  );
}

async function auditStates(browser: Browser, people: Person[]) {
  const [ann, bob] = people as [Person, Person];
  const rows: Row[] = [];
  const record = async (state: string, page: Page, ready: () => Promise<boolean>) => {
    if (!(await ready())) {
      rows.push({ state, light: null, dark: null, note: "not reached in this build" });
      return;
    }
    const { light, dark, ids } = await axeBoth(page);
    rows.push({ state, light, dark, ...(ids.length ? { note: ids.join(", ") } : {}) });
  };
  const visible = (page: Page, role: Parameters<Page["getByRole"]>[0], name: string) => () =>
    until(async () => (await page.getByRole(role, { name, exact: true }).count()) > 0, 5_000);

  // Signed out: the auth pages.
  const out = await browser.newContext({ baseURL: baseUrl, viewport: DESKTOP, timezoneId: "UTC" });
  const anon = await out.newPage();
  await anon.goto("/sign-in");
  await record("/sign-in", anon, visible(anon, "button", "Sign in"));
  await anon.goto("/sign-up");
  await record('/sign-up (field "Handle")', anon, visible(anon, "textbox", "Handle"));
  if ((await anon.getByRole("textbox", { name: "Handle" }).count()) > 0) {
    await anon.getByLabel("Name").fill("Ann Again");
    await anon.getByLabel("Email").fill(`again-${randomUUID().slice(0, 6)}@example.test`);
    await anon.getByLabel("Password").fill(PASSWORD);
    await anon.getByRole("textbox", { name: "Handle" }).fill(ann.mention.slice(1));
    await anon.getByRole("button", { name: "Create account" }).click();
    await record("/sign-up, handle taken", anon, () =>
      until(async () => (await anon.getByText(/That handle is taken/).count()) > 0),
    );
  }
  await anon.goto("/no/such/page");
  await record("unknown path (styled Not Found)", anon, () =>
    until(async () => (await anon.getByRole("link").count()) > 0),
  );
  await out.close();

  const context = await signedInContext(browser, ann, DESKTOP);
  const page = await context.newPage();
  await openRoom(page, BUSY, "Thanks team!");
  await record(
    `/r/${BUSY} (sidebar groups, date dividers, log)`,
    page,
    visible(page, "heading", "Rooms"),
  );
  await page.locator("body").focus();
  await page.keyboard.press("Tab");
  await record('"Skip to composer" focused', page, () =>
    until(async () =>
      page
        .getByRole("link", { name: "Skip to composer" })
        .evaluate((el) => el === document.activeElement),
    ),
  );
  const box = page.getByRole("textbox", { name: "Message" });
  await box.focus();
  await page.keyboard.type("@");
  await record(
    '"Mention suggestions" listbox',
    page,
    visible(page, "listbox", "Mention suggestions"),
  );
  await page.keyboard.press("Escape");
  await box.fill("");
  const actions = page
    .getByRole("listitem")
    .filter({ hasText: "Then we ship on Thursday." }) // Ann's own: she may delete it
    .getByRole("button", { name: "Message actions" });
  if ((await actions.count()) > 0) {
    await actions.first().click();
    const del = page.getByRole("menu", { name: "Message actions" }).getByRole("menuitem", {
      name: "Delete",
      exact: true,
    });
    if ((await del.count()) > 0) await del.click();
  }
  await record('"Delete message?" dialog', page, visible(page, "dialog", "Delete message?"));
  if ((await page.getByRole("dialog", { name: "Delete message?" }).count()) > 0) {
    await page.getByRole("button", { name: "Cancel", exact: true }).click();
  }
  const profile = page.getByRole("button", { name: "Edit profile" });
  if ((await profile.count()) > 0) await profile.click();
  await record('"Profile" dialog (Edit profile)', page, visible(page, "dialog", "Profile"));
  if ((await page.getByRole("dialog", { name: "Profile" }).count()) > 0)
    await page.keyboard.press("Escape");
  for (const picker of ["Invite people", "New message"]) {
    const opener = page.getByRole("button", { name: picker, exact: true });
    if ((await opener.count()) > 0) await opener.first().click();
    await record(`"${picker}" people picker`, page, visible(page, "dialog", picker));
    if ((await page.getByRole("dialog", { name: picker }).count()) > 0)
      await page.keyboard.press("Escape");
  }

  // The quiet room: Bob is not in it, so a mention of him offers "Invite them?".
  await openRoom(page, "quiet-corner", "quiet-corner").catch(() => undefined);
  await until(async () => (await page.getByText("Connected").count()) > 0);
  await box.fill(`${bob.mention} could you look at this?`);
  await box.press("Enter");
  await record(
    '"Invite them?" (mention of a non-member)',
    page,
    visible(page, "region", "Mentioned people not in this room"),
  );

  await page.goto("/rooms");
  await record('/rooms "Browse rooms" directory', page, visible(page, "searchbox", "Search rooms"));
  await context.close();

  const narrow = await signedInContext(browser, ann, { width: 900, height: 800 });
  const mid = await narrow.newPage();
  await openRoom(mid, BUSY, "Thanks team!");
  const members = mid.getByRole("button", { name: "Members", exact: true });
  if ((await members.count()) > 0 && (await members.getAttribute("aria-expanded")) === "false")
    await members.click();
  await record('900 px, "Members" panel open', mid, () =>
    until(async () => (await members.getAttribute("aria-expanded")) === "true"),
  );
  await narrow.close();

  const phone = await signedInContext(browser, ann, PHONE);
  const small = await phone.newPage();
  await openRoom(small, BUSY, "Thanks team!");
  const roomsButton = small.getByRole("button", { name: "Rooms", exact: true });
  if ((await roomsButton.count()) > 0) await roomsButton.click();
  await record('390 px, "Rooms" drawer', small, visible(small, "dialog", "Rooms"));
  await phone.close();

  // The connection cut: the status banner, then a room switch while offline.
  const cutContext = await signedInContext(browser, ann, DESKTOP);
  const line = await cuttableConnection(cutContext);
  const offline = await cutContext.newPage();
  await openRoom(offline, BUSY, "Thanks team!");
  await line.cut();
  await record('offline banner (role status, "Reconnecting…")', offline, () =>
    until(
      async () =>
        (await offline
          .getByRole("status")
          .filter({ hasText: /Reconnecting…|Offline/ })
          .count()) > 0,
      15_000,
    ),
  );
  const link = offline
    .getByRole("navigation", { name: "Rooms" })
    .getByRole("link", { name: /^# ?backend|^backend/ });
  if ((await link.count()) > 0) await link.first().click();
  await record("room switch while offline (no error page)", offline, () =>
    until(
      async () =>
        (await offline.getByText("Something went wrong!").count()) === 0 &&
        offline.url().includes("/r/backend"),
    ),
  );
  await line.restore();
  await cutContext.close();

  console.log("| Page / state | light | dark | notes |");
  console.log("| --- | --: | --: | --- |");
  for (const row of rows) {
    const n = (v: number | null) => (v === null ? "–" : String(v));
    console.log(`| ${row.state} | ${n(row.light)} | ${n(row.dark)} | ${row.note ?? ""} |`);
  }
}

async function main() {
  const people = await signUpPeople();
  const { busy, backend } = makeRooms(people);
  const { sockets } = await fillBusyRoom(people, busy);
  const [ann, , carol] = people as [Person, Person, Person];
  const carolSocket = sockets.get(carol) as TestSocket;
  await say(carolSocket, backend, `${ann.mention} the staging deploy is done, can you check it?`);
  for (const socket of sockets.values()) socket.close();
  const browser = await launchBrowser();
  try {
    await sendPicture(browser, people[3] as Person);
    backdate(busy);
    await screenshots(browser, people[0] as Person);
    if (audit) {
      await tabCounts(browser, people[0] as Person);
      await auditStates(browser, people);
    }
  } finally {
    await browser.close();
  }
}

await main();
