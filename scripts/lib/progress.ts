// The import's progress on stderr: a bar redrawn in place on a terminal,
// plain lines otherwise (CI logs, pipes), so stdout keeps only the summary.
export type Progress = { step(done: number, total: number, label: string): void; end(): void };

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let drawn = false;
  return {
    step(done, total, label) {
      if (tty) {
        const width = 30;
        const filled = total === 0 ? width : Math.round((done / total) * width);
        const percent = total === 0 ? 100 : Math.round((done / total) * 100);
        stream.write(
          `\r[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${String(percent).padStart(3)}% ${label}`.padEnd(
            80,
          ),
        );
        drawn = true;
      } else if (label) {
        stream.write(`import: ${done + 1}/${total} ${label}\n`);
      }
    },
    end() {
      if (tty && drawn) stream.write("\n");
    },
  };
}
