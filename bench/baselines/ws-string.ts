// Baseline "ws": the plainest broadcast, `socket.send(string)` per peer. ws
// frames and UTF-8-encodes the string once per socket, which is what
// Parley's Hub does through crossws's `peer.send`.
import { startWsBaseline } from "./ws-common.ts";

startWsBaseline((peers, except, frame) => {
  for (const peer of peers) if (peer !== except) peer.send(frame);
});
