/**
 * Tracks every pending timer (status webhooks, delivery retries) so closing the sandbox cancels them
 * and leaves nothing firing into a stopped test.
 */
export function createTimers() {
  const pending = new Set<NodeJS.Timeout>();
  let isClosed = false;

  return {
    later(ms: number, run: () => void): void {
      if (isClosed) return;
      const handle = setTimeout(() => {
        pending.delete(handle);
        run();
      }, ms);
      pending.add(handle);
    },
    clearAll(): void {
      isClosed = true;
      for (const handle of pending) clearTimeout(handle);
      pending.clear();
    },
  };
}

export type Timers = ReturnType<typeof createTimers>;
