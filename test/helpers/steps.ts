/**
 * Runs one named phase of a long story test. If it throws, the same error is rethrown with its
 * message prefixed `step "<name>": `, so a failure names the step and not only the whole story.
 * The error object is kept (its class, stack frames and fields: an assertion still shows expected
 * and actual); the first line of its stack is brought in line with the new message. A thrown
 * non-Error, or an Error whose message cannot be changed, is wrapped in an Error with it as cause.
 */
export async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw named(`step "${name}": `, error);
  }
}

function named(prefix: string, error: unknown): Error {
  if (!(error instanceof Error)) return new Error(`${prefix}${String(error)}`, { cause: error });
  const original = error.message;
  try {
    error.message = `${prefix}${original}`;
  } catch {
    // Frozen, or a message without a setter.
  }
  if (error.message !== `${prefix}${original}`) {
    return new Error(`${prefix}${original}`, { cause: error });
  }
  const head = original ? `${error.name}: ${original}` : error.name;
  try {
    if (typeof error.stack === 'string' && error.stack.startsWith(head)) {
      error.stack = `${error.name}: ${error.message}${error.stack.slice(head.length)}`;
    }
  } catch {
    // A stack that cannot be set stays as it was.
  }
  return error;
}
