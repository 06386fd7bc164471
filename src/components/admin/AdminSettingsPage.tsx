import { useEffect, useId, useState } from "react";
import {
  type ServerSettings,
  SIGNUP_POLICIES,
  type SignupPolicy,
} from "../../core/server-settings";
import { adminSettingsFn, saveSettingsFn } from "../../server/fns/admin-settings";
import { InviteLinks } from "../InviteLinks";
import { buttonClass, failureOf, inputClass, primaryClass } from "./AdminShell";
import { RetentionSetting } from "./RetentionSetting";

const POLICY_LABEL: Record<SignupPolicy, string> = {
  open: "Open: anyone can sign up",
  invite: "Invite: only with an invite link",
  domain: "Domain: only emails in the allowed domains",
};

type Form = {
  serverName: string;
  signupPolicy: SignupPolicy;
  domains: string;
  requireTwoFactor: boolean;
};

const formOf = (s: ServerSettings): Form => ({
  serverName: s.serverName,
  signupPolicy: s.signupPolicy,
  domains: s.allowedDomains.join("\n"),
  requireTwoFactor: s.requireTwoFactor,
});

/**
 * /admin/settings: the server name, the sign-up policy, the allowed email
 * domains (one per line) and "Require two-factor authentication", saved
 * together; a refusal shows next to its field. Below, room for the invite
 * links (their own component).
 */
export function AdminSettingsPage() {
  const ids = { name: useId(), domains: useId(), error: useId() };
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<{ field: keyof ServerSettings; error: string } | null>(null);
  const [status, setStatus] = useState("");

  useEffect(() => {
    adminSettingsFn().then(
      (settings) => setForm(formOf(settings)),
      (failure: unknown) => setStatus(failureOf(failure)),
    );
  }, []);

  if (!form) {
    return (
      <div>
        <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
        <p role="status" className="text-sm text-slate-600">
          {status || "Loading…"}
        </p>
      </div>
    );
  }
  const fieldError = (field: keyof ServerSettings) =>
    error?.field === field ? (
      <p id={`${ids.error}-${field}`} className="mt-1 text-sm text-red-700">
        {error.error}
      </p>
    ) : null;
  const describedBy = (field: keyof ServerSettings) =>
    error?.field === field ? `${ids.error}-${field}` : undefined;

  return (
    <div className="max-w-2xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
      <form
        aria-label="Server settings"
        className="flex flex-col gap-4 text-sm text-slate-800"
        onSubmit={async (event) => {
          event.preventDefault();
          setStatus("Saving…");
          setError(null);
          try {
            const answer = await saveSettingsFn({
              data: {
                serverName: form.serverName,
                signupPolicy: form.signupPolicy,
                allowedDomains: form.domains.split("\n"),
                requireTwoFactor: form.requireTwoFactor,
              },
            });
            if (answer.ok) {
              setForm(formOf(answer.settings));
              setStatus("Saved.");
            } else {
              setError({ field: answer.field, error: answer.error });
              setStatus("Not saved: see the field marked.");
            }
          } catch (failure) {
            setStatus(failureOf(failure));
          }
        }}
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.name} className="font-medium">
            Server name
          </label>
          <input
            id={ids.name}
            value={form.serverName}
            onChange={(e) => setForm({ ...form, serverName: e.target.value })}
            aria-invalid={error?.field === "serverName" || undefined}
            aria-describedby={describedBy("serverName")}
            className={inputClass}
          />
          {fieldError("serverName")}
        </div>
        <fieldset aria-describedby={describedBy("signupPolicy")}>
          <legend className="mb-1 font-medium">Sign-up policy</legend>
          {SIGNUP_POLICIES.map((policy) => (
            <label key={policy} className="flex items-center gap-2 py-0.5">
              <input
                type="radio"
                name="signupPolicy"
                value={policy}
                checked={form.signupPolicy === policy}
                onChange={() => setForm({ ...form, signupPolicy: policy })}
                className="accent-indigo-600"
              />
              {POLICY_LABEL[policy]}
            </label>
          ))}
          {fieldError("signupPolicy")}
        </fieldset>
        <div className="flex flex-col gap-1">
          <label htmlFor={ids.domains} className="font-medium">
            Allowed email domains
          </label>
          <textarea
            id={ids.domains}
            rows={4}
            value={form.domains}
            placeholder="example.com"
            onChange={(e) => setForm({ ...form, domains: e.target.value })}
            aria-invalid={error?.field === "allowedDomains" || undefined}
            aria-describedby={describedBy("allowedDomains")}
            className={`${inputClass} font-mono`}
          />
          <p className="text-slate-600">One per line. Used by the domain policy.</p>
          {fieldError("allowedDomains")}
        </div>
        <div>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={form.requireTwoFactor}
              onChange={(e) => setForm({ ...form, requireTwoFactor: e.target.checked })}
              aria-describedby={describedBy("requireTwoFactor")}
              className="accent-indigo-600"
            />
            Require two-factor authentication
          </label>
          {fieldError("requireTwoFactor")}
        </div>
        <div className="flex items-center gap-3">
          <button type="submit" className={primaryClass}>
            Save settings
          </button>
          <button
            type="button"
            className={buttonClass}
            onClick={() => {
              setError(null);
              setStatus("");
              void adminSettingsFn().then((s) => setForm(formOf(s)));
            }}
          >
            Undo changes
          </button>
          <p role="status" className="text-slate-700">
            {status}
          </p>
        </div>
      </form>
      <div className="mt-8">
        <RetentionSetting />
      </div>
      <div className="mt-8">
        <InviteLinks />
      </div>
    </div>
  );
}
