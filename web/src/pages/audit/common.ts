// Pieces the audit pages share: sub-navigation, the fiscal-year switcher, badges, the
// timeline with basis, form fields, and running an action with its refusal (and basis)
// shown in place.
import { basisView } from '../../components/citation';
import { problemView } from '../../components/problem';
import { h, mount, uid, type Child } from '../../dom';
import { todayJst } from '../../dates';
import { buildHash } from '../../router';
import { currentUser } from '../../session';
import type { Notice, TimelineEntry } from './client';
import { m, mc, type AuditKey } from './i18n';

export function hasRole(...roles: string[]): boolean {
  const u = currentUser();
  return !!u && roles.some((r) => u.roles.includes(r));
}

export function isNisc(): boolean {
  return hasRole('nisc_staff', 'nisc_director', 'nisc_deputy');
}

/** The Japanese fiscal year (April to March) of today in JST. */
export function currentFiscalYear(): number {
  const [y, mo] = todayJst().split('-').map(Number);
  return mo >= 4 ? y : y - 1;
}

export function fiscalYearOf(query: URLSearchParams): number {
  const v = Number(query.get('fiscal_year'));
  return Number.isInteger(v) && v >= 2000 && v <= 2100 ? v : currentFiscalYear();
}

export function subnav(active: string, fy?: number): HTMLElement {
  const q = fy ? { fiscal_year: String(fy) } : undefined;
  const items: [string, AuditKey, string][] = [
    ['board', 'nav.board', buildHash('/audits', q)],
    ['policy', 'nav.policy', buildHash('/audits/policy', q)],
    ['followups', 'nav.followups', buildHash('/audits/followups', q)],
    ['summary', 'nav.summary', buildHash('/audits/summary', q)],
    ['practices', 'nav.practices', buildHash('/audits/practices', q)],
  ];
  return h(
    'nav',
    { class: 'audit-subnav', 'aria-label': m('nav.label') },
    h(
      'ul',
      { class: 'plain inline' },
      items.map(([key, label, href]) =>
        h('li', null, h('a', { href, class: ['btn', 'btn-small', key === active && 'btn-current'], 'aria-current': key === active ? 'page' : undefined, testid: `audit-nav-${key}` }, m(label))),
      ),
    ),
  );
}

/** Previous / next fiscal year links for a page. */
export function fySwitch(path: string, fy: number, extra: Record<string, string> = {}): HTMLElement {
  return h(
    'div',
    { class: 'audit-fy', testid: 'audit-fy' },
    h('a', { href: buildHash(path, { ...extra, fiscal_year: String(fy - 1) }), class: 'btn btn-small', 'aria-label': m('fy.prev') }, '◀'),
    h('strong', { class: 'audit-fy-label' }, m('fy', { fy })),
    h('a', { href: buildHash(path, { ...extra, fiscal_year: String(fy + 1) }), class: 'btn btn-small', 'aria-label': m('fy.next') }, '▶'),
  );
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: ['audit-state', `audit-state-${state}`], 'data-state': state, testid: 'state' }, mc('state', state));
}

export function severityBadge(sev: string): HTMLElement {
  return h('span', { class: ['audit-sev', `audit-sev-${sev}`], 'data-severity': sev }, mc('sev', sev));
}

export function importantBadge(important: boolean): Child {
  return important ? h('span', { class: 'audit-important', testid: 'important' }, m('finding.important')) : null;
}

export function when(iso: string | null | undefined): Child {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso }, iso.replace('T', ' ').replace(/:\d\d(\.\d+)?\+09:00$/, ''));
}

export function timelineView(entries: TimelineEntry[] | undefined): HTMLElement {
  if (!entries || !entries.length) return h('p', { class: 'muted' }, m('none'));
  return h(
    'ol',
    { class: 'audit-timeline', testid: 'timeline' },
    entries.map((e) =>
      h(
        'li',
        { class: 'audit-tl-entry' },
        h(
          'div',
          null,
          when(e.at),
          ' ',
          h('strong', null, mc('action', e.action)),
          ' ',
          h('span', { class: 'muted' }, `${e.actor} (${e.org})`),
          e.to && e.from !== e.to ? h('span', { class: 'muted small' }, ` → ${mc('state', e.to)}`) : null,
          typeof e.detail?.reason === 'string' ? h('div', { class: 'small' }, `${m('eng.reason')}: ${e.detail.reason}`) : null,
        ),
        e.basis && e.basis.length ? basisView(e.basis) : null,
      ),
    ),
  );
}

export function noticesView(notices: Notice[] | undefined): HTMLElement {
  if (!notices || !notices.length) return h('p', { class: 'muted' }, m('none'));
  return h(
    'ul',
    { class: 'plain audit-notices', testid: 'notices' },
    notices.map((n) =>
      h(
        'li',
        { class: 'audit-notice', 'data-to': n.to_org },
        when(n.created_at),
        ' → ',
        h('strong', null, n.to_role ? `${n.to_org} (${n.to_role})` : n.to_org),
        ' ',
        n.subject,
      ),
    ),
  );
}

/** A labelled field around an input, select or textarea. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('af');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

export function textInput(name: string, attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h('input', { type: 'text', name, testid: `in-${name}`, ...attrs });
}

export function textArea(name: string, attrs: Record<string, unknown> = {}): HTMLTextAreaElement {
  return h('textarea', { name, rows: 3, class: 'audit-textarea', testid: `in-${name}`, ...attrs });
}

export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  return h('select', { name, testid: `in-${name}` }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function checkbox(name: string, label: string): [HTMLInputElement, HTMLElement] {
  const id = uid('ac');
  const box = h('input', { type: 'checkbox', name, id, testid: `in-${name}` });
  return [box, h('div', { class: 'field field-check' }, box, h('label', { for: id }, label))];
}

/** A form whose submission calls run(); a refusal is shown under it with its basis. */
export function actionForm(opts: { testid: string; title?: string; fields: Child[]; submit: string; run: () => Promise<unknown>; done: (result: unknown) => void }): HTMLElement {
  const out = h('div', { class: 'audit-form-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${opts.testid}-submit` }, opts.submit);
  return h(
    'form',
    {
      class: 'audit-form',
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
    h('div', { class: 'audit-form-fields' }, opts.fields),
    h('div', null, button),
    out,
  );
}

/** A button for an action without input; refusals appear next to it. */
export function actionButton(label: string, testid: string, run: () => Promise<unknown>, done: (r: unknown) => void): HTMLElement {
  const out = h('div', { class: 'audit-form-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'btn', testid }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    mount(out);
    run().then(
      (r) => {
        button.disabled = false;
        done(r);
      },
      (e) => {
        button.disabled = false;
        mount(out, problemView(e));
      },
    );
  });
  return h('div', { class: 'audit-action' }, button, out);
}

/** A collapsible block (details/summary), for forms that are used now and then. */
export function disclosure(label: string, testid: string, ...body: Child[]): HTMLElement {
  return h('details', { class: 'audit-details', testid }, h('summary', null, label), body);
}

export function emptyRow(cols: number, text: string): HTMLElement {
  return h('tr', null, h('td', { colspan: cols, class: 'muted' }, text));
}

/** Text of a textarea split into trimmed non-empty lines. */
export function lines(v: string): string[] {
  return v
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}
