// The logged-in user, shared by the header and the router. The session itself is the
// HttpOnly cookie; this is only what the server told us about it.
import type { User } from './api';

let user: User | null = null;
let orgNames: { ja: string; en: string } | null = null;
const listeners = new Set<() => void>();

export function currentUser(): User | null {
  return user;
}

/** Names of the user's organisation, once known (the header shows the code until then). */
export function userOrgNames(): { ja: string; en: string } | null {
  return orgNames;
}

export function setUserOrgNames(names: { ja: string; en: string } | null): void {
  orgNames = names;
  for (const fn of listeners) fn();
}

export function setUser(next: User | null): void {
  if (!next || next.org !== user?.org) orgNames = null;
  user = next;
  for (const fn of listeners) fn();
}

export function onUserChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
