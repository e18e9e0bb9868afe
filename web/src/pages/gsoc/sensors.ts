// Sensor health (GET /sensors): last seen, whether live, alerts, kernel drops and the spool
// backlog from the sensors' stats events. NISC and the administrators register sensors
// (the token is shown once, here) and revoke them.
import { loadingView, problemView } from '../../components/problem';
import { h, mount } from '../../dom';
import { t } from '../../i18n';
import type { RouteContext, ScreenHandle } from '../../router';
import { gsoc, type Sensor } from './client';
import { actionForm, canManageSensors, emptyRow, field, subnav, textInput, when } from './common';

function dropRate(s: Sensor): string {
  const p = s.health.kernel_packets;
  const d = s.health.kernel_drops;
  if (d === null) return '—';
  if (!p) return String(d);
  return `${d} (${((100 * d) / (p + d)).toFixed(2)}%)`;
}

function backlog(s: Sensor): string {
  const b = s.health.spool_batches;
  if (b === null) return '—';
  const bytes = s.health.spool_bytes ?? 0;
  return `${b} / ${bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`}`;
}

export function mountGsocSensors(ctx: RouteContext): ScreenHandle {
  let items: Sensor[] | null = null;
  let created: Sensor | null = null;
  let error: unknown = null;
  let destroyed = false;

  const load = async (): Promise<void> => {
    try {
      const r = await gsoc.sensors();
      if (destroyed) return;
      items = r.items;
      error = null;
    } catch (e) {
      if (destroyed) return;
      error = e;
    }
    render();
  };

  const liveBadge = (s: Sensor): HTMLElement =>
    s.revoked ? h('span', { class: 'gsoc-live gsoc-live-revoked' }, t('gsoc.revoked')) : h('span', { class: ['gsoc-live', s.live ? 'gsoc-live-yes' : 'gsoc-live-no'], testid: 'live' }, s.live ? t('gsoc.live') : t('gsoc.not_live'));

  const render = (): void => {
    if (error) {
      mount(ctx.main, subnav('sensors'), problemView(error, () => void load()));
      return;
    }
    if (!items) {
      mount(ctx.main, subnav('sensors'), loadingView());
      return;
    }
    const manage = canManageSensors();
    const table = h(
      'table',
      { class: 'table', testid: 'sensor-list' },
      h('thead', null, h('tr', null, [t('gsoc.col.id'), t('gsoc.col.org'), t('gsoc.col.name'), t('gsoc.col.status'), t('gsoc.col.last_seen'), t('gsoc.alerts'), t('gsoc.col.drops'), t('gsoc.col.backlog'), t('gsoc.col.feed'), manage ? '' : null].filter((c) => c !== null).map((c) => h('th', { scope: 'col' }, c as string)))),
      h(
        'tbody',
        null,
        items.length
          ? items.map((s) =>
              h(
                'tr',
                { testid: `sensor-${s.id}` },
                h('td', null, `#${s.id}`),
                h('td', null, h('code', null, s.org)),
                h('td', null, s.name),
                h('td', null, liveBadge(s)),
                h('td', null, when(s.last_seen)),
                h('td', null, String(s.alerts)),
                h('td', null, dropRate(s)),
                h('td', null, backlog(s)),
                h('td', null, s.health.feed_version === null ? '—' : String(s.health.feed_version)),
                manage
                  ? h('td', null, s.revoked ? null : h('button', { type: 'button', class: 'btn btn-small', testid: `revoke-${s.id}`, on: { click: () => { if (window.confirm(t('gsoc.revoke_confirm', { name: s.name }))) void gsoc.revokeSensor(s.id).then(() => load(), (e) => { error = e; render(); }); } } }, t('gsoc.revoke')))
                  : null,
              ),
            )
          : emptyRow(manage ? 10 : 9, t('gsoc.no_sensors')),
      ),
    );
    let register: HTMLElement | null = null;
    if (manage) {
      const org = textInput('org', { required: true, maxlength: 32, placeholder: 'jps' });
      const name = textInput('name', { required: true, maxlength: 100 });
      register = h(
        'section',
        { class: 'panel' },
        h('h2', null, t('gsoc.register_title')),
        h('p', { class: 'muted small' }, t('gsoc.register_intro')),
        created
          ? h('div', { class: 'gsoc-token', role: 'status', testid: 'new-token' }, h('p', null, t('gsoc.token_once', { name: created.name, org: created.org })), h('code', { class: 'gsoc-token-value' }, created.token ?? ''))
          : null,
        actionForm({
          testid: 'register-sensor',
          fields: [field(t('gsoc.col.org'), org), field(t('gsoc.col.name'), name)],
          submit: t('gsoc.register'),
          run: () => gsoc.registerSensor(org.value.trim(), name.value.trim()),
          done: (r) => {
            created = r as Sensor;
            void load();
          },
        }),
      );
    }
    mount(ctx.main, subnav('sensors'), h('section', { class: 'panel' }, h('h1', null, t('gsoc.sensors_title')), h('p', { class: 'muted small' }, t('gsoc.sensors_intro')), h('div', { class: 'table-scroll' }, table)), register);
  };

  render();
  void load();
  return {
    relabel: render,
    destroy() {
      destroyed = true;
      created = null;
    },
  };
}
