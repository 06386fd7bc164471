// A real S3-protocol server (s3rver) as a process of its own, for tests:
// the built Parley server and the test process both talk to it over TCP,
// and it keeps answering while a test's own event loop is busy. Started by
// test/helpers/s3-server.ts; prints one "listening" line with its port.
// Plain JavaScript: s3rver ships no types.
import S3rver from "s3rver";

const directory = process.env.S3RVER_DIR;
if (!directory) throw new Error("S3RVER_DIR is required");
const buckets = (process.env.S3RVER_BUCKETS ?? "").split(",").filter(Boolean);

const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port } = await server.run();
console.log(`s3rver listening on 127.0.0.1:${port}`);
// .ci/run's preflight: prove it starts here, then leave.
if (process.argv.includes("--check")) {
  await server.close();
  process.exit(0);
}

// Tests are done with it: drop open keep-alive connections rather than
// wait for their clients to let go.
const close = async () => {
  server.httpServer?.closeAllConnections();
  await server.close();
  process.exit(0);
};
process.once("SIGTERM", close);
process.once("SIGINT", close);
