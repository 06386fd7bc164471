import { useEffect, useState } from "react";
import {
  type Document,
  fieldsOf,
  type Operation,
  operationsByTag,
  type Schema,
  typeOf,
} from "../client/openapi-view";
import { PROBLEM_STATUS } from "../protocol/api-problems";

type Load = { doc: Document } | { error: string } | undefined;

/**
 * /api/docs (issue 15): the REST API's reference, read from the OpenAPI
 * document the server generates (/api/v1/openapi.json), so it is never
 * out of step with it. Served by the app itself: no CDN, no inline
 * script, so it passes the CSP. "Errors" holds the anchor each problem's
 * `type` points at (`/api/docs#problem-<code>`).
 */
export function ApiReference() {
  const [load, setLoad] = useState<Load>(undefined);
  useEffect(() => {
    let live = true;
    fetch("/api/v1/openapi.json")
      .then(async (answer) => {
        if (!answer.ok) throw new Error(`the document answered ${answer.status}`);
        return (await answer.json()) as Document;
      })
      .then((doc) => live && setLoad({ doc }))
      .catch((error: unknown) => live && setLoad({ error: String(error) }));
    return () => {
      live = false;
    };
  }, []);
  const groups = load && "doc" in load ? operationsByTag(load.doc) : [];
  return (
    <div className="min-h-full bg-white">
      <header className="border-b border-slate-200 px-6 py-4">
        <h1 className="text-2xl font-semibold text-slate-900">Parley REST API</h1>
        <p className="mt-1 text-sm text-slate-700">
          JSON under <code>/api/v1</code>, with a token from{" "}
          <a className="text-indigo-700 underline" href="/settings/tokens">
            Access tokens
          </a>{" "}
          as <code>Authorization: Bearer</code>. The machine-readable document is{" "}
          <a className="text-indigo-700 underline" href="/api/v1/openapi.json">
            openapi.json
          </a>
          .
        </p>
      </header>
      <div className="flex flex-col gap-6 px-6 py-4 md:flex-row">
        {groups.length > 0 && (
          <nav aria-label="Operations" className="shrink-0 md:w-96">
            <ul className="flex flex-col gap-1 text-sm">
              {groups.map(([tag, ops]) => (
                <li key={tag}>
                  <span className="font-semibold text-slate-900">{tag}</span>
                  <ul className="ml-2">
                    {ops.map((o) => (
                      <li key={o.id}>
                        <a className="text-indigo-700 hover:underline" href={`#${o.id}`}>
                          <span className="font-mono text-xs">{o.method}</span> {o.path}
                        </a>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
              <li>
                <a className="font-semibold text-indigo-700 hover:underline" href="#errors">
                  Errors
                </a>
              </li>
            </ul>
          </nav>
        )}
        <main className="min-w-0 flex-1">
          {load === undefined && <p role="status">Loading the API document…</p>}
          {load && "error" in load && (
            <p role="alert" className="text-red-700">
              The API document could not be read: {load.error}
            </p>
          )}
          {groups.map(([tag, ops]) => (
            <section key={tag} aria-labelledby={`tag-${tag}`} className="mb-8">
              <h2 id={`tag-${tag}`} className="mb-3 text-xl font-semibold text-slate-900">
                {tag}
              </h2>
              {ops.map((o) => (
                <OperationCard key={o.id} {...o} />
              ))}
            </section>
          ))}
          {groups.length > 0 && <Errors />}
        </main>
      </div>
    </div>
  );
}

function OperationCard({
  method,
  path,
  id,
  op,
}: {
  method: string;
  path: string;
  id: string;
  op: Operation;
}) {
  const body = op.requestBody?.content?.["application/json"]?.schema;
  return (
    <article
      id={id}
      aria-labelledby={`${id}-title`}
      className="mb-4 rounded-md border border-slate-200 p-4"
    >
      <h3 id={`${id}-title`} className="font-mono text-sm font-semibold text-slate-900">
        {method} {path}
      </h3>
      {op.summary && <p className="mt-1 text-sm text-slate-700">{op.summary}</p>}
      {op.parameters && op.parameters.length > 0 && (
        <Fields
          caption="Parameters"
          rows={op.parameters.map((p) => ({
            name: `${p.name} (${p.in})`,
            type: typeOf(p.schema, 1),
            required: p.required === true,
          }))}
        />
      )}
      {body && <Fields caption="Request body" rows={fieldsOf(body)} fallback={body} />}
      <dl className="mt-3 text-sm">
        {Object.entries(op.responses ?? {}).map(([status, response]) => {
          const schema = response.content ? Object.values(response.content)[0]?.schema : undefined;
          return (
            <div key={status} className="flex gap-2">
              <dt className="font-mono font-semibold text-slate-900">{status}</dt>
              <dd className="text-slate-700">
                {response.description}
                {schema && <span className="font-mono text-xs"> {typeOf(schema)}</span>}
              </dd>
            </div>
          );
        })}
      </dl>
    </article>
  );
}

function Fields({
  caption,
  rows,
  fallback,
}: {
  caption: string;
  rows: { name: string; type: string; required: boolean }[];
  fallback?: Schema;
}) {
  if (rows.length === 0 && fallback) {
    return (
      <p className="mt-3 text-sm">
        {caption}: <span className="font-mono text-xs">{typeOf(fallback)}</span>
      </p>
    );
  }
  return (
    <table className="mt-3 w-full text-left text-sm">
      <caption className="text-left font-semibold text-slate-900">{caption}</caption>
      <thead>
        <tr className="text-slate-700">
          <th scope="col">Name</th>
          <th scope="col">Type</th>
          <th scope="col">Required</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.name} className="border-t border-slate-100">
            <td className="font-mono text-xs">{r.name}</td>
            <td className="font-mono text-xs">{r.type}</td>
            <td>{r.required ? "yes" : "no"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The problem codes, each at the anchor its `type` names. */
function Errors() {
  return (
    <section id="errors" aria-labelledby="errors-title" className="mb-8">
      <h2 id="errors-title" className="mb-3 text-xl font-semibold text-slate-900">
        Errors
      </h2>
      <p className="mb-2 text-sm text-slate-700">
        Every refusal is <code>application/problem+json</code> (RFC 9457):{" "}
        <code>{"{type, title, status, detail, code}"}</code>, with the socket's codes.
      </p>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Error codes</caption>
        <thead>
          <tr className="text-slate-700">
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            <th scope="col">Title</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(PROBLEM_STATUS).map(([code, { status, title }]) => (
            <tr key={code} id={`problem-${code}`} className="border-t border-slate-100">
              <td className="font-mono text-xs">{code}</td>
              <td>{status}</td>
              <td>{title}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
