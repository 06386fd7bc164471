/**
 * What the /api/docs page reads out of the OpenAPI document (issue 15):
 * the operations grouped by tag, and a one-line type for a JSON schema.
 * Pure, so the page stays a renderer and this is unit-tested.
 */
export type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  $ref?: string;
  description?: string;
  format?: string;
};

export type Parameter = {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
};

export type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: Schema }> }
  >;
};

export type Document = {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
};

export type OperationView = { method: string; path: string; id: string; op: Operation };

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Operations by tag, in the document's order (untagged ones under "Other"). */
export function operationsByTag(doc: Document): [string, OperationView[]][] {
  const groups = new Map<string, OperationView[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      const id = op.operationId ?? `${method}${path}`.replace(/[^A-Za-z0-9-]+/g, "-");
      const list = groups.get(tag) ?? [];
      list.push({ method: method.toUpperCase(), path, id, op });
      groups.set(tag, list);
    }
  }
  return [...groups];
}

/** A schema as one short line: `string`, `array of {id, name}`, `"a" | "b"`. */
export function typeOf(schema: Schema | undefined, depth = 0): string {
  if (!schema) return "any";
  if (schema.$ref) return schema.$ref.split("/").at(-1) ?? "object";
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return union.map((s) => typeOf(s, depth)).join(" | ");
  if (schema.allOf) return schema.allOf.map((s) => typeOf(s, depth)).join(" & ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (type === "array") return `array of ${typeOf(schema.items, depth)}`;
  if (type === "object" || schema.properties) {
    const keys = Object.keys(schema.properties ?? {});
    if (keys.length === 0) return "object";
    if (depth > 0) return `{${keys.join(", ")}}`;
    return `{${keys.map((k) => `${k}${schema.required?.includes(k) ? "" : "?"}`).join(", ")}}`;
  }
  return schema.format ? `${type} (${schema.format})` : (type ?? "any");
}

/** An object schema's fields, one row each, for a body or a response. */
export function fieldsOf(
  schema: Schema | undefined,
): { name: string; type: string; required: boolean }[] {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    type: typeOf(s, 1),
    required: schema.required?.includes(name) ?? false,
  }));
}
