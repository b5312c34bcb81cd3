/**
 * Reduces an error to its name, message and code, for logs. Driver errors can carry command
 * arguments (ioredis) or query parameters, which may contain client data, so the whole object
 * is never logged.
 */
export function summarizeError(error: unknown): { type: string; message: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };

  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
  };
}
