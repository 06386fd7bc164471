import { type FormEvent, useId, useMemo, useRef, useState } from "react";
import { renderSVG } from "uqr";
import { authClient } from "../client/auth-client";
import { cleanCode, twoFactorError } from "../client/two-factor-errors";
import { secretOfTotpUri } from "../core/two-factor";

type Step =
  | { kind: "idle" }
  | { kind: "password"; purpose: "enable" | "disable" }
  | { kind: "verify"; totpURI: string; backupCodes: string[] }
  | { kind: "codes"; backupCodes: string[] };

const button =
  "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const quiet =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const field =
  "w-full max-w-xs rounded-lg border border-slate-300 bg-white px-3 py-2 text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200";

/**
 * The two-factor part of /settings/security: set up (password, then the
 * QR code and the "Secret key", then a "Code" to "Verify"), the recovery
 * codes shown once after that, and turning it off (password).
 * `onChanged` reloads the page's data (the session was replaced).
 */
export function TwoFactorSettings({
  enabled,
  hasPassword,
  onChanged,
}: {
  enabled: boolean;
  hasPassword: boolean;
  onChanged: () => Promise<void>;
}) {
  const id = useId();
  const [step, setStep] = useState<Step>({ kind: "idle" });
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [copied, setCopied] = useState("");
  const startButton = useRef<HTMLButtonElement>(null);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError("");
    try {
      await work();
    } catch {
      setError("Something went wrong. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  const enable = (password: string) =>
    run(async () => {
      const { data, error } = await authClient.twoFactor.enable(
        hasPassword ? { password } : ({} as { password: string }),
      );
      if (error || !data || !("totpURI" in data) || !data.totpURI) {
        setError(twoFactorError(error ?? {}));
        return;
      }
      setStep({ kind: "verify", totpURI: data.totpURI, backupCodes: data.backupCodes ?? [] });
    });

  const disable = (password: string) =>
    run(async () => {
      const { error } = await authClient.twoFactor.disable(
        hasPassword ? { password } : ({} as { password: string }),
      );
      if (error) {
        setError(twoFactorError(error));
        return;
      }
      setStep({ kind: "idle" });
      await onChanged();
    });

  const verify = (code: string) =>
    run(async () => {
      const { error } = await authClient.twoFactor.verifyTotp({ code: cleanCode(code) });
      if (error) {
        setError(twoFactorError(error));
        return;
      }
      if (step.kind === "verify") setStep({ kind: "codes", backupCodes: step.backupCodes });
    });

  function submitted(event: FormEvent<HTMLFormElement>, name: string): string {
    event.preventDefault();
    return String(new FormData(event.currentTarget).get(name) ?? "");
  }

  const errorLine = error ? (
    <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
      {error}
    </p>
  ) : null;
  const described = error ? `${id}-error` : undefined;

  if (step.kind === "codes") {
    return (
      <RecoveryCodes
        codes={step.backupCodes}
        copied={copied}
        onCopied={setCopied}
        onDone={async () => {
          setStep({ kind: "idle" });
          await onChanged();
        }}
      />
    );
  }

  if (step.kind === "verify") {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-700">
          Scan the QR code with an authenticator app (such as Aegis, Google Authenticator or
          1Password), or type the secret key into it. Then enter the 6-digit code it shows.
        </p>
        <QrCode uri={step.totpURI} />
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-secret`} className="text-sm font-medium text-slate-900">
            Secret key
          </label>
          <input
            id={`${id}-secret`}
            readOnly
            value={secretOfTotpUri(step.totpURI)}
            spellCheck={false}
            size={56}
            className="w-full max-w-lg rounded-lg border border-slate-300 bg-white px-3 py-2 font-mono text-sm text-slate-900 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
            onFocus={(event) => event.currentTarget.select()}
          />
        </div>
        <form
          method="post"
          className="flex flex-col gap-2"
          onSubmit={(event) => void verify(submitted(event, "code"))}
        >
          <label htmlFor={`${id}-code`} className="text-sm font-medium text-slate-900">
            Code
          </label>
          <input
            id={`${id}-code`}
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            className={field}
          />
          {errorLine}
          <div className="flex gap-2">
            <button type="submit" disabled={busy} className={button}>
              Verify
            </button>
            <button
              type="button"
              className={quiet}
              onClick={() => {
                setStep({ kind: "idle" });
                setError("");
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </div>
    );
  }

  if (step.kind === "password") {
    const enabling = step.purpose === "enable";
    return (
      <form
        method="post"
        className="flex flex-col gap-2"
        onSubmit={(event) => {
          const password = submitted(event, "password");
          void (enabling ? enable(password) : disable(password));
        }}
      >
        <p className="text-sm text-slate-700">
          {enabling
            ? "Confirm it is you: enter your password to set up two-factor authentication."
            : "Enter your password to turn two-factor authentication off."}
        </p>
        <label htmlFor={`${id}-password`} className="text-sm font-medium text-slate-900">
          Password
        </label>
        <input
          id={`${id}-password`}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          // biome-ignore lint/a11y/noAutofocus: the field this step asks for, right after its button
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={described}
          className={field}
        />
        {errorLine}
        <div className="flex gap-2">
          <button type="submit" disabled={busy} className={button}>
            {enabling ? "Continue" : "Turn off"}
          </button>
          <button
            type="button"
            className={quiet}
            onClick={() => {
              setStep({ kind: "idle" });
              setError("");
              startButton.current?.focus();
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <div className="flex flex-col items-start gap-2">
      <p className="text-sm text-slate-700">
        {enabled
          ? "Two-factor authentication is on: signing in asks for a code from your authenticator app."
          : "Two-factor authentication is off. With it on, signing in also asks for a code from an authenticator app on your phone."}
      </p>
      <button
        ref={startButton}
        type="button"
        disabled={busy}
        className={enabled ? quiet : button}
        onClick={() => {
          setError("");
          if (hasPassword) setStep({ kind: "password", purpose: enabled ? "disable" : "enable" });
          else void (enabled ? disable("") : enable(""));
        }}
      >
        {enabled ? "Turn off two-factor authentication" : "Set up two-factor authentication"}
      </button>
      {errorLine}
    </div>
  );
}

/** The otpauth:// URI as a QR code: an SVG image (data: URLs are allowed by the page's CSP). */
function QrCode({ uri }: { uri: string }) {
  const src = useMemo(
    () =>
      `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(uri, { pixelSize: 5 }))}`,
    [uri],
  );
  return (
    // A white frame in both themes: scanners need the light quiet zone.
    <div className="self-start rounded-lg bg-white p-2 ring-1 ring-slate-300">
      <img
        src={src}
        alt="QR code for your authenticator app (the secret key below holds the same)"
        width={180}
        height={180}
      />
    </div>
  );
}

/** The recovery codes, shown once: copy or download them, then "Done". */
function RecoveryCodes({
  codes,
  copied,
  onCopied,
  onDone,
}: {
  codes: string[];
  copied: string;
  onCopied: (text: string) => void;
  onDone: () => Promise<void>;
}) {
  const text = `${codes.join("\n")}\n`;
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        Recovery codes
      </h3>
      <p role="status" className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-900">
        Two-factor authentication is on.
      </p>
      <p className="text-sm text-slate-700">
        If you lose your phone, each of these codes signs you in once instead of a code from the
        app. Keep them somewhere safe: they are shown only now.
      </p>
      <ul
        aria-label="Recovery codes"
        className="grid max-w-md grid-cols-2 gap-1 rounded-lg bg-slate-100 p-3 font-mono text-sm text-slate-900"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={quiet}
          onClick={() => {
            navigator.clipboard.writeText(text).then(
              () => onCopied("Copied."),
              () => onCopied("Could not copy: select the codes and copy them yourself."),
            );
          }}
        >
          Copy
        </button>
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="parley-recovery-codes.txt"
          className={quiet}
        >
          Download
        </a>
        <button type="button" className={button} onClick={() => void onDone()}>
          Done
        </button>
        <span aria-live="polite" className="text-sm text-slate-700">
          {copied}
        </span>
      </div>
    </section>
  );
}
