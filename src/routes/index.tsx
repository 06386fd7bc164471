import { createFileRoute, redirect } from "@tanstack/react-router";
import { getSessionFn } from "../server/fns/session";

// "/" has no page of its own: signed-in people go to general, others sign in.
export const Route = createFileRoute("/")({
  beforeLoad: async () => {
    if (await getSessionFn()) throw redirect({ to: "/r/$slug", params: { slug: "general" } });
    throw redirect({ to: "/sign-in" });
  },
});
