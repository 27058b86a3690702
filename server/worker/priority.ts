import { readdirSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the scheduling priority of the whole process. On Linux a priority belongs to a thread and
 * `os.setPriority()` changes only the calling one, so V8's garbage-collection and compiler threads,
 * started before it, kept the default priority and competed with the web process; every thread
 * is lowered here (threads started later inherit it).
 */
export function lowerProcessPriority(niceness: number) {
  setPriority(niceness);
  let threads: string[];
  try {
    threads = readdirSync("/proc/self/task");
  } catch {
    return; // Not Linux: the process call above is the whole story.
  }
  for (const thread of threads) {
    try {
      setPriority(Number(thread), niceness);
    } catch {
      // The thread ended meanwhile.
    }
  }
}
