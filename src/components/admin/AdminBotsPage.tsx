import { useCallback, useEffect, useState } from "react";
import {
  adminBotsFn,
  createBotFn,
  createBotTokenFn,
  revokeBotTokenFn,
} from "../../server/fns/bots";
import { BotBadge } from "../BotBadge";
import { Modal } from "../Modal";
import { TokenDialog } from "../TokenDialog";
import { TokensTable } from "../TokensTable";
import { buttonClass, failureOf, inputClass, primaryClass, shownTime } from "./AdminShell";

type Bot = Awaited<ReturnType<typeof adminBotsFn>>["bots"][number];

/**
 * /admin/bots (issue 15): the server's bot accounts. "New bot" (a "Bot
 * name") makes one; each bot has "New token" (the dialog of
 * /settings/tokens, without admin: a bot is a member) and its tokens with
 * "Revoke". Deactivating a bot is done in Users, like anyone's.
 */
export function AdminBotsPage() {
  const [bots, setBots] = useState<Bot[] | null>(null);
  const [status, setStatus] = useState("");
  const [making, setMaking] = useState(false);
  const [tokenFor, setTokenFor] = useState<Bot | null>(null);

  const load = useCallback(async () => {
    try {
      setBots((await adminBotsFn()).bots);
    } catch (error) {
      setStatus(failureOf(error));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold text-slate-900">Bots</h1>
        <button type="button" className={primaryClass} onClick={() => setMaking(true)}>
          New bot
        </button>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-700">
        {status}
      </p>
      {bots === null && <p className="text-sm text-slate-700">Loading…</p>}
      {bots?.length === 0 && <p className="text-sm text-slate-700">No bots yet.</p>}
      {bots?.map((bot) => (
        <section
          key={bot.id}
          aria-label={`Bot ${bot.name}`}
          className="flex flex-col gap-2 rounded-md border border-slate-200 p-3"
        >
          <div className="flex flex-wrap items-baseline gap-2">
            <h2 className="text-base font-semibold text-slate-900">{bot.name}</h2>
            <BotBadge />
            {bot.handle && <span className="text-sm text-slate-600">@{bot.handle}</span>}
            {bot.deactivatedAt !== null && (
              <span className="text-sm text-amber-900">
                Deactivated {shownTime(bot.deactivatedAt)}
              </span>
            )}
            <button
              type="button"
              className={`${buttonClass} ml-auto`}
              aria-label={`New token for ${bot.name}`}
              onClick={() => setTokenFor(bot)}
            >
              New token
            </button>
          </div>
          <TokensTable
            label={`Tokens of ${bot.name}`}
            tokens={bot.tokens}
            revoke={async (tokenId) => {
              const answer = await revokeBotTokenFn({ data: { botId: bot.id, tokenId } });
              await load();
              return answer;
            }}
          />
        </section>
      ))}
      {making && (
        <NewBotDialog
          onClose={(message) => {
            setMaking(false);
            if (message) {
              setStatus(message);
              void load();
            }
          }}
        />
      )}
      {tokenFor && (
        <TokenDialog
          title={`New token for ${tokenFor.name}`}
          mayGrantAdmin={false}
          create={(request) => createBotTokenFn({ data: { ...request, botId: tokenFor.id } })}
          onClose={(made) => {
            setTokenFor(null);
            if (made) void load();
          }}
        />
      )}
    </div>
  );
}

function NewBotDialog({ onClose }: { onClose: (message?: string) => void }) {
  const [name, setName] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const answer = await createBotFn({ data: { name } });
      if (answer.ok) onClose(`Made the bot ${name.trim()}.`);
      else setError(answer.error);
    } catch (failure) {
      setError(failureOf(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="New bot" onClose={() => onClose()}>
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
        <label className="flex flex-col gap-1 text-sm text-slate-800">
          Bot name
          <input
            data-autofocus=""
            className={inputClass}
            value={name}
            required
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass} onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className={primaryClass} disabled={busy}>
            Create bot
          </button>
        </div>
      </form>
    </Modal>
  );
}
