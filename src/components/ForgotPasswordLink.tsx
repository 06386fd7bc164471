import { Link } from "@tanstack/react-router";

/** /sign-in's "Forgot password?" (issue 14), on a line of its own above the footer's text. */
export function ForgotPasswordLink() {
  return (
    <span className="mb-2 block">
      <Link to="/forgot-password" className="font-medium text-indigo-600 hover:underline">
        Forgot password?
      </Link>
    </span>
  );
}
