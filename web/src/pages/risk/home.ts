// Risk assessment home: the cycles the user may see, starting this year's cycle (the body's
// information-security or information-protection department), the reports of supervised
// bodies waiting at a ministry, and links to the sets and NISC's aggregate.
import { loadingView, problemView } from '../../components/problem';
import { h, mount, uid } from '../../dom';
import { navigate, type RouteContext, type ScreenHandle } from '../../router';
import { currentUser } from '../../session';
import { currentFiscalYear, riskApi, type AssessmentSummary } from './api';
import { approvalBadge, field, orgName, run, STATES, stateBadge, statusLine } from './common';
import { rCode, rt } from './i18n';

function table(items: AssessmentSummary[], testid: string): HTMLElement {
  if (!items.length) return h('p', { class: 'muted', testid: `${testid}-empty` }, rt('list.none'));
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'table', testid },
      h('thead', null, h('tr', null, ['list.org', 'list.fy', 'list.state', 'list.set', 'list.approval', 'list.updated'].map((k) => h('th', { scope: 'col' }, rt(k as 'list.org'))))),
      h(
        'tbody',
        null,
        items.map((a) =>
          h(
            'tr',
            { 'data-id': a.id },
            h('td', null, h('a', { href: `#/risk/assessments/${a.id}`, testid: `risk-open-${a.id}` }, orgName(a)), ' ', h('code', { class: 'muted small' }, a.org)),
            h('td', null, String(a.fiscal_year)),
            h('td', null, stateBadge(a.state)),
            h('td', null, h('code', null, a.countermeasure_set)),
            h('td', null, approvalBadge(a.approval_state)),
            h('td', { class: 'small' }, a.updated_at.slice(0, 16).replace('T', ' ')),
          ),
        ),
      ),
    ),
  );
}

export function mountRiskHome(ctx: RouteContext): ScreenHandle {
  const user = currentUser();
  const roles = user?.roles ?? [];
  let fy = ctx.query.get('fiscal_year') ?? '';
  let state = ctx.query.get('state') ?? '';
  let destroyed = false;
  const listBox = h('div', { 'aria-live': 'polite' });
  const ministryBox = h('div');
  const startBox = h('div');

  const loadList = async (): Promise<void> => {
    mount(listBox, loadingView());
    try {
      const page = await riskApi.list({ fiscal_year: fy, state });
      if (!destroyed) mount(listBox, table(page.items, 'risk-list'));
    } catch (e) {
      if (!destroyed) mount(listBox, problemView(e, () => void loadList()));
    }
  };

  const loadMinistry = async (): Promise<void> => {
    try {
      const page = await riskApi.list({ state: 'at_ministry' });
      const mine = page.items.filter((a) => a.org !== user?.org);
      if (destroyed || !mine.length) return;
      mount(ministryBox, h('section', { class: 'panel', testid: 'risk-ministry' }, h('h2', null, rt('ministry.title')), table(mine, 'risk-ministry-list')));
    } catch {
      /* nothing to compile */
    }
  };

  const renderStart = async (): Promise<void> => {
    if (!user || !(roles.includes('infosec') || roles.includes('infoprotect'))) return;
    let versions: string[] = [];
    try {
      versions = (await riskApi.sets()).items.map((s) => s.version);
    } catch {
      return; /* the guideline does not cover this body */
    }
    if (destroyed || !versions.length) return;
    const fyInput = h('input', { type: 'number', min: 2014, max: 2100, value: String(currentFiscalYear()), testid: 'risk-start-fy', id: uid('fy') });
    const setSelect = h('select', { testid: 'risk-start-set' }, [...versions].reverse().map((v) => h('option', { value: v }, v)));
    const out = statusLine();
    const button = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'risk-start' }, rt('start.submit'));
    const form = h(
      'form',
      { class: 'filters', on: { submit: (ev: SubmitEvent) => {
        ev.preventDefault();
        void run(out, button, async () => {
          const a = await riskApi.create(user.org, Number(fyInput.value), setSelect.value);
          navigate(`/risk/assessments/${a.id}`);
        }, () => undefined);
      } } },
      field(rt('start.fy'), fyInput),
      field(rt('start.set'), setSelect),
      button,
    );
    mount(startBox, h('section', { class: 'panel', testid: 'risk-start-panel' }, h('h2', null, rt('start.title')), form, out));
  };

  const render = (): void => {
    const fySelect = h('input', { type: 'number', min: 2014, max: 2100, value: fy, placeholder: String(currentFiscalYear()), testid: 'risk-filter-fy' });
    const stateSelect = h('select', { testid: 'risk-filter-state' }, h('option', { value: '' }, rt('list.all_states')), STATES.map((s) => h('option', { value: s, selected: s === state }, rCode('state', s))));
    const filters = h(
      'form',
      { class: 'filters', on: { submit: (ev: SubmitEvent) => { ev.preventDefault(); fy = fySelect.value; state = stateSelect.value; void loadList(); } } },
      field(rt('list.fy'), fySelect),
      field(rt('list.state'), stateSelect),
      h('button', { type: 'submit', class: 'btn' }, rt('list.filter')),
    );
    const isNisc = roles.some((r) => r.startsWith('nisc_'));
    mount(
      ctx.main,
      h(
        'section',
        { class: 'panel risk-page', testid: 'risk-home' },
        h('h1', null, rt('title')),
        h('p', { class: 'muted' }, rt('intro')),
        h('p', { class: 'inline' }, h('a', { href: '#/risk/sets', testid: 'risk-sets-link' }, rt('nav.sets')), isNisc ? h('a', { href: '#/risk/aggregate', testid: 'risk-aggregate-link' }, rt('nav.aggregate')) : null),
      ),
      startBox,
      ministryBox,
      h('section', { class: 'panel' }, h('h2', null, rt('list.title')), filters, listBox),
    );
  };

  render();
  void loadList();
  void loadMinistry();
  void renderStart();
  return {
    relabel: () => {
      render();
      void loadList();
      void loadMinistry();
      void renderStart();
    },
    destroy: () => {
      destroyed = true;
    },
  };
}
