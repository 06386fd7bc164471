import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, ResponseSpec> }>>;
  components?: { schemas?: Record<string, unknown> };
};
type ResponseSpec = { content?: Record<string, { schema: unknown }> };

/**
 * Checks API answers against the served OpenAPI document: the operation
 * for the request's path and method must list the status, and the body
 * must match that status's schema for its content type (ajv, 2020-12).
 */
export function openApiChecker(doc: unknown) {
  const spec = doc as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "doc", components: spec.components ?? {} });
  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
    literal: !template.includes("{"),
  }));
  /** Rewrites "#/components/..." refs to the registered document. */
  const rebase = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/'));

  return async function check(response: Response, method: string): Promise<unknown> {
    const path = new URL(response.url).pathname;
    // Literal paths win over templated ones (/users/me before /users/{id}).
    const matched = templates
      .filter((t) => t.pattern.test(path) && spec.paths[t.template]?.[method.toLowerCase()])
      .sort((a, b) => Number(b.literal) - Number(a.literal))[0];
    if (!matched) throw new Error(`no documented operation for ${method} ${path}`);
    const operation = spec.paths[matched.template]?.[method.toLowerCase()];
    const spec200 = operation?.responses[String(response.status)];
    if (!spec200) throw new Error(`${method} ${path}: status ${response.status} is not documented`);
    const type = (response.headers.get("content-type") ?? "").split(";")[0]?.trim() ?? "";
    const text = await response.text();
    if (!spec200.content) return text;
    const media = spec200.content[type];
    if (!media) throw new Error(`${method} ${path} ${response.status}: undocumented type ${type}`);
    const body = JSON.parse(text) as unknown;
    const validate = ajv.compile(rebase(media.schema) as object);
    if (!validate(body)) {
      throw new Error(
        `${method} ${path} ${response.status} does not match the document: ${ajv.errorsText(validate.errors)}\n${text}`,
      );
    }
    return body;
  };
}
