// Baseline "crossws": the adapter Parley runs on, with crossws's own topics.
// `peer.publish` walks every peer of the namespace and sends the string to
// those subscribed to the topic (Parley's Hub avoids that walk).
import { createServer } from "node:http";
import wsAdapter from "crossws/adapters/node";
import { baselineFrames, roomsFromUrl } from "../lib/wire.ts";

const ws = wsAdapter({
  serverOptions: { maxPayload: 65_536 },
  hooks: {
    open(peer) {
      const joined = roomsFromUrl(peer.request.url);
      for (const slug of joined) peer.subscribe(slug);
      peer.send(
        JSON.stringify({ type: "ready", rooms: joined.map((slug) => ({ id: slug, slug })) }),
      );
    },
    message(peer, message) {
      const out = baselineFrames(message.text(), peer.id);
      if (!out) return;
      peer.send(out.ack);
      peer.publish(out.roomId, out.message);
    },
  },
});

const server = createServer((_request, response) => response.end("ok"));
server.on("upgrade", (request, socket, head) => ws.handleUpgrade(request, socket, head));
server.listen(Number(process.env.PORT), "127.0.0.1");
