import { useCallback, useEffect, useRef, useState } from "react";
import type { CommandNotice } from "../../components/CommandNotices";
import { BUILT_IN_COMMANDS, type CommandInfo } from "../../core/commands";

/** What the composer offers (custom commands would join these). */
const commands: readonly CommandInfo[] = BUILT_IN_COMMANDS;

import type { ChatClient } from "../chat-client";
import { runCommand } from "../slash-run";

/** How many answers stay on screen: the oldest goes first. */
const MAX_NOTICES = 5;

/**
 * A room's slash commands: what the composer offers and runs, and the
 * answers only this tab sees. `leave` is the room screen's own (it moves
 * away once left).
 */
export function useSlashCommands(
  client: ChatClient | null | undefined,
  roomId: string,
  leave: () => Promise<string | null>,
) {
  const [notices, setNotices] = useState<CommandNotice[]>([]);
  const nextId = useRef(1);
  const leaveRef = useRef(leave);
  useEffect(() => {
    leaveRef.current = leave;
  });

  const notice = useCallback((text: string) => {
    const id = nextId.current++;
    setNotices((list) => [...list, { id, text }].slice(-MAX_NOTICES));
  }, []);
  const dismiss = useCallback(
    (id: number) => setNotices((list) => list.filter((n) => n.id !== id)),
    [],
  );
  const run = useCallback(
    (name: string, args: string) => {
      if (!client) return notice("Not connected.");
      void runCommand(name, args, {
        client,
        roomId,
        leave: () => leaveRef.current(),
        commands,
        notice,
      });
    },
    [client, roomId, notice],
  );
  return { commands, notices, dismiss, run };
}
