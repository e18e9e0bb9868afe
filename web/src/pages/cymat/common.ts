// Pieces the CYMAT pages share: sub-navigation, state and class badges, the timeline, small
// form fields, and running an action with its refusal (and basis) shown in place.
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

/** The director, or the deputy (the server decides whether the deputy is acting). */
export function isHead(): boolean {
  return hasRole('nisc_director', 'nisc_deputy');
}

export function subnav(active: string): HTMLElement {
  const items: [string, MessageKey, string][] = [
    ['board', 'cymat.nav.board', '#/cymat'],
    ['request', 'cymat.nav.request', '#/cymat/requests/new'],
    ['roster', 'cymat.nav.roster', '#/cymat/roster'],
    ['consents', 'cymat.nav.consents', '#/cymat/consents'],
  ];
  return h(
    'nav',
    { class: 'cymat-subnav', 'aria-label': t('cymat.nav.label') },
    h(
      'ul',
      { class: 'plain inline' },
      items.map(([key, label, href]) =>
        h('li', null, h('a', { href, class: ['btn', 'btn-small', key === active && 'btn-current'], 'aria-current': key === active ? 'page' : undefined, testid: `cymat-nav-${key}` }, t(label))),
      ),
    ),
  );
}

export function stateBadge(state: string): HTMLElement {
  return h('span', { class: ['cymat-state', `cymat-state-${state}`], 'data-state': state, testid: 'state' }, tCode('cymat.state', state));
}

export function classBadge(conf: number): HTMLElement {
  return h('span', { class: ['cymat-class', `cymat-class-${conf}`], title: t('cymat.class_title') }, t('cymat.class', { n: conf }));
}

export function when(iso: string | null | undefined): Child {
  if (!iso) return h('span', { class: 'muted' }, '—');
  return h('time', { datetime: iso }, iso.replace('T', ' ').replace(/:\d\d(\.\d+)?\+09:00$/, ''));
}

export function timelineView(entries: TimelineEntry[] | undefined): HTMLElement {
  if (!entries || !entries.length) return h('p', { class: 'muted' }, t('cymat.timeline_none'));
  return h(
    'ol',
    { class: 'cymat-timeline', testid: 'timeline' },
    entries.map((e) =>
      h(
        'li',
        { class: 'cymat-tl-entry' },
        h('div', null, when(e.at), ' ', h('strong', null, tCode('cymat.action', e.action)), ' ', h('span', { class: 'muted' }, `${e.actor} (${e.org})`), e.to && e.from !== e.to ? h('span', { class: 'muted small' }, ` → ${tCode('cymat.state', e.to)}`) : null),
        e.basis && e.basis.length ? basisView(e.basis) : null,
      ),
    ),
  );
}

/** A labelled field around an input, select or textarea. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uid('f');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('span', { class: 'hint' }, hint) : null);
}

export function textInput(name: string, attrs: Record<string, unknown> = {}): HTMLInputElement {
  return h('input', { type: 'text', name, testid: `in-${name}`, ...attrs });
}

export function textArea(name: string, attrs: Record<string, unknown> = {}): HTMLTextAreaElement {
  return h('textarea', { name, rows: 4, class: 'cymat-textarea', testid: `in-${name}`, ...attrs });
}

export function select(name: string, options: [string, string][], value?: string): HTMLSelectElement {
  return h('select', { name, testid: `in-${name}` }, options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
}

export function classSelect(name = 'confidentiality', value = '2'): HTMLSelectElement {
  return select(name, [['1', t('cymat.class', { n: 1 })], ['2', t('cymat.class', { n: 2 })], ['3', t('cymat.class', { n: 3 })]], value);
}

/**
 * A form whose submission calls run(); a refusal is shown under the form with its basis,
 * success calls done(). The submit button is disabled while the request runs.
 */
export function actionForm(opts: {
  testid: string;
  title?: string;
  fields: Child[];
  submit: string;
  run: () => Promise<unknown>;
  done: (result: unknown) => void;
  className?: string;
}): HTMLElement {
  const out = h('div', { class: 'cymat-form-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: `${opts.testid}-submit` }, opts.submit);
  const form = h(
    'form',
    {
      class: ['cymat-form', opts.className],
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
    h('div', { class: 'cymat-form-fields' }, opts.fields),
    h('div', null, button),
    out,
  );
  return form;
}

/** A button for an action without input; refusals appear next to it. */
export function actionButton(label: string, testid: string, run: () => Promise<unknown>, done: (r: unknown) => void): HTMLElement {
  const out = h('span', { class: 'cymat-form-result', 'aria-live': 'polite' });
  const button = h('button', {
    type: 'button',
    class: 'btn',
    testid,
    on: {
      click: () => {
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
      },
    },
  });
  button.textContent = label;
  return h('span', { class: 'cymat-action' }, button, out);
}

export function emptyRow(cols: number, text: string): HTMLElement {
  return h('tr', null, h('td', { colspan: cols, class: 'muted' }, text));
}
