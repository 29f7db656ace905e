import { peopleKeys } from './people-keys';
import { videoKeys } from './video-keys';

/**
 * Every object prefix that holds one user's data: the account purge deletes all of them. A
 * feature that stores per-user objects outside these prefixes adds its prefix here.
 */
export function userObjectPrefixes(userId: string): string[] {
  return [videoKeys.userPrefix(userId), peopleKeys.prefix(userId)];
}
