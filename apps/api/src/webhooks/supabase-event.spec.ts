import { MalformedEventError, parseSupabaseEvent } from './supabase-event';

const id = '0b6f3c1e-8a4d-4e2b-9c1f-2d3e4f5a6b7c';

describe('parseSupabaseEvent', () => {
  it('reads a Standard Webhooks user.deleted event', () => {
    expect(parseSupabaseEvent({ type: 'user.deleted', timestamp: '2026-01-01T00:00:00Z', data: { id } })).toEqual({ type: 'user.deleted', userId: id });
    expect(parseSupabaseEvent({ type: 'user.deleted', data: { user: { id: id.toUpperCase() } } })).toEqual({ type: 'user.deleted', userId: id });
  });

  it('reads a database webhook DELETE on auth.users as user.deleted', () => {
    expect(parseSupabaseEvent({ type: 'DELETE', schema: 'auth', table: 'users', record: null, old_record: { id } })).toEqual({
      type: 'user.deleted',
      userId: id,
    });
  });

  it('passes other events through and refuses a user.deleted without a user', () => {
    expect(parseSupabaseEvent({ type: 'user.created', data: { id } })).toEqual({ type: 'user.created', userId: id });
    expect(() => parseSupabaseEvent({ type: 'user.deleted', data: { id: 'nope' } })).toThrow(MalformedEventError);
    expect(() => parseSupabaseEvent([1])).toThrow(/no type/);
    expect(() => parseSupabaseEvent('x')).toThrow(/JSON object/);
  });
});
