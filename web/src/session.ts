// The logged-in user, shared by the header and the router. The session itself is the
// HttpOnly cookie; this is only what the server told us about it.
import type { User } from './api';

let user: User | null = null;
const listeners = new Set<() => void>();

export function currentUser(): User | null {
  return user;
}

export function setUser(next: User | null): void {
  user = next;
  for (const fn of listeners) fn();
}

export function onUserChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
