/**
 * The error of a hook that failed inside the build's transaction, its message led by the hook
 * (`models/x.sql (post-hook 2) failed: ...`), whether its Jinja or its SQL failed: the node's file
 * alone sends the reader to the model's SQL, or a seed's CSV, not to the hook.
 */
import { MartqlError } from '../errors';

export function hookFailed(err: unknown, name: string): MartqlError {
  const cause = err instanceof MartqlError ? err : undefined;
  return new MartqlError(
    cause?.code ?? 'DATABASE',
    `${name} failed: ${(err as Error)?.message ?? String(err)}`,
    {
      cause: err,
      location: cause?.location,
      hint: cause?.hint,
      data: { ...(cause?.data ?? {}), hook: name },
    },
  );
}
