/**
 * A condition the launcher explains in one line (what is wrong and what to do) instead of a stack
 * trace: the operator can fix it, nothing in Tandem is broken.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}
