/** A failure grantflow expects and can explain; `code` is stable for clients and tests. */
export class GrantflowError extends Error {
  /** HTTP status the API answers with when this error reaches a route. */
  readonly status: number;
  /** Machine-readable facts about the failure (field paths, ids). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly code: string,
    message: string,
    options: { status?: number; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status ?? 500;
    this.details = options.details;
  }
}

/** Configuration is missing or malformed; the process must not start. */
export class ConfigError extends GrantflowError {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'config_invalid',
      `Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`,
      { details: { problems } },
    );
  }
}

/** The input was understood but is not acceptable (HTTP 400). */
export class ValidationError extends GrantflowError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('validation_failed', message, { status: 400, details });
  }
}

/** The thing asked for does not exist (HTTP 404). */
export class NotFoundError extends GrantflowError {
  constructor(what: string, id: string) {
    super('not_found', `${what} ${id} does not exist`, { status: 404, details: { what, id } });
  }
}

/** The request conflicts with the current state (HTTP 409): a duplicate, or too late to act. */
export class ConflictError extends GrantflowError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('conflict', message, { status: 409, details });
  }
}

/** Authenticated, but this person may not do this (HTTP 403); the message says why. */
export class NotAllowedError extends GrantflowError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('not_allowed', message, { status: 403, details });
  }
}

/** An approval needs a passkey and lacks one (`step_up_required`) or carries a bad one (`step_up_failed`): 403. */
export class StepUpError extends GrantflowError {
  constructor(code: 'step_up_required' | 'step_up_failed', message: string) {
    super(code, message, { status: 403 });
  }
}

/** A local service could not be started or reached; the message says what to do. */
export class StartupError extends GrantflowError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}
