import { createElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { logLists } from "../../src/components/log-lists";
import type { WireMessage } from "../../src/protocol/frames";

const base = {
  roomId: "r",
  editedAt: null,
  deleted: false,
  rev: 0,
  reactions: [],
  pinnedAt: null,
  pinnedBy: null,
} as const;
function msg(seq: number, createdAt: string, extra: Partial<WireMessage> = {}): WireMessage {
  return {
    ...base,
    id: `m${seq}`,
    seq,
    author: { id: "u1", name: "Ada" },
    text: `text ${seq}`,
    createdAt,
    ...extra,
  } as WireMessage;
}

type Block = { kind: string; key: string; label?: string; items?: string[] };
/** The blocks as kinds and keys: lists with their items, dividers with their names, gaps. */
function shape(blocks: ReactNode[]): Block[] {
  return blocks.map((node) => {
    const el = node as ReactElement<{ label?: string; children?: ReactNode[] }>;
    if (!isValidElement(el)) return { kind: "other", key: "" };
    const key = String(el.key);
    if (el.type === "ul") {
      const items = (el.props.children ?? []) as ReactElement[];
      return { kind: "list", key, items: items.map((i) => String(i.key)) };
    }
    if (key.startsWith("day-")) return { kind: "day", key, label: el.props.label };
    if (key === "divider") return { kind: "new", key };
    return { kind: "gap", key };
  });
}

const render = (messages: WireMessage[], dividerSeq: number | null = null) =>
  shape(
    logLists(
      messages,
      (m, place) => createElement("li", { key: `${m.seq}${place.startsGroup ? "*" : ""}` }),
      [],
      {
        dividerSeq,
        focusSeq: undefined,
        zone: "UTC",
        now: new Date("2026-11-30T12:00:00Z"),
        gap: (missing, seq) => createElement("div", { key: `gap-${seq}-${missing}` }),
      },
    ),
  );

describe("the log's lists", () => {
  it("puts date dividers between lists, keyed by day, and marks group starts", () => {
    expect(
      render([
        msg(1, "2026-11-29T10:00:00Z"),
        msg(2, "2026-11-29T10:01:00Z"),
        msg(3, "2026-11-30T09:00:00Z"),
      ]),
    ).toEqual([
      { kind: "day", key: "day-2026-11-29", label: "Yesterday" },
      { kind: "list", key: "after-day-2026-11-29", items: ["1*", "2"] },
      { kind: "day", key: "day-2026-11-30", label: "Today" },
      { kind: "list", key: "after-day-2026-11-30", items: ["3*"] },
    ]);
  });

  it("a gap and the New messages divider break the group and the list", () => {
    const blocks = render(
      [
        msg(1, "2026-11-30T10:00:00Z"),
        msg(4, "2026-11-30T10:01:00Z"),
        msg(5, "2026-11-30T10:02:00Z"),
        msg(6, "2026-11-30T10:03:00Z"),
      ],
      6,
    );
    expect(blocks.map((b) => `${b.kind}:${b.key}:${(b.items ?? []).join(",")}`)).toEqual([
      "day:day-2026-11-30:",
      "list:after-day-2026-11-30:1*",
      "gap:gap-4-2:",
      "list:after-gap-4:4*,5",
      "new:divider:",
      "list:after-divider:6*",
    ]);
  });

  it("a gap just before a reply kept in its thread still shows, with that reply's seq", () => {
    const hidden = msg(3, "2026-11-30T10:01:00Z", { threadRootId: "m1" });
    const blocks = render([msg(1, "2026-11-30T10:00:00Z"), hidden, msg(4, "2026-11-30T10:02:00Z")]);
    expect(blocks.map((b) => `${b.kind}:${b.key}:${(b.items ?? []).join(",")}`)).toEqual([
      "day:day-2026-11-30:",
      "list:after-day-2026-11-30:1*",
      "gap:gap-3-1:",
      "list:after-gap-3:4*",
    ]);
  });

  it("the same day twice (a clock that went back) gets distinct keys", () => {
    const blocks = render([
      msg(1, "2026-11-30T10:00:00Z"),
      msg(2, "2026-11-29T10:00:00Z"),
      msg(3, "2026-11-30T10:05:00Z"),
    ]);
    expect(blocks.filter((b) => b.kind === "day").map((b) => b.key)).toEqual([
      "day-2026-11-30",
      "day-2026-11-29",
      "day-2026-11-30-2",
    ]);
  });
});
