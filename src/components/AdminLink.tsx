import { Link } from "@tanstack/react-router";
import { useChatSelector } from "../client/hooks/chat-context";
import { mayAdminister } from "../core/admin-policy";

/**
 * The "Admin" link to the console (issue 14), shown to owners and admins
 * only: the role comes with `ready`, read fresh at each connect. The
 * console's own guard and functions check it again on the server.
 */
export function AdminLink() {
  const role = useChatSelector((c) => c.serverRole, null);
  if (!mayAdminister(role)) return null;
  return (
    <Link
      to="/admin/users"
      className="rounded-md px-2 py-1 text-sm text-slate-700 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500"
    >
      Admin
    </Link>
  );
}
