import { defineWebSocketHandler } from "h3";
import { createChatHooks } from "../../src/server/ws/hooks.server";
import { getRealtime } from "../../src/server/ws/realtime.server";

// Mounts the chat's crossws hooks on /_ws; all logic lives in src/server/ws.
export default defineWebSocketHandler(createChatHooks(getRealtime));
