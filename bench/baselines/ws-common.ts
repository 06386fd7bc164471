// The skeleton both raw `ws` baselines share: rooms from the URL, a `ready`
// frame, a `send` frame answered with an ack and broadcast to the room. Only
// the broadcast differs, so the two measure exactly that difference.
import { createServer } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import { baselineFrames, roomsFromUrl } from "../lib/wire.ts";

export type Broadcast = (peers: Set<WebSocket>, except: WebSocket, frame: string) => void;

export function startWsBaseline(broadcast: Broadcast) {
  const rooms = new Map<string, Set<WebSocket>>();
  const server = createServer((_request, response) => response.end("ok"));
  // Parley caps frames at 64 KiB too; compression is off in both (ws default).
  const wss = new WebSocketServer({ server, maxPayload: 65_536 });
  let users = 0;
  wss.on("connection", (ws, request) => {
    const user = `u${++users}`;
    const joined = roomsFromUrl(request.url);
    for (const slug of joined) {
      const peers = rooms.get(slug) ?? new Set();
      peers.add(ws);
      rooms.set(slug, peers);
    }
    ws.send(JSON.stringify({ type: "ready", rooms: joined.map((slug) => ({ id: slug, slug })) }));
    ws.on("message", (data) => {
      const out = baselineFrames(String(data), user);
      if (!out) return;
      ws.send(out.ack);
      const peers = rooms.get(out.roomId);
      if (peers) broadcast(peers, ws, out.message);
    });
    ws.on("close", () => {
      for (const slug of joined) rooms.get(slug)?.delete(ws);
    });
  });
  server.listen(Number(process.env.PORT), "127.0.0.1");
}
