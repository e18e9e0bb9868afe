// One detection (GET /detections/{id}): the indicator (withheld where TLP says so), counts
// and times, the alerts as evidence, the sensors, the timeline with basis, and the triage
// steps the caller may take (POST .../actions/<action>).
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t, tCode } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { gsoc, type Detection } from './client';
import { actionForm, emptyRow, field, indicatorText, select, stateBadge, subnav, textArea, textInput, timelineView, tlpBadge, when } from './common';

const RESOLUTIONS = ['resolved', 'benign', 'false_positive'];

export function mountGsocDetection(ctx: RouteContext): ScreenHandle {
  const id = Number(ctx.params[0]);
  let d: Detection | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    try {
      const r = await gsoc.detection(id);
      if (destroyed) return;
      d = r;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const done = (r: unknown): void => {
    d = r as Detection;
    render();
  };

  const actionPanel = (det: Detection): HTMLElement | null => {
    const allowed = det.allowed_actions ?? [];
    if (!allowed.length) return null;
    const forms = allowed.map((action) => {
      if (action === 'close') {
        const res = select('resolution', RESOLUTIONS.map((r): [string, string] => [r, tCode('gsoc.resolution', r)]));
        const comment = textArea('comment', { maxlength: 4000 });
        return actionForm({ testid: 'act-close', title: tCode('gsoc.action', 'close'), fields: [field(t('gsoc.field.resolution'), res), field(t('gsoc.field.comment'), comment)], submit: tCode('gsoc.action', 'close'), run: () => gsoc.act(det.id, 'close', { resolution: res.value, ...(comment.value ? { comment: comment.value } : {}) }), done });
      }
      if (action === 'notify') {
        const msg = textArea('message', { maxlength: 4000 });
        return actionForm({ testid: 'act-notify', title: tCode('gsoc.action', 'notify'), fields: [h('p', { class: 'muted small' }, t('gsoc.notify_hint', { org: det.org })), field(t('gsoc.field.message'), msg)], submit: tCode('gsoc.action', 'notify'), run: () => gsoc.act(det.id, 'notify', msg.value ? { message: msg.value } : {}), done });
      }
      if (action === 'escalate') {
        const title = textInput('title', { maxlength: 300 });
        const comment = textArea('comment', { maxlength: 4000 });
        return actionForm({ testid: 'act-escalate', title: tCode('gsoc.action', 'escalate'), fields: [h('p', { class: 'muted small' }, t('gsoc.escalate_hint')), field(t('gsoc.field.title'), title), field(t('gsoc.field.comment'), comment)], submit: tCode('gsoc.action', 'escalate'), run: () => gsoc.act(det.id, 'escalate', { ...(title.value ? { title: title.value } : {}), ...(comment.value ? { comment: comment.value } : {}) }), done });
      }
      const comment = textArea('comment', { maxlength: 4000 });
      return actionForm({ testid: `act-${action}`, title: tCode('gsoc.action', action), fields: [field(t('gsoc.field.comment'), comment)], submit: tCode('gsoc.action', action), run: () => gsoc.act(det.id, action, comment.value ? { comment: comment.value } : {}), done });
    });
    return h('section', { class: 'panel', testid: 'actions' }, h('h2', null, t('gsoc.actions')), h('div', { class: 'gsoc-actions' }, forms));
  };

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('detections'), problemView(error, () => void load()));
      return;
    }
    if (!d) {
      mount(ctx.main, subnav('detections'), loadingView());
      return;
    }
    const det = d;
    const facts = h(
      'dl',
      { class: 'gsoc-facts' },
      h('dt', null, t('gsoc.col.org')), h('dd', null, h('a', { href: `#/orgs/${encodeURIComponent(det.org)}` }, h('code', null, det.org))),
      h('dt', null, t('gsoc.col.indicator')), h('dd', null, indicatorText(det.indicator.type, det.indicator.value, det.indicator.withheld), ' ', tlpBadge(det.indicator.tlp), ' ', h('span', { class: 'muted small' }, tCode('gsoc.severity', det.indicator.severity))),
      h('dt', null, t('gsoc.col.day')), h('dd', null, det.day),
      h('dt', null, t('gsoc.col.first_seen')), h('dd', null, when(det.first_seen)),
      h('dt', null, t('gsoc.col.last_seen')), h('dd', null, when(det.last_seen)),
      h('dt', null, t('gsoc.alerts')), h('dd', { testid: 'alerts' }, String(det.alerts)),
      h('dt', null, t('gsoc.col.state')), h('dd', null, stateBadge(det.state), det.resolution ? h('span', { class: 'muted' }, ` (${tCode('gsoc.resolution', det.resolution)})`) : null),
      det.report ? [h('dt', null, t('gsoc.report')), h('dd', null, h('a', { href: `#/reports/${det.report}`, testid: 'report-link' }, t('gsoc.report_no', { id: det.report })))] : null,
    );
    const evidence = h(
      'table',
      { class: 'table', testid: 'evidence' },
      h('thead', null, h('tr', null, [t('gsoc.col.at'), t('gsoc.col.matched'), t('gsoc.col.src'), t('gsoc.col.dest'), t('gsoc.col.proto'), t('gsoc.col.sensor')].map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        null,
        det.evidence && det.evidence.length
          ? det.evidence.map((e) =>
              h(
                'tr',
                null,
                h('td', null, when(e.at)),
                h('td', null, e.matched_value === null ? h('span', { class: 'muted' }, t('gsoc.withheld')) : h('code', { class: 'gsoc-value' }, e.matched_value)),
                h('td', null, e.src_ip ? h('code', null, e.src_port !== null ? `${e.src_ip}:${e.src_port}` : e.src_ip) : '—'),
                h('td', null, e.dest_ip ? h('code', null, e.dest_port !== null ? `${e.dest_ip}:${e.dest_port}` : e.dest_ip) : '—'),
                h('td', null, [e.proto, e.app_proto].filter(Boolean).join(' / ') || '—'),
                h('td', null, `#${e.sensor}`),
              ),
            )
          : emptyRow(6, t('gsoc.none')),
      ),
    );
    const sensors = h('ul', { class: 'plain' }, (det.sensors ?? []).map((s) => h('li', null, `#${s.id} ${s.name}: `, t('gsoc.alerts_n', { n: s.alerts }))));
    mount(
      ctx.main,
      subnav('detections'),
      h('section', { class: 'panel' }, h('h1', null, t('gsoc.detection_no', { id: det.id })), facts),
      actionPanel(det),
      h('section', { class: 'panel' }, h('h2', null, t('gsoc.evidence')), h('p', { class: 'muted small' }, t('gsoc.evidence_intro')), h('div', { class: 'table-scroll' }, evidence), h('h3', null, t('gsoc.sensors')), sensors),
      h('section', { class: 'panel' }, h('h2', null, t('gsoc.timeline')), timelineView(det.timeline)),
    );
  };

  render();
  void load();
  return {
    relabel: render,
    destroy() {
      destroyed = true;
    },
  };
}
