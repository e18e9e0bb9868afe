// End-to-end scenario of the GSOC UI in headless Debian Chromium (run by tests/e2e/run.sh):
// NISC registers a sensor for jps (refused for nhk, with the basis) and sees the token once;
// the sensor posts alerts that also reach nict's sensor; the overview draws the chart and
// lists the campaign; NISC investigates and notifies from the detection page; jps's CSIRT
// sees only its own detection and closes it; coverage shows jps watched.
//
// env: E2E_BASE_URL, E2E_LOGIN / E2E_PASSWORD (an administrator), E2E_OUT_DIR, CHROMIUM
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
// playwright-core is installed once, for every browser test, under tests/e2e
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';

const BASE = process.env.E2E_BASE_URL;
const ADMIN = process.env.E2E_LOGIN || 'admin';
const ADMIN_PASSWORD = process.env.E2E_PASSWORD;
const OUT = process.env.E2E_OUT_DIR || process.cwd();
const PASSWORD = `e2e-${randomBytes(9).toString('hex')}`;
const USERS = {
  nisc: { login: 'gsoc.analyst', org: 'nisc', roles: ['nisc_staff'] },
  jps: { login: 'jps.csirt.e2e', org: 'jps', roles: ['csirt'] },
};

assert.ok(BASE, 'E2E_BASE_URL must be set');
assert.ok(ADMIN_PASSWORD, 'E2E_PASSWORD must be set');

let context;
let page;
let profile;
let nictToken;
const consoleErrors = [];
const tid = (id) => `[data-testid="${id}"]`;

async function api(method, path, body, token, raw) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: raw ?? (body ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

function alert(seq, value, secondsAgo) {
  const ts = new Date(Date.now() - secondsAgo * 1000).toISOString().replace('Z', '+00:00');
  return {
    timestamp: ts, event_type: 'alert', src_ip: '10.1.0.9', src_port: 40000 + seq, dest_ip: '203.0.113.10', dest_port: 443, proto: 'TCP',
    alert: { signature_id: 1, severity: 1 },
    cshq: { indicator_type: 'domain', indicator_value: value, matched_value: `www.${value}`, sensor: 'e2e', seq },
  };
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const session = await api('POST', '/session', { login: ADMIN, password: ADMIN_PASSWORD });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  for (const u of Object.values(USERS)) {
    const r = await api('POST', '/users', { ...u, name: u.login, password: PASSWORD }, session.body.token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const nict = await api('POST', '/sensors', { org: 'nict', name: 'nict-e2e' }, session.body.token);
  assert.equal(nict.status, 201, JSON.stringify(nict.body));
  nictToken = nict.body.token;
  profile = mkdtempSync(join(process.env.E2E_TMPDIR || tmpdir(), 'cshq-e2e-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  context.setDefaultTimeout(15_000);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
});

after(async () => {
  if (page && process.exitCode) await page.screenshot({ path: join(OUT, 'e2e-gsoc-failure.png'), fullPage: true }).catch(() => {});
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function loginAs(user) {
  await page.goto(`${BASE}/#/login`);
  if (await page.locator(tid('logout')).count()) await page.locator(tid('logout')).click();
  await page.locator(tid('login-form')).waitFor();
  await page.locator(tid('login-user')).fill(user.login);
  await page.locator(tid('login-password')).fill(PASSWORD);
  await page.locator(tid('login-submit')).click();
  await page.locator(tid('userbox')).waitFor();
}

test('GSOC scenario: sensor, alerts, campaign, triage, a body\'s own view, coverage', async (t) => {
  let jpsToken;
  let detectionUrl;

  await t.test('NISC registers a sensor: refused for nhk with the basis, the token shown once for jps', async () => {
    await loginAs(USERS.nisc);
    await page.goto(`${BASE}/#/gsoc/sensors`);
    const form = tid('register-sensor');
    await page.locator(form).waitFor();
    await page.locator(`${form} [name=org]`).fill('nhk');
    await page.locator(`${form} [name=name]`).fill('nhk-gw');
    await page.locator(tid('register-sensor-submit')).click();
    await page.locator(`${form} ${tid('problem')}`).waitFor();
    assert.match(await page.locator(`${form} ${tid('problem')}`).textContent(), /13/);
    await page.locator(`${form} [name=org]`).fill('jps');
    await page.locator(`${form} [name=name]`).fill('jps-gw-e2e');
    await page.locator(tid('register-sensor-submit')).click();
    await page.locator(tid('new-token')).waitFor();
    jpsToken = (await page.locator(`${tid('new-token')} code`).textContent()).trim();
    assert.match(jpsToken, /^cshqs_[0-9a-f]{64}$/);
    await page.locator(`${tid('sensor-list')} >> text=jps-gw-e2e`).waitFor();
  });

  await t.test('the sensors post alerts; the overview draws them and lists the campaign', async () => {
    const r1 = await api('POST', '/alerts', null, jpsToken, JSON.stringify([alert(1, 'campaign.example', 3600), alert(2, 'campaign.example', 1800), alert(3, 'jps-only.example', 600)]));
    assert.equal(r1.status, 200, JSON.stringify(r1.body));
    assert.equal(r1.body.accepted, 3);
    const r2 = await api('POST', '/alerts', null, nictToken, JSON.stringify([alert(1, 'campaign.example', 900)]));
    assert.equal(r2.status, 200, JSON.stringify(r2.body));
    await page.goto(`${BASE}/#/gsoc`);
    await page.locator(tid('gsoc-chart')).waitFor();
    assert.ok((await page.locator(`${tid('gsoc-chart')} rect.gsoc-col`).count()) >= 30);
    await page.locator(`${tid('by-org')} ${tid('org-jps')}`).waitFor();
    const campaign = page.locator(`${tid('campaigns')} ${tid('campaign')}`, { hasText: 'campaign.example' });
    await campaign.waitFor();
    assert.match(await campaign.textContent(), /jps/);
    assert.match(await campaign.textContent(), /nict/);
    await page.screenshot({ path: join(OUT, 'gsoc-overview.png'), fullPage: true });
  });

  await t.test('NISC investigates and notifies the body from the detection page', async () => {
    await page.goto(`${BASE}/#/gsoc/detections?org=jps&indicator=campaign.example`);
    const row = page.locator(`${tid('detection-list')} tbody tr`).first();
    await row.waitFor();
    await row.locator('a').first().click();
    await page.locator(tid('evidence')).waitFor();
    detectionUrl = page.url();
    assert.equal(await page.locator(tid('alerts')).textContent(), '2');
    await page.locator(tid('act-investigate-submit')).click();
    await page.locator(`${tid('state')}[data-state="investigating"]`).waitFor();
    await page.locator(`${tid('act-notify')} [name=message]`).fill('ホスト 10.1.0.9 を確認してください');
    await page.locator(tid('act-notify-submit')).click();
    await page.locator(`${tid('state')}[data-state="notified"]`).waitFor();
    assert.match(await page.locator(tid('timeline')).textContent(), /10\.1\.0\.9/);
    await page.screenshot({ path: join(OUT, 'gsoc-detection.png'), fullPage: true });
  });

  await t.test('jps sees only its own detections, no campaigns, and closes the notified one', async () => {
    await loginAs(USERS.jps);
    await page.goto(`${BASE}/#/gsoc`);
    await page.locator(tid('gsoc-chart')).waitFor();
    assert.equal(await page.locator(tid('campaigns')).count(), 0);
    await page.goto(`${BASE}/#/gsoc/detections`);
    await page.locator(tid('detection-list')).waitFor();
    const orgs = await page.locator(`${tid('detection-list')} tbody td:nth-child(2)`).allTextContents();
    assert.ok(orgs.length >= 2);
    assert.ok(orgs.every((o) => o.trim() === 'jps'), orgs.join(','));
    await page.goto(detectionUrl);
    await page.locator(tid('act-close')).waitFor();
    await page.locator(`${tid('act-close')} [name=resolution]`).selectOption('resolved');
    await page.locator(tid('act-close-submit')).click();
    await page.locator(`${tid('state')}[data-state="closed"]`).waitFor();
  });

  await t.test('coverage shows jps watched by a live sensor', async () => {
    await page.goto(`${BASE}/#/gsoc/coverage`);
    await page.locator(tid('coverage-jps')).waitFor();
    assert.equal(await page.locator(tid('coverage-jps')).getAttribute('data-status'), 'live');
    assert.equal(await page.locator(`${tid('coverage-list')} tbody tr`).count(), 1);
  });

  // refused requests (the session probe before login, the nhk registration) are logged by
  // the browser as failed loads; anything else is a fault of the pages
  assert.deepEqual(consoleErrors.filter((m) => !m.startsWith('Failed to load resource')), []);
});
