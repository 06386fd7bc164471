import type { WireUser } from "../../protocol/frames";

declare module "crossws" {
  interface PeerContext {
    /** The signed-in user, set by the upgrade hook. */
    user: WireUser;
  }
}
