import { useCallback, useEffect, useRef, useState } from "react";
import type { CommandNotice } from "../../components/CommandNotices";
import { BUILT_IN_COMMANDS, type CommandInfo } from "../../core/commands";
import { listCommandsFn, runCommandFn } from "../../server/fns/custom-commands";
import type { ChatClient } from "../chat-client";
import { runCommand } from "../slash-run";

/** How many answers stay on screen: the oldest goes first. */
const MAX_NOTICES = 5;

/**
 * The server's custom commands (issue 15), loaded once per page: an admin's
 * new command joins the listbox after a reload (typing it in full runs it
 * at once: the server decides what a name means).
 */
let customCommands: Promise<readonly CommandInfo[]> | null = null;
function loadCustom(): Promise<readonly CommandInfo[]> {
  customCommands ??= listCommandsFn().then(
    (answer) => answer.commands,
    () => {
      customCommands = null; // try again next time a room opens
      return [];
    },
  );
  return customCommands;
}

/** Runs one on the server: its text for this tab alone, or null. */
async function runCustom(roomId: string, name: string, args: string): Promise<string | null> {
  try {
    const answer = await runCommandFn({ data: { roomId, name, args } });
    return answer.ok ? answer.text : answer.error;
  } catch (error) {
    return `/${name} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * A room's slash commands: what the composer offers (the built-ins, then
 * the server's custom ones) and runs, and the answers only this tab sees.
 * `leave` is the room screen's own (it moves away once left).
 */
export function useSlashCommands(
  client: ChatClient | null | undefined,
  roomId: string,
  leave: () => Promise<string | null>,
) {
  const [notices, setNotices] = useState<CommandNotice[]>([]);
  const [commands, setCommands] = useState<readonly CommandInfo[]>(BUILT_IN_COMMANDS);
  useEffect(() => {
    let live = true;
    void loadCustom().then((custom) => {
      if (live && custom.length > 0) setCommands([...BUILT_IN_COMMANDS, ...custom]);
    });
    return () => {
      live = false;
    };
  }, []);
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
        runCustom: (name, text) => runCustom(roomId, name, text),
        notice,
      });
    },
    [client, roomId, notice, commands],
  );
  return { commands, notices, dismiss, run };
}
