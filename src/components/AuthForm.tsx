import { Link } from "@tanstack/react-router";
import {
  type ChangeEvent,
  type FormEvent,
  type InputHTMLAttributes,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import type { FieldErrors, FieldName } from "../client/auth-errors";
import { HANDLE_MAX, suggestHandle } from "../core/handles";

type Props = {
  title: string;
  submitLabel: string;
  fields: FieldName[];
  onSubmit: (values: Record<FieldName, string>) => Promise<FieldErrors | null>;
  footer: ReactNode;
  /** A line above the fields (why the person is here), announced politely. */
  notice?: string;
  /** Below the submit button: other ways in (the single sign-on button, issue 14). */
  below?: ReactNode;
};

const labels: Record<FieldName, string> = {
  name: "Name",
  handle: "Handle",
  email: "Email",
  password: "Password",
};
const types: Record<FieldName, string> = {
  name: "text",
  handle: "text",
  email: "email",
  password: "password",
};
const autocomplete: Record<FieldName, string> = {
  name: "name",
  handle: "username",
  email: "email",
  password: "current-password",
};

/** A sign-in or sign-up card; each error is shown next to its field and announced. */
export function AuthForm({ title, submitLabel, fields, onSubmit, footer, notice, below }: Props) {
  const id = useId();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  // The handle follows the name (as a suggestion) until the person edits it.
  const [handleText, setHandleText] = useState("");
  const [handleEdited, setHandleEdited] = useState(false);

  // The first field takes focus once the page is live, unless the person
  // already put focus somewhere (typed into a field before hydration).
  useEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body) firstField.current?.focus();
  }, []);

  async function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values = { name: "", handle: "", email: "", password: "" };
    for (const field of fields) values[field] = String(data.get(field) ?? "");
    setBusy(true);
    try {
      setErrors((await onSubmit(values)) ?? {});
    } catch {
      setErrors({ form: "Something went wrong. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  // method="post": a submit before hydration must never put the password in the URL.
  return (
    <main className="flex min-h-full items-center justify-center p-4">
      <form
        method="post"
        onSubmit={handle}
        noValidate
        className="w-full max-w-sm space-y-4 rounded-2xl bg-white p-8 shadow-sm ring-1 ring-slate-200"
      >
        <h1 className="text-2xl font-semibold">{title}</h1>
        {notice && (
          <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            {notice}
          </p>
        )}
        {fields.map((field, index) => {
          const errorId = `${id}-${field}-error`;
          const hintId = `${id}-${field}-hint`;
          const described =
            [field === "handle" ? hintId : null, errors[field] ? errorId : null]
              .filter(Boolean)
              .join(" ") || undefined;
          const controlled: InputHTMLAttributes<HTMLInputElement> =
            field === "handle"
              ? {
                  value: handleText,
                  maxLength: HANDLE_MAX + 1,
                  spellCheck: false,
                  autoCapitalize: "none",
                  onChange: (event: ChangeEvent<HTMLInputElement>) => {
                    setHandleText(event.target.value);
                    setHandleEdited(event.target.value !== "");
                  },
                }
              : field === "name" && fields.includes("handle")
                ? {
                    onChange: (event: ChangeEvent<HTMLInputElement>) => {
                      const name = event.target.value;
                      if (!handleEdited) setHandleText(name.trim() ? suggestHandle(name) : "");
                    },
                  }
                : {};
          return (
            <div key={field} className="space-y-1">
              <label htmlFor={`${id}-${field}`} className="block text-sm font-medium">
                {labels[field]}
              </label>
              <input
                ref={index === 0 ? firstField : undefined}
                id={`${id}-${field}`}
                name={field}
                type={types[field]}
                autoComplete={
                  field === "password" && fields.includes("name")
                    ? "new-password"
                    : autocomplete[field]
                }
                required
                aria-invalid={errors[field] ? true : undefined}
                aria-describedby={described}
                className="w-full rounded-lg border border-slate-300 px-3 py-2 outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-200"
                {...controlled}
              />
              {field === "handle" && (
                <p id={hintId} className="text-sm text-slate-600">
                  How people @mention you: a-z, digits, dots, dashes or underscores (2 to{" "}
                  {HANDLE_MAX}). A suggestion gets a number if taken.
                </p>
              )}
              {errors[field] && (
                <p id={errorId} role="alert" className="text-sm text-red-600">
                  {errors[field]}
                </p>
              )}
            </div>
          );
        })}
        {errors.form && (
          <p role="alert" className="text-sm text-red-600">
            {errors.form}
          </p>
        )}
        <button
          type="submit"
          disabled={busy}
          className="w-full rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {submitLabel}
        </button>
        {below}
        <p className="text-center text-sm text-slate-600">{footer}</p>
      </form>
    </main>
  );
}

/** A link styled for the auth card footers; carries the deep link (`next`) across. */
export function AuthLink({
  to,
  next,
  children,
}: {
  to: "/sign-in" | "/sign-up";
  next?: string;
  children: ReactNode;
}) {
  return (
    <Link
      to={to}
      search={next ? { next } : {}}
      className="font-medium text-indigo-600 hover:underline"
    >
      {children}
    </Link>
  );
}
