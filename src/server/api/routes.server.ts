import { messageRoutes } from "./messages.server";
import { roomRoutes } from "./rooms.server";
import type { ApiRoute } from "./route";
import { searchRoutes, userRoutes } from "./users.server";

/** Every API v1 operation, in match order (a literal segment before a parameter). */
export const API_ROUTES: ApiRoute[] = [
  ...roomRoutes,
  ...messageRoutes,
  ...userRoutes,
  ...searchRoutes,
];
