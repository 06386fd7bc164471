import { createLocalLeaseBook, createLocalPresence } from "../../src/server/presence/local.server";
import { describePresenceContract } from "./presence.contract";

describePresenceContract("in-process", () => {
  const book = createLocalLeaseBook();
  return { open: () => createLocalPresence(book) };
});
