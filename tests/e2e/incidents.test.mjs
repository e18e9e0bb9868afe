// End-to-end scenario of the incidents UI in headless Debian Chromium: a user of an IAI
// (情報通信研究機構, nict) files a report and submits it; it waits at the supervising ministry
// (総務省, mic) until a user there forwards it; NISC confirms it as a specified major incident;
// the case page shows the stage (MajorIncidentRules 3(1)) and the basis of every step, and
// a further step moves the stage bar.
//
// env: E2E_BASE_URL (server root), E2E_LOGIN / E2E_PASSWORD (an administrator, to create the
//      three users of the scenario), E2E_OUT_DIR (screenshots), CHROMIUM
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE_URL;
const ADMIN = process.env.E2E_LOGIN || 'admin';
const ADMIN_PASSWORD = process.env.E2E_PASSWORD;
const OUT = process.env.E2E_OUT_DIR || process.cwd();
const STEP_TIMEOUT = 15_000;
const PASSWORD = `e2e-${randomBytes(9).toString('hex')}`;
const USERS = {
  iai: { login: 'nict.e2e', org: 'nict', roles: ['csirt', 'staff'] },
  ministry: { login: 'mic.e2e', org: 'mic', roles: ['csirt'] },
  nisc: { login: 'nisc.e2e', org: 'nisc', roles: ['nisc_staff'] },
};

assert.ok(BASE, 'E2E_BASE_URL must be set');
assert.ok(ADMIN_PASSWORD, 'E2E_PASSWORD must be set');

let context;
let page;
let profile;
let reportId;
const consoleErrors = [];
const tid = (id) => `[data-testid="${id}"]`;

async function api(method, path, body, token) {
  const res = await fetch(`${BASE}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  const session = await api('POST', '/session', { login: ADMIN, password: ADMIN_PASSWORD });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  for (const u of Object.values(USERS)) {
    const r = await api('POST', '/users', { ...u, name: u.login, password: PASSWORD }, session.body.token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  profile = mkdtempSync(join(process.env.E2E_TMPDIR || tmpdir(), 'cshq-e2e-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 1000 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
  });
  context.setDefaultTimeout(STEP_TIMEOUT);
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
});

after(async () => {
  if (page && process.exitCode) await page.screenshot({ path: join(OUT, 'e2e-incidents-failure.png'), fullPage: true }).catch(() => {});
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function loginAs(user) {
  await page.goto(`${BASE}/#/login`);
  if (await page.locator(tid('logout')).count()) {
    await page.locator(tid('logout')).click();
  }
  await page.locator(tid('login-form')).waitFor();
  await page.locator(tid('login-user')).fill(user.login);
  await page.locator(tid('login-password')).fill(PASSWORD);
  await page.locator(tid('login-submit')).click();
  await page.locator(tid('userbox')).waitFor();
  assert.match(await page.locator(tid('user-login')).textContent(), new RegExp(user.login.replace('.', '\\.')));
}

async function takeStep(action, fill = async () => {}) {
  await page.locator(tid(`action-${action}`)).click();
  await page.locator(tid(`form-${action}`)).waitFor();
  await fill();
  await page.locator(tid(`do-${action}`)).click();
}

async function reportState() {
  return page.locator(tid('report-state')).getAttribute('data-state');
}

test('incidents scenario: an IAI report travels through its ministry to a case', async (t) => {
  await t.test('the IAI user files a report and submits it; it waits at its ministry', async () => {
    await loginAs(USERS.iai);
    await page.goto(`${BASE}/#/reports/new`);
    await page.locator(tid('report-form')).waitFor();
    assert.equal(await page.locator(tid('new-subject')).inputValue(), 'nict');
    await page.locator(tid('new-item')).selectOption('1');
    await page.locator(tid('new-title')).fill('研究用サーバからの情報流出の疑い');
    await page.locator(tid('new-summary')).fill('外部への不審な通信を検知した。');
    await page.locator(tid('new-occurred_at')).fill('2024-05-01T10:00');
    await page.locator(tid('new-submit')).click();
    await page.locator(tid('report-page')).waitFor();
    reportId = await page.locator(tid('report-page')).getAttribute('data-id');
    assert.ok(reportId);
    assert.equal(await reportState(), 'draft');
    await takeStep('submit');
    await page.locator(`${tid('report-state')}[data-state="awaiting_ministry"]`).waitFor();
    assert.match(await page.locator(tid('report-route')).textContent(), /mic/);
    // nobody at the IAI may forward it
    assert.equal(await page.locator(tid('action-forward')).count(), 0);
  });

  await t.test('a user of the supervising ministry forwards it to NISC', async () => {
    await loginAs(USERS.ministry);
    await page.goto(`${BASE}/#/reports?view=awaiting`);
    await page.locator(tid(`report-row-${reportId}`)).waitFor();
    await page.locator(tid(`report-link-${reportId}`)).click();
    await page.locator(tid('report-page')).waitFor();
    await takeStep('forward', () => page.locator(tid('input-comment')).fill('総務省として提供する。'));
    await page.locator(`${tid('report-state')}[data-state="received"]`).waitFor();
  });

  await t.test('NISC finds it in the triage queue and confirms a specified major incident', async () => {
    await loginAs(USERS.nisc);
    await page.goto(`${BASE}/#/reports`);
    await page.locator(tid('view-triage')).waitFor();
    await page.locator(tid(`report-row-${reportId}`)).waitFor();
    await page.locator(tid(`report-link-${reportId}`)).click();
    await page.locator(tid('report-page')).waitFor();
    // without a criterion the server refuses (422) and nothing changes
    await takeStep('confirm_major', () => page.locator(tid('input-rationale')).fill('個人情報の漏えいのおそれ'));
    await page.locator(`${tid('form-confirm_major')} ${tid('problem')}`).waitFor();
    assert.equal(await reportState(), 'received');
    await page.locator(tid('check-criteria-2')).check();
    await page.locator(tid('do-confirm_major')).click();
    await page.locator(`${tid('report-state')}[data-state="confirmed_major"]`).waitFor();
  });

  await t.test('the case page shows the stage and the basis of each step', async () => {
    await page.locator(tid('case-link')).click();
    await page.locator(tid('case-page')).waitFor();
    const bar = page.locator(tid('stage-bar'));
    assert.equal(await bar.getAttribute('data-stage'), '1');
    assert.equal(await page.locator(tid('stage-current')).getAttribute('data-stage'), '1');
    assert.equal(await bar.locator('li').count(), 4);
    const entries = page.locator(tid('timeline-entry'));
    assert.ok((await entries.count()) >= 1);
    for (let i = 0; i < (await entries.count()); i++) {
      assert.ok((await entries.nth(i).locator('.citation').count()) >= 1, `timeline entry ${i} shows its basis`);
    }
    const confirm = page.locator(`${tid('timeline-entry')}[data-action="confirm"]`);
    assert.equal(await confirm.locator('.citation[data-doc="MajorIncidentRules"][data-version="2016"]').count() >= 1, true);
    assert.match(await confirm.locator(tid('basis')).textContent(), /当該行政機関等の長/);
    // Art. 4: the supervising ministry's head and the IAI's own head are notified
    assert.match(await confirm.locator(tid('notices-sent')).textContent(), /mic.*nict|nict.*mic/);
    await page.locator(tid('case-notices')).waitFor();
  });

  await t.test('a further step moves the stage bar and adds a step with its basis', async () => {
    await takeStep('start_supplementary_investigation', () => page.locator(tid('input-performer')).selectOption('nisc'));
    await page.locator(`${tid('stage-bar')}[data-stage="2"]`).waitFor();
    assert.equal(await page.locator(tid('stage-current')).getAttribute('data-stage'), '2');
    const step = page.locator(`${tid('timeline-entry')}[data-action="start_supplementary_investigation"]`);
    assert.ok((await step.locator('.citation').count()) >= 1);
    await page.screenshot({ path: join(OUT, 'e2e-incidents-case.png'), fullPage: true });
  });

  await t.test('no script or CSP errors', () => {
    const relevant = consoleErrors.filter((e) => !/status of 4\d\d/.test(e));
    assert.deepEqual(relevant, []);
  });
});
