import { checkHandle } from "../core/handles";

export type FieldName = "name" | "handle" | "email" | "password";
export type FieldErrors = Partial<Record<FieldName | "form", string>>;

/** Maps a better-auth error (code and message) to the field it concerns. */
export function authErrorToFields(error: { code?: string; message?: string }): FieldErrors {
  const code = error.code ?? "";
  const message = error.message || "Something went wrong.";
  if (code === "INVALID_EMAIL_OR_PASSWORD") return { password: "Wrong email or password." };
  // The server does not say whether an email is registered (SIGN_UP_REFUSED);
  // the hint covers the likely reason without confirming it.
  if (
    code === "SIGN_UP_REFUSED" ||
    code.includes("USER_ALREADY_EXISTS") ||
    code === "EMAIL_ALREADY_EXISTS"
  ) {
    return { email: "This email cannot be used for a new account. Already have one? Sign in." };
  }
  if (code === "INVALID_NAME") return { name: message };
  if (code === "INVALID_HANDLE" || code === "HANDLE_TAKEN") return { handle: message };
  if (code === "ACCOUNT_LOCKED") return { form: message };
  if (code === "PAYLOAD_TOO_LARGE")
    return { form: "That is too much text. Shorten it and try again." };
  if (code === "PASSWORD_TOO_SHORT")
    return { password: "Password is too short (8 characters at least)." };
  if (code === "PASSWORD_TOO_LONG") return { password: "Password is too long." };
  if (code === "INVALID_EMAIL") return { email: "Enter a valid email address." };
  if (code === "TOO_MANY_REQUESTS")
    return { form: "Too many attempts. Wait a minute and try again." };
  return { form: message };
}

/** Checks the fields before a request so that obvious mistakes answer at once. */
export function checkAuthFields(
  values: { name?: string; handle?: string; email: string; password: string },
  signUp: boolean,
): FieldErrors | null {
  const errors: FieldErrors = {};
  if (signUp && !values.name?.trim()) errors.name = "Enter your name.";
  if (signUp) {
    const handle = checkHandle(values.handle ?? "");
    if (!handle.ok) errors.handle = handle.error;
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim()))
    errors.email = "Enter a valid email address.";
  if (!values.password) errors.password = "Enter your password.";
  else if (signUp && values.password.length < 8)
    errors.password = "Password is too short (8 characters at least).";
  return Object.keys(errors).length ? errors : null;
}
