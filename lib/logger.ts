import pino from "pino";

/**
 * The one logger of every Tandem process: JSON lines on stdout with the process's service name.
 * Never log secrets or message bodies; errors go in `err` so pino serialises the stack.
 */
export const logger = pino({
  base: { pid: process.pid },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

export const loggerFor = (service: "web" | "worker" | "realtime" | "launcher") => logger.child({ service });
