import { Link, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { createMyTokenFn, type myTokensFn, revokeMyTokenFn } from "../server/fns/tokens";
import { TokenDialog } from "./TokenDialog";
import { TokensTable } from "./TokensTable";

type Data = Awaited<ReturnType<typeof myTokensFn>>;

/**
 * /settings/tokens (issue 15): the person's personal access tokens, for
 * scripts and bots of their own ("New token", the table "Tokens" with
 * "Revoke"). The data is the route's loader's, reloaded after a change.
 */
export function TokensSettingsPage({ data }: { data: Data }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const reload = () => router.invalidate();

  return (
    <div className="flex min-h-full flex-col bg-white">
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-2.5">
        <Link to="/" className="text-lg font-bold text-indigo-700 hover:text-indigo-900">
          Parley
        </Link>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-4 py-6">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-xl font-semibold text-slate-900">Access tokens</h1>
          <button
            type="button"
            onClick={() => setOpen(true)}
            className="rounded-md bg-indigo-600 px-3 py-1 text-sm font-medium text-white hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
          >
            New token
          </button>
        </div>
        <p className="text-sm text-slate-700">
          A token lets a script act as you through the API and the live connection, with the scopes
          you give it: read, write, and (for admins) admin.
        </p>
        <TokensTable
          tokens={data.tokens}
          revoke={async (id) => {
            const answer = await revokeMyTokenFn({ data: { id } });
            await reload();
            return answer;
          }}
        />
      </main>
      {open && (
        <TokenDialog
          mayGrantAdmin={data.mayGrantAdmin}
          create={(request) => createMyTokenFn({ data: request })}
          onClose={(made) => {
            setOpen(false);
            if (made) void reload();
          }}
        />
      )}
    </div>
  );
}
