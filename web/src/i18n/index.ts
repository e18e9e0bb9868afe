// Language selection and message lookup. Japanese is the default; the choice persists in
// localStorage. Changing the language notifies listeners so the current screen re-renders.
import { ja, type MessageKey } from './ja';
import { en } from './en';

export type Lang = 'ja' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'cshq.lang';
const catalogues: Record<Lang, Record<MessageKey, string>> = { ja, en };

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'ja' || saved === 'en') return saved;
  } catch {
    /* storage unavailable: fall back to Japanese */
  }
  return 'ja';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* not persisted; still switch for this page */
  }
  document.documentElement.lang = next;
  for (const fn of listeners) fn();
}

export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Looks up a message and fills {name} placeholders. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let msg = catalogues[current][key] ?? key;
  if (params) {
    msg = msg.replace(/\{(\w+)\}/g, (m, name: string) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : m,
    );
  }
  return msg;
}

/** A message whose key is built at run time (function codes, kinds, docs); falls back to
 * the raw code when the catalogue has no entry, so new server codes still display. */
export function tCode(prefix: string, code: string): string {
  const key = `${prefix}.${code}` as MessageKey;
  return key in catalogues[current] ? t(key) : code;
}

document.documentElement.lang = current;
