// Baseline "socket.io": rooms and `socket.to(room).emit`, websocket
// transport only (no long-polling), compression off like the others. Every
// frame travels as one "frame" event carrying the same JSON string the ws
// systems send, so the load generator handles all systems alike.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { baselineFrames } from "../lib/wire.ts";

const server = createServer((_request, response) => response.end("ok"));
const io = new Server(server, {
  transports: ["websocket"],
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 65_536,
});

io.on("connection", (socket) => {
  const joined = String(socket.handshake.query.rooms ?? "")
    .split(",")
    .filter(Boolean);
  socket.join(joined);
  socket.emit(
    "frame",
    JSON.stringify({ type: "ready", rooms: joined.map((slug) => ({ id: slug, slug })) }),
  );
  socket.on("send", (raw: string) => {
    const out = baselineFrames(raw, socket.id);
    if (!out) return;
    socket.emit("frame", out.ack);
    socket.to(out.roomId).emit("frame", out.message);
  });
});

server.listen(Number(process.env.PORT), "127.0.0.1");
