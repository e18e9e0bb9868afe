// End-to-end scenario of the CYMAT UI in headless Debian Chromium: a ministry's CISO requests
// support (CymatRules 10(1), CISO channel); the head orders the dispatch (11(1)); a member is
// registered on the roster and assigned; the ministry reports damage that counts as its GSOC
// report (13(2)); the end of support is refused until the CISO's opinion is heard (14), then
// ordered; a dispatch to an IAI without a request shows the consents of 11(4) it still needs;
// and the ministry records a consent of Rule 15.
//
// env: E2E_BASE_URL (server root), E2E_LOGIN / E2E_PASSWORD (an administrator, to create the
//      users of the scenario), E2E_OUT_DIR (screenshots), CHROMIUM
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
  head: { login: 'head.e2e', org: 'nisc', roles: ['nisc_director'] },
  member: { login: 'member.e2e', org: 'nisc', roles: ['cymat_member'] },
  ciso: { login: 'mic.ciso.e2e', org: 'mic', roles: ['ciso'] },
  csirt: { login: 'mic.csirt.e2e', org: 'mic', roles: ['csirt'] },
};

assert.ok(BASE, 'E2E_BASE_URL must be set');
assert.ok(ADMIN_PASSWORD, 'E2E_PASSWORD must be set');

let context;
let page;
let profile;
let dispatchId;
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
  if (page && process.exitCode) await page.screenshot({ path: join(OUT, 'e2e-cymat-failure.png'), fullPage: true }).catch(() => {});
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
}

const state = (scope) => page.locator(`${tid(scope)} h1 ${tid('state')}`).getAttribute('data-state');

test('CYMAT scenario: request, dispatch, members, damage report, end after the CISO is heard', async (t) => {
  await t.test('the ministry CISO requests support through the CISO channel', async () => {
    await loginAs(USERS.ciso);
    await page.goto(`${BASE}/#/cymat/requests/new`);
    await page.locator(tid('request-form')).waitFor();
    assert.equal(await page.locator(tid('in-subject')).inputValue(), 'mic');
    await page.locator(tid('in-channel')).selectOption('ciso');
    await page.locator(tid('in-summary')).fill('省内ネットワークで不審な通信を検知');
    await page.locator(tid('request-form-submit')).click();
    await page.locator(tid('request-page')).waitFor();
    assert.equal(await state('request-page'), 'requested');
    assert.match(await page.locator(tid('request-page')).textContent(), /10\(1\)/);
  });

  await t.test('the head orders the dispatch (11(1))', async () => {
    const url = page.url();
    await loginAs(USERS.head);
    await page.goto(url);
    await page.locator(tid('act-dispatch-submit')).click();
    await page.locator(tid('dispatch-link')).waitFor();
    await page.locator(tid('dispatch-link')).click();
    await page.locator(tid('dispatch-page')).waitFor();
    assert.equal(await state('dispatch-page'), 'ordered');
    dispatchId = page.url().match(/dispatches\/(\d+)/)[1];
  });

  await t.test('a member registered on the roster is assigned', async () => {
    await page.goto(`${BASE}/#/cymat/roster`);
    await page.locator(tid('roster-form')).waitFor();
    await page.locator(`${tid('roster-form')} [name=org]`).fill('nisc');
    await page.locator(`${tid('roster-form')} [name=name]`).fill('要員 一郎');
    await page.locator(`${tid('roster-form')} [name=role]`).selectOption('member');
    await page.locator(`${tid('roster-form')} [name=user]`).fill(USERS.member.login);
    await page.locator(tid('roster-form-submit')).click();
    await page.getByText('要員 一郎').first().waitFor();
    // a ministry without candidates is flagged
    assert.ok(Number(await page.locator(tid('roster-org-mof')).getAttribute('data-warnings')) > 0);
    await page.goto(`${BASE}/#/cymat/dispatches/${dispatchId}`);
    await page.locator(tid('act-assign')).waitFor();
    const option = page.locator(`${tid('in-members')} option`, { hasText: '要員 一郎' });
    await page.locator(tid('in-members')).selectOption(await option.getAttribute('value'));
    await page.locator(tid('act-assign-submit')).click();
    await page.locator(`${tid('members')} >> text=要員 一郎`).waitFor();
  });

  await t.test('the ministry reports damage that counts as its GSOC report', async () => {
    await loginAs(USERS.csirt);
    await page.goto(`${BASE}/#/cymat/dispatches/${dispatchId}`);
    await page.locator(tid('act-damage_report')).waitFor();
    await page.locator(`${tid('act-damage_report')} ${tid('in-text')}`).fill('端末2台が感染');
    await page.locator(`${tid('act-damage_report')} ${tid('in-confidentiality')}`).selectOption('3');
    await page.locator(tid('in-counts_as_gsoc_report')).check();
    await page.locator(tid('act-damage_report-submit')).click();
    await page.locator(`${tid('damage-reports')} >> text=端末2台が感染`).waitFor();
    assert.equal(await page.locator(tid('gsoc-ref')).count(), 1);
  });

  await t.test('the end of support waits for the CISO opinion (14)', async () => {
    await loginAs(USERS.head);
    await page.goto(`${BASE}/#/cymat/dispatches/${dispatchId}`);
    await page.locator(tid('act-terminate')).click();
    const problem = page.locator(`${tid('end-of-support')} ${tid('problem')}`);
    await problem.waitFor();
    assert.match(await problem.textContent(), /14/);
    await loginAs(USERS.ciso);
    await page.goto(`${BASE}/#/cymat/dispatches/${dispatchId}`);
    await page.locator(`${tid('act-ciso_opinion')} ${tid('in-opinion')}`).fill('復旧を確認した。終了に異存はない。');
    await page.locator(tid('act-ciso_opinion-submit')).click();
    await page.getByText('復旧を確認した。').first().waitFor();
    await loginAs(USERS.head);
    await page.goto(`${BASE}/#/cymat/dispatches/${dispatchId}`);
    await page.locator(tid('act-terminate')).click();
    await page.locator(`${tid('dispatch-page')} h1 ${tid('state')}[data-state="terminated"]`).waitFor();
    await page.screenshot({ path: join(OUT, 'e2e-cymat-dispatch.png'), fullPage: true });
  });

  await t.test('a dispatch to an IAI without a request needs the consents of 11(4)', async () => {
    await page.goto(`${BASE}/#/cymat`);
    await page.locator(tid('dispatch-form')).waitFor();
    await page.locator(`${tid('dispatch-form')} ${tid('in-subject')}`).fill('nict');
    await page.locator(`${tid('dispatch-form')} ${tid('in-summary')}`).fill('機構の事象');
    await page.locator(tid('dispatch-form-submit')).click();
    await page.locator(tid('dispatch-page')).waitFor();
    assert.equal(await state('dispatch-page'), 'awaiting_consent');
    await page.locator(tid('act-order')).click();
    const problem = page.locator(`${tid('consents')} ${tid('problem')}`);
    await problem.waitFor();
    assert.match(await problem.textContent(), /ministry/);
    assert.equal(await page.locator(`${tid('consents')} [data-party="body"]`).count(), 1);
  });

  await t.test('the ministry records a consent of Rule 15', async () => {
    await loginAs(USERS.ciso);
    await page.goto(`${BASE}/#/cymat/consents`);
    await page.locator(tid('consent-form')).waitFor();
    await page.locator(tid('in-purpose')).selectOption('other_support');
    await page.locator(`${tid('consent-form')} ${tid('in-note')}`).fill('類似事象の支援に限り同意');
    await page.locator(tid('consent-form-submit')).click();
    await page.getByText('類似事象の支援に限り同意').first().waitFor();
    await page.screenshot({ path: join(OUT, 'e2e-cymat-consents.png'), fullPage: true });
  });

  await t.test('no script or CSP error in the console', () => {
    const unexpected = consoleErrors.filter((e) => !/status of (401|409)/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
