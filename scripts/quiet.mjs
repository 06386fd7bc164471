// Runs a command and prints its output only when it fails: keeps `npm test` logs readable.
import { spawnSync } from "node:child_process";

const [command, ...args] = process.argv.slice(2);
const started = Date.now();
const result = spawnSync(command, args, { encoding: "utf8", shell: false });
if (result.status !== 0) {
  process.stdout.write(result.stdout ?? "");
  process.stderr.write(result.stderr ?? "");
  console.error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
console.log(`${command} ${args.join(" ")}: ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
