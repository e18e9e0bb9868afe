// Pieces the GSOC pages share: sub-navigation, state and TLP badges, times, the timeline
// with its basis, and form fields whose refusals (with basis) appear in place.
import { basisView } from '../../components/citation';
import { problemView } from '../../components/problem';
import { h, mount, uid, type Child } from '../../dom';
import { t, tCode, type MessageKey } from '../../i18n';
import { currentUser } from '../../session';
import type { TimelineEntry } from './client';

export function hasRole(...roles: string[]): boolean {
  const u = currentUser();
  return !!u && roles.some((r) => u.roles.includes(r));
}

/** NISC's roles: the centre's view (campaigns, triage). */
export function isNisc(): boolean {
  return hasRole('nisc_director', 'nisc_deputy', 'nisc_staff');
}

export function canManageSensors(): boolean {
  return isNisc() || hasRole('admin');
}

export function subnav(active: string): HTMLElement {
  const items: [string, MessageKey, string][] = [
    ['overview', 'gsoc.nav.overview', '#/gsoc'],
    ['detections', 'gsoc.nav.detections', '#/gsoc/detections'],
    ['sensors', 'gsoc.nav.sensors', '#/gsoc/sensors'],
    ['coverage', 'gsoc.nav.coverage', '#/gsoc/coverage'],
  ];
  return h(
    'nav',
    { class: 'gsoc-subnav', 'aria-label': t('gsoc.nav.label') },
    h(
      'ul',
      { class: 'plain inline' },
      items.map(([key, label, href]) =>
        h('li', null, h('a', { href, class: ['btn', 'btn-small', key === active && 'btn-current'], 'aria-current': key === active ? 'page' : undefined, testid: `gsoc-nav-${key}` }, t(label))),
      ),
    ),
  );
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: ['gsoc-state', `gsoc-state-${state}`], 'data-state': state, testid: 'state' }, tCode('gsoc.state', state));
}

export function tlpBadge(tlp: string): HTMLElement {
  const cls = tlp.replace(/^TLP:/, '').toLowerCase().replace('+', '-');
  return h('span', { class: ['gsoc-tlp', `gsoc-tlp-${cls}`], testid: 'tlp' }, tlp);
}

export function indicatorText(type: string, value: string | null, withheld: boolean): HTMLElement {
  return h(
    'span',
    { class: 'gsoc-indicator' },
    h('span', { class: 'tag gsoc-type' }, tCode('gsoc.type', type)),
    ' ',
    withheld || value === null ? h('span', { class: 'muted', testid: 'withheld' }, t('gsoc.withheld')) : h('code', { class: 'gsoc-value' }, value),
  );
}

export function when(iso: string | null | undefined): Child {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso }, iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?\+09:00$/, '$1'));
}

export function timelineView(entries: TimelineEntry[] | undefined): HTMLElement {
  if (!entries || !entries.length) return h('p', { class: 'muted' }, t('gsoc.timeline_none'));
  return h(
    'ol',
    { class: 'gsoc-timeline', testid: 'timeline' },
    entries.map((e) => {
      const detail = e.detail || {};
      const notes: Child[] = [];
      for (const key of ['comment', 'message', 'resolution', 'title']) {
        const v = detail[key];
        if (typeof v === 'string' && v) notes.push(h('div', { class: 'gsoc-tl-note' }, h('span', { class: 'muted small' }, `${tCode('gsoc.field', key)}: `), key === 'resolution' ? tCode('gsoc.resolution', v) : v));
      }
      if (detail.report_draft) notes.push(h('div', { class: 'gsoc-tl-note muted small' }, t('gsoc.report_draft_kept')));
      if (typeof detail.report === 'number') notes.push(h('div', { class: 'gsoc-tl-note' }, h('a', { href: `#/reports/${detail.report}` }, t('gsoc.report_no', { id: detail.report }))));
      return h(
        'li',
        { class: 'gsoc-tl-entry' },
        h('div', null, when(e.at), ' ', h('strong', null, tCode('gsoc.action', e.action)), ' ', h('span', { class: 'muted' }, `${e.actor} (${e.org})`), e.to && e.from !== e.to ? h('span', { class: 'muted small' }, ` → ${tCode('gsoc.state', e.to)}`) : null),
        notes,
        e.basis && e.basis.length ? basisView(e.basis) : null,
      );
    }),
  );
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('g');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

export function textInput(name: string, attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h('input', { type: 'text', name, testid: `in-${name}`, ...attrs });
}

export function textArea(name: string, attrs: Record<string, unknown> = {}): HTMLTextAreaElement {
  return h('textarea', { name, rows: 3, class: 'gsoc-textarea', testid: `in-${name}`, ...attrs });
}

export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  return h('select', { name, testid: `in-${name}` }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

/** A form whose submission calls run(); a refusal shows under it with its basis. */
export function actionForm(opts: { testid: string; title?: string; fields: Child[]; submit: string; run: () => Promise<unknown>; done: (result: unknown) => void }): HTMLElement {
  const out = h('div', { class: 'gsoc-form-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${opts.testid}-submit` }, opts.submit);
  return h(
    'form',
    {
      class: 'gsoc-form',
      testid: opts.testid,
      on: {
        submit: (ev: SubmitEvent) => {
          ev.preventDefault();
          button.disabled = true;
          mount(out);
          opts.run().then(
            (r) => {
              button.disabled = false;
              opts.done(r);
            },
            (e) => {
              button.disabled = false;
              mount(out, problemView(e));
            },
          );
        },
      },
    },
    opts.title ? h('h3', null, opts.title) : null,
    h('div', { class: 'gsoc-form-fields' }, opts.fields),
    h('div', null, button),
    out,
  );
}

export function emptyRow(cols: number, text: string): HTMLElement {
  return h('tr', null, h('td', { colspan: cols, class: 'muted' }, text));
}

/** JST date n days before today (0 = today), YYYY-MM-DD. */
export function daysAgo(n: number): string {
  const d = new Date(Date.now() + 9 * 3600 * 1000 - n * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}
