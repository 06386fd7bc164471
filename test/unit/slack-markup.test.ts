import { describe, expect, it } from "vitest";
import {
  baseEmojiName,
  isSlackTs,
  slackToParley,
  tsKey,
  tsToMs,
} from "../../src/core/slack-markup";

const names = {
  handleOf: (id: string) => ({ U1: "dana", U2: "eli" })[id],
  channelOf: (id: string) => ({ C1: "general" })[id],
};

describe("slackToParley", () => {
  it.each([
    ["hi <@U1>", "hi @dana"],
    ["hi <@U1|dana.lee>", "hi @dana"],
    ["hi <@U9|ghost>", "hi @ghost"],
    ["hi <@U9>", "hi @unknown"],
    ["see <#C1|general>", "see #general"],
    ["see <#C7|random>", "see #random"],
    ["<!here> <!channel> <!everyone>", "@here @channel @all"],
    ["<!subteam^S1|@oncall> paged", "@oncall paged"],
    ["<https://example.test/a?b=1&amp;c=2|the doc>", "[the doc](https://example.test/a?b=1&c=2)"],
    ["<https://example.test>", "https://example.test"],
    ["<https://example.test|https://example.test>", "https://example.test"],
    ["<mailto:a@example.test|a@example.test>", "a@example.test"],
    ["1 &lt; 2 &amp;&amp; 3 &gt; 2", "1 < 2 && 3 > 2"],
    ["&amp;lt; stays text", "&lt; stays text"],
    ["plain", "plain"],
  ])("%s -> %s", (input, output) => {
    expect(slackToParley(input, names)).toBe(output);
  });
});

describe("Slack timestamps", () => {
  it("order exactly to the microsecond, where a float would not", () => {
    const a = "1700000000.000001";
    const b = "1700000000.000002";
    expect(Number(a) < Number(b)).toBe(true);
    expect(tsKey(a) < tsKey(b)).toBe(true);
    expect(tsKey("1700000000.1") > tsKey("1700000000.099999")).toBe(true);
    expect(tsKey("1700000001") > tsKey("1700000000.999999")).toBe(true);
  });

  it("convert to milliseconds", () => {
    expect(tsToMs("1700006400.000100")).toBe(1_700_006_400_000);
    expect(tsToMs("1700006460.123456")).toBe(1_700_006_460_123);
  });

  it("are recognised", () => {
    expect(isSlackTs("1700006400.000100")).toBe(true);
    expect(isSlackTs("1700006400")).toBe(true);
    expect(isSlackTs("yesterday")).toBe(false);
    expect(isSlackTs(1700006400)).toBe(false);
    expect(isSlackTs("1.2.3")).toBe(false);
  });
});

describe("baseEmojiName", () => {
  it("drops a skin tone", () => {
    expect(baseEmojiName("+1::skin-tone-3")).toBe("+1");
    expect(baseEmojiName("tada")).toBe("tada");
  });
});
