// Reports (Act 31; DataProvisionRules 1): the list with its views (all I may see, NISC's
// triage queue, what waits at my ministry, my ministry's bodies), the filing form, and the
// report page with its route, updates, attachments, allowed actions and timeline with basis.
import { loadingView, problemView } from '../../components/problem';
import { isIsoDate } from '../../dates';
import { h, mount, uid, type Child } from '../../dom';
import { t, tCode } from '../../i18n';
import { buildHash, navigate, replaceQuery, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { incidents, jstInput, shortTime, type Report, type ReportItem, type RsitClass } from './client';
import { actionsView, exportLinks, facts, stateBadge, timelineView } from './common';

const REPORT_STATES = ['draft', 'awaiting_ministry', 'received', 'info_requested', 'acknowledged', 'confirmed_major', 'recommendation_prepared'];

type View = 'all' | 'triage' | 'awaiting';

function isNisc(): boolean {
  return (currentUser()?.roles ?? []).some((r) => r === 'nisc_staff' || r === 'nisc_director' || r === 'nisc_deputy');
}

function isFiler(): boolean {
  return (currentUser()?.roles ?? []).some((r) => r === 'csirt' || r === 'ciso' || r === 'staff');
}

export function mountReports(ctx: RouteContext): ScreenHandle {
  const view = (ctx.query.get('view') as View) || (isNisc() ? 'triage' : 'all');
  const f = {
    view,
    subject: ctx.query.get('subject') ?? '',
    state: ctx.query.get('state') ?? '',
    from: isIsoDate(ctx.query.get('from')) ? (ctx.query.get('from') as string) : '',
    to: isIsoDate(ctx.query.get('to')) ? (ctx.query.get('to') as string) : '',
  };
  let items: ReportItem[] = [];
  let next: string | null = null;
  let error: unknown = null;
  let loading = true;
  let destroyed = false;
  const results = h('div', { class: 'results', 'aria-live': 'polite' });

  const query = (): Record<string, string | undefined> => {
    const state = f.view === 'triage' ? 'received' : f.view === 'awaiting' ? 'awaiting_ministry' : f.state;
    return { subject: f.subject || undefined, state: state || undefined, from: f.from || undefined, to: f.to || undefined };
  };

  const load = async (more = false): Promise<void> => {
    loading = true;
    error = null;
    if (!more) renderResults();
    try {
      const page = await incidents.reports({ ...query(), cursor: more && next ? next : undefined });
      if (destroyed) return;
      items = more ? [...items, ...page.items] : page.items;
      next = page.next_cursor;
    } catch (e) {
      error = e;
    }
    loading = false;
    renderResults();
  };

  function renderResults(): void {
    if (error) return mount(results, problemView(error, () => void load()));
    if (loading && !items.length) return mount(results, loadingView());
    mount(
      results,
      items.length
        ? h(
            'table',
            { class: 'table', testid: 'report-list' },
            h('thead', null, h('tr', null, ['inc.col_id', 'inc.col_subject', 'inc.col_title', 'inc.col_item', 'inc.col_state', 'inc.col_occurred', 'inc.col_case'].map((k) => h('th', { scope: 'col' }, t(k as never))))),
            h(
              'tbody',
              null,
              items.map((r) =>
                h(
                  'tr',
                  { testid: `report-row-${r.id}` },
                  h('td', null, h('a', { href: `#/reports/${r.id}`, testid: `report-link-${r.id}` }, r.id)),
                  h('td', null, h('code', null, r.subject)),
                  h('td', null, h('a', { href: `#/reports/${r.id}` }, r.title), ' ', h('span', { class: `inc-tlp inc-tlp-${r.tlp.replace('+', '-')}` }, `TLP:${r.tlp}`)),
                  h('td', null, String(r.item)),
                  h('td', null, stateBadge('report', r.state)),
                  h('td', null, shortTime(r.occurred_at)),
                  h('td', null, r.case ? h('a', { href: `#/cases/${r.case}` }, r.case) : ''),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted', testid: 'report-list-empty' }, t('inc.none')),
      next ? h('button', { type: 'button', class: 'btn', on: { click: () => void load(true) } }, t('inc.more')) : null,
    );
  }

  const sync = (): void => replaceQuery('/reports', { view: f.view, ...query(), state: f.view === 'all' ? f.state || undefined : undefined });

  function render(): void {
    const views: View[] = isNisc() ? ['triage', 'all'] : ['all', 'awaiting'];
    const ids = { subject: uid('s'), state: uid('st'), from: uid('fr'), to: uid('to') };
    const input = (key: 'subject' | 'from' | 'to', type: string, testid: string): HTMLInputElement => {
      const el = h('input', { id: ids[key], type, value: f[key], testid }) as HTMLInputElement;
      el.addEventListener('change', () => {
        f[key] = el.value.trim();
        sync();
        void load();
      });
      return el;
    };
    const stateSel = h('select', { id: ids.state, testid: 'filter-state' }, h('option', { value: '' }, t('inc.any')), REPORT_STATES.map((s) => h('option', { value: s, selected: s === f.state }, tCode('inc.report_state', s))));
    stateSel.addEventListener('change', () => {
      f.state = stateSel.value;
      sync();
      void load();
    });
    mount(
      ctx.main,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'inc-title-row' }, h('h1', null, t('inc.reports_title')), h('div', { class: 'inline' }, isFiler() ? h('a', { class: 'btn btn-primary', href: '#/reports/new', testid: 'new-report' }, t('inc.new_report')) : null, h('a', { class: 'btn', href: '#/cases' }, t('inc.cases_title')), h('a', { class: 'btn', href: '#/notifications' }, t('inc.inbox_title')))),
        h(
          'div',
          { class: 'inc-tabs', role: 'tablist' },
          views.map((v) =>
            h('button', { type: 'button', role: 'tab', 'aria-selected': String(v === f.view), class: ['btn', v === f.view && 'btn-current'], testid: `view-${v}`, on: { click: () => { f.view = v; sync(); render(); void load(); } } }, t(`inc.view_${v}` as never)),
          ),
        ),
        h('p', { class: 'muted small' }, t(`inc.view_${f.view}_hint` as never)),
        h(
          'div',
          { class: 'filters' },
          h('div', { class: 'field' }, h('label', { for: ids.subject }, t('inc.col_subject')), input('subject', 'text', 'filter-subject')),
          f.view === 'all' ? h('div', { class: 'field' }, h('label', { for: ids.state }, t('inc.col_state')), stateSel) : null,
          h('div', { class: 'field' }, h('label', { for: ids.from }, t('inc.from')), input('from', 'date', 'filter-from')),
          h('div', { class: 'field' }, h('label', { for: ids.to }, t('inc.to')), input('to', 'date', 'filter-to')),
        ),
        results,
      ),
    );
    renderResults();
  }
  render();
  void load();
  return { relabel: render, destroy: () => { destroyed = true; } };
}

/** The filing form (POST /reports); the subject defaults to the user's organisation. */
export function mountNewReport(ctx: RouteContext): ScreenHandle {
  const user = currentUser();
  const values: Record<string, string> = { subject: ctx.query.get('subject') ?? user?.org ?? '', item: '1', confidentiality: '2', tlp: 'AMBER', classification: '' };
  let classes: RsitClass[] = [];
  const error = h('div');
  const render = (): void => {
    const field = (name: string, control: HTMLElement, hint?: string): HTMLElement => h('div', { class: 'field' }, h('label', { for: control.id }, t(`inc.field.${name}` as never)), control, hint ? h('span', { class: 'hint' }, hint) : null);
    const text = (name: string, type = 'text', attrs: Record<string, unknown> = {}): HTMLElement => {
      const el = h('input', { id: uid(name), type, value: values[name] ?? '', testid: `new-${name}`, ...attrs }) as HTMLInputElement;
      el.addEventListener('input', () => (values[name] = el.value));
      return el;
    };
    const area = (name: string): HTMLElement => {
      const el = h('textarea', { id: uid(name), rows: 5, testid: `new-${name}` }, values[name] ?? '') as HTMLTextAreaElement;
      el.addEventListener('input', () => (values[name] = el.value));
      return el;
    };
    const select = (name: string, options: [string, string][]): HTMLElement => {
      const el = h('select', { id: uid(name), testid: `new-${name}` }, options.map(([v, l]) => h('option', { value: v, selected: v === values[name] }, l))) as HTMLSelectElement;
      el.addEventListener('change', () => (values[name] = el.value));
      return el;
    };
    const classOptions: [string, string][] = [['', t('inc.unclassified')]];
    for (const c of classes) for (const ty of c.types) classOptions.push([`${c.class}/${ty.type}`, `${c.label_ja} / ${ty.label_ja} (${c.class}/${ty.type})`]);
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'new-submit' }, t('inc.file'));
    const form = h(
      'form',
      { class: 'inc-form', testid: 'report-form', novalidate: true },
      field('subject', text('subject'), t('inc.subject_hint')),
      field('item', select('item', [['1', t('inc.item.1')], ['2', t('inc.item.2')], ['3', t('inc.item.3')]])),
      field('title', text('title', 'text', { maxlength: 300 })),
      field('summary', area('summary')),
      field('occurred_at', text('occurred_at', 'datetime-local'), t('inc.jst_hint')),
      field('detected_at', text('detected_at', 'datetime-local'), t('inc.jst_hint')),
      field('classification', select('classification', classOptions)),
      field('confidentiality', select('confidentiality', [['1', t('inc.conf.1')], ['2', t('inc.conf.2')], ['3', t('inc.conf.3')]])),
      field('tlp', select('tlp', ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'].map((v) => [v, `TLP:${v}`]))),
      field('affected_systems', text('affected_systems'), t('inc.affected_hint')),
      h('div', { class: 'inline' }, submit, h('a', { class: 'btn', href: '#/reports' }, t('inc.cancel'))),
      error,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      submit.disabled = true;
      mount(error);
      const [cls, type] = values.classification ? values.classification.split('/') : [];
      const systems = (values.affected_systems ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      incidents
        .file({
          subject: values.subject.trim(),
          item: Number(values.item),
          title: values.title ?? '',
          summary: values.summary ?? '',
          occurred_at: jstInput(values.occurred_at ?? ''),
          detected_at: values.detected_at ? jstInput(values.detected_at) : undefined,
          confidentiality: Number(values.confidentiality),
          tlp: values.tlp,
          classification: cls ? { class: cls, type } : undefined,
          affected_systems: systems.length ? systems : undefined,
        })
        .then((r) => navigate(`/reports/${r.id}`))
        .catch((e) => {
          submit.disabled = false;
          mount(error, problemView(e));
        });
    });
    mount(ctx.main, h('section', { class: 'panel' }, h('p', { class: 'breadcrumb' }, h('a', { href: '#/reports' }, t('inc.reports_title'))), h('h1', null, t('inc.new_report')), form));
  };
  render();
  incidents.classifications().then(
    (c) => {
      classes = c.classes;
      render();
    },
    () => undefined,
  );
  return { relabel: render };
}

function updatesView(r: Report, reload: () => Promise<void>): HTMLElement {
  const text = h('textarea', { id: uid('upd'), rows: 2, testid: 'update-text' }) as HTMLTextAreaElement;
  const error = h('div');
  const add = h('button', { type: 'button', class: 'btn', testid: 'update-add' }, t('inc.add_update'));
  add.addEventListener('click', () => {
    if (!text.value.trim()) return;
    add.disabled = true;
    incidents.addUpdate(r.id, text.value).then(reload, (e) => {
      add.disabled = false;
      mount(error, problemView(e));
    });
  });
  const file = h('input', { type: 'file', id: uid('file'), testid: 'attach-file' }) as HTMLInputElement;
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f) incidents.attach(r.id, f).then(reload, (e) => mount(error, problemView(e)));
  });
  return h(
    'section',
    { class: 'panel' },
    h('h2', null, t('inc.updates')),
    r.updates.length
      ? h('ol', { class: 'inc-updates', testid: 'updates' }, r.updates.map((u) => h('li', null, h('span', { class: 'muted small' }, `${shortTime(u.at)} ${u.actor} (${u.org}) · ${tCode('inc.update_kind', u.kind)}`), h('p', { class: 'inc-pre' }, u.body))))
      : h('p', { class: 'muted' }, t('inc.none')),
    h('div', { class: 'field' }, h('label', { for: text.id }, t('inc.add_update')), text),
    add,
    h('h2', null, t('inc.attachments')),
    r.attachments.length
      ? h('ul', { class: 'plain', testid: 'attachments' }, r.attachments.map((a) => h('li', null, h('a', { href: `/api/v1/reports/${r.id}/attachments/${a.sha256}`, target: '_blank', rel: 'noopener' }, a.filename), ' ', h('span', { class: 'muted small' }, `${a.content_type}, ${a.size} B, SHA-256 ${a.sha256.slice(0, 16)}…`))))
      : h('p', { class: 'muted' }, t('inc.none')),
    h('div', { class: 'field' }, h('label', { for: file.id }, t('inc.attach')), file, h('span', { class: 'hint' }, t('inc.attach_hint'))),
    error,
  );
}

export function mountReport(ctx: RouteContext): ScreenHandle {
  const rid = ctx.params[0];
  let rec: Report | null = null;
  let error: unknown = null;
  const load = async (): Promise<void> => {
    try {
      rec = await incidents.report(rid);
      error = null;
    } catch (e) {
      error = e;
    }
    render();
  };
  const run = async (action: string, body: Record<string, unknown>): Promise<void> => {
    rec = await incidents.reportAction(rid, action, body);
    render();
  };
  function render(): void {
    if (error) return mount(ctx.main, problemView(error, () => void load()));
    if (!rec) return mount(ctx.main, loadingView());
    const r = rec;
    const route: Child = r.route ? (r.route.type === 'via' ? t('inc.route_via', { via: r.route.via.join(', ') }) : t('inc.route_direct')) : t('inc.route_none');
    mount(
      ctx.main,
      h(
        'div',
        { class: 'record inc-record', testid: 'report-page', 'data-id': r.id },
        h('p', { class: 'breadcrumb' }, h('a', { href: '#/reports' }, t('inc.reports_title'))),
        h('div', { class: 'inc-title-row' }, h('h1', null, t('inc.report_n', { id: r.id }), ' ', r.title), stateBadge('report', r.state)),
        h(
          'section',
          { class: 'panel' },
          facts([
            [t('inc.col_subject'), h('span', null, h('a', { href: buildHash(`/orgs/${encodeURIComponent(r.subject)}`) }, r.subject), r.subject_name_ja ? ` ${r.subject_name_ja}` : '')],
            [t('inc.field.item'), t(`inc.item.${r.item}` as never)],
            [t('inc.route'), h('span', { testid: 'report-route' }, route)],
            [t('inc.filed_by'), `${r.created_by} (${r.filed_by_org})`],
            [t('inc.field.occurred_at'), shortTime(r.occurred_at)],
            [t('inc.field.detected_at'), shortTime(r.detected_at)],
            [t('inc.reported_at'), shortTime(r.reported_at)],
            [t('inc.field.classification'), r.classification ? `${r.classification.class} / ${r.classification.type}` : t('inc.unclassified')],
            [t('inc.field.confidentiality'), t(`inc.conf.${r.confidentiality}` as never)],
            [t('inc.field.tlp'), h('span', { class: `inc-tlp inc-tlp-${r.tlp.replace('+', '-')}` }, `TLP:${r.tlp}`)],
            [t('inc.field.affected_systems'), r.affected_systems.join(', ')],
            [t('inc.col_case'), r.case ? h('a', { href: `#/cases/${r.case}`, testid: 'case-link' }, t('inc.case_n', { id: r.case })) : ''],
          ]),
          h('h2', null, t('inc.field.summary')),
          h('p', { class: 'inc-pre' }, r.summary),
          exportLinks('reports', r.id),
        ),
        h('section', { class: 'panel' }, h('h2', null, t('inc.actions')), actionsView(r.allowed_actions, run)),
        updatesView(r, load),
        h('section', { class: 'panel' }, h('h2', null, t('inc.timeline')), timelineView('report', r.timeline)),
      ),
    );
  }
  render();
  void load();
  return { relabel: render };
}
