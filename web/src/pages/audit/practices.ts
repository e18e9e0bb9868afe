// Good practices found in audits and shared with every body (AuditPolicy 3(1)); those the
// body asked to anonymise are shown without it.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { lang } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { audits, type PublishedPractice } from './client';
import { fiscalYearOf, fySwitch, subnav, when } from './common';
import { m } from './i18n';

function item(p: PublishedPractice): HTMLElement {
  const body = p.anonymised ? m('gp.anonymous') : (lang() === 'en' ? p.org_name_en : p.org_name_ja) ?? '';
  return h('li', { class: 'audit-practice', testid: `published-practice-${p.id}` }, h('h3', null, p.title), h('div', { class: 'small muted' }, body, ' · ', when(p.published_at)), h('div', { class: 'audit-pre' }, p.description));
}

export function mountAuditPractices(ctx: RouteContext): ScreenHandle {
  const fy = fiscalYearOf(ctx.query);
  let items: PublishedPractice[] | null = null;
  let error: unknown = null;
  const render = () =>
    mount(
      ctx.main,
      h(
        'div',
        { class: 'audit-page', testid: 'audit-practices-page' },
        h('h1', null, m('gp.title')),
        subnav('practices', fy),
        fySwitch('/audits/practices', fy),
        error ? problemView(error, load) : items ? (items.length ? h('ul', { class: 'plain' }, items.map(item)) : h('p', { class: 'muted' }, m('none'))) : loadingView(),
      ),
    );
  function load(): void {
    audits.publishedPractices(fy).then(
      (l) => {
        items = l.items;
        error = null;
        render();
      },
      (e) => {
        error = e;
        render();
      },
    );
  }
  render();
  load();
  return { relabel: render };
}
