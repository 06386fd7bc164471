import { createServerFn } from "@tanstack/react-start";
import { currentUser } from "./auth-guard.server";

/** The signed-in user, or null: route guards call this before loading. */
export const getSessionFn = createServerFn({ method: "GET" }).handler(async () => {
  const { user } = await currentUser();
  return user;
});
