import { defineWebSocketHandler } from "h3";
import { getRuntime } from "../../src/server/runtime.server";
import { createChatHooks } from "../../src/server/ws/hooks.server";

// Mounts the chat's crossws hooks on /_ws; all logic lives in src/server/ws.
export default defineWebSocketHandler(createChatHooks(getRuntime));
