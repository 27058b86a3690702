import cluster from "node:cluster";
import type { Logger } from "pino";

/** A child that dies is forked again after this long; the launcher supervises the primary. */
const REFORK_DELAY_MS = 1_000;

/**
 * Runs `start` in `count` processes that share one listening port: the primary forks them and
 * the operating system's sockets are handed out round-robin by Node's cluster module. Each child
 * is a full instance (its own pool, its own LISTEN), which is what lets web and realtime scale
 * out; a child that dies is forked again. With a count of 1 it runs `start` in this process.
 */
export async function runClustered(input: { count: number; log: Logger; start: () => Promise<void> }) {
  if (input.count <= 1 || !cluster.isPrimary) {
    await input.start();
    return;
  }
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    input.log.warn({ childPid: worker.process.pid, code, signal }, "a clustered process exited; forking another");
    setTimeout(fork, REFORK_DELAY_MS);
  });
  for (let i = 0; i < input.count; i++) fork();
  input.log.info({ processes: input.count }, "cluster started");
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (!worker || worker.isDead()) return resolve();
            worker.once("exit", () => resolve());
            worker.process.kill("SIGTERM");
          }),
      ),
    );
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
