const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SupabaseEvent {
  /** `user.deleted`, or whatever else was sent (ignored). */
  type: string;
  /** The user the event is about, when it names one. */
  userId: string | null;
}

export class MalformedEventError extends Error {}

/**
 * Reads the two shapes a Supabase project can send: a Standard Webhooks event
 * `{ type: "user.deleted", data: { id } }` (also `data.user.id` / `data.user_id`), and a database
 * webhook on auth.users `{ type: "DELETE", schema: "auth", table: "users", old_record: { id } }`,
 * which means the same thing.
 */
export function parseSupabaseEvent(payload: unknown): SupabaseEvent {
  if (typeof payload !== 'object' || payload === null) throw new MalformedEventError('the webhook body must be a JSON object');
  const p = payload as { type?: unknown; data?: Record<string, unknown>; schema?: unknown; table?: unknown; old_record?: { id?: unknown } };
  if (typeof p.type !== 'string' || !p.type) throw new MalformedEventError('the webhook body has no type');
  const isAuthUserDelete = p.type === 'DELETE' && p.schema === 'auth' && p.table === 'users';
  const type = isAuthUserDelete ? 'user.deleted' : p.type;
  const data = p.data ?? {};
  const nestedUser = data.user as { id?: unknown } | undefined;
  const candidate = isAuthUserDelete ? p.old_record?.id : (data.id ?? nestedUser?.id ?? data.user_id);
  const userId = typeof candidate === 'string' && UUID.test(candidate) ? candidate.toLowerCase() : null;
  if (type === 'user.deleted' && !userId) throw new MalformedEventError('a user.deleted event must name the user: data.id (a UUID)');
  return { type, userId };
}
