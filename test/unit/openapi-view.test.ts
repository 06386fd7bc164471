import { describe, expect, it } from "vitest";
import { fieldsOf, operationsByTag, typeOf } from "../../src/client/openapi-view";

describe("the API reference's reading of the document", () => {
  it("groups operations by their first tag, in order, with a stable anchor", () => {
    const groups = operationsByTag({
      paths: {
        "/rooms": { get: { tags: ["Rooms"], operationId: "listRooms" }, post: { tags: ["Rooms"] } },
        "/users/me": { get: { tags: ["Users"], operationId: "me" } },
        "/x": { get: {} },
      },
    });
    expect(groups.map(([tag, ops]) => [tag, ops.map((o) => `${o.method} ${o.id}`)])).toEqual([
      ["Rooms", ["GET listRooms", "POST post-rooms"]],
      ["Users", ["GET me"]],
      ["Other", ["GET get-x"]],
    ]);
  });

  it("writes a schema as one line", () => {
    expect(typeOf({ type: "string" })).toBe("string");
    expect(typeOf({ type: "array", items: { type: "integer" } })).toBe("array of integer");
    expect(typeOf({ enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(typeOf({ anyOf: [{ type: "string" }, { type: "null" }] })).toBe("string | null");
    expect(typeOf({ type: "object", properties: { id: {}, name: {} }, required: ["id"] })).toBe(
      "{id, name?}",
    );
    expect(typeOf(undefined)).toBe("any");
  });

  it("lists an object's fields with what is required", () => {
    expect(
      fieldsOf({
        type: "object",
        properties: { text: { type: "string" }, replyTo: { type: "string" } },
        required: ["text"],
      }),
    ).toEqual([
      { name: "text", type: "string", required: true },
      { name: "replyTo", type: "string", required: false },
    ]);
    expect(fieldsOf({ type: "string" })).toEqual([]);
  });
});
