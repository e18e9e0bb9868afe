// Small visual markers: whether a function applies, the route of reports, an org kind.
import type { Applies, Route } from '../api';
import { h } from '../dom';
import { t, tCode } from '../i18n';

const SYMBOL: Record<Applies, string> = { yes: '●', no: '—', conditional: '◐' };

export function appliesBadge(applies: Applies, compact = false): HTMLElement {
  const label = t(`applies.${applies}`);
  return h(
    'span',
    { class: ['badge', `applies-${applies}`, compact && 'badge-compact'], 'data-applies': applies, title: compact ? label : undefined },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, SYMBOL[applies] ?? '?'),
    compact ? h('span', { class: 'sr-only' }, label) : ` ${label}`,
  );
}

export function routeText(route: Route | undefined): string {
  if (!route) return t('route.none');
  if (route.type === 'via') return t('route.via', { via: (route.via ?? []).join(', ') });
  return t('route.direct');
}

export function kindBadge(kind: string): HTMLElement {
  return h('span', { class: ['kind', `kind-${kind}`] }, tCode('kind', kind));
}
