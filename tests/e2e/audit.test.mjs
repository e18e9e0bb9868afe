// End-to-end scenario of the audit UI in headless Debian Chromium: NISC plans an engagement
// at 日本年金機構 (jps) on the board, records an important finding (refused without an
// improvement proposal, with the basis shown), publishes and notifies the results; they wait
// at 厚生労働省 (mhlw), which forwards them; only then does jps see the finding and report
// back an improvement plan, which again goes through mhlw. The summary shows counts only.
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
  nisc: { login: 'nisc.audit', org: 'nisc', roles: ['nisc_staff'] },
  ministry: { login: 'mhlw.audit', org: 'mhlw', roles: ['csirt'] },
  body: { login: 'jps.audit', org: 'jps', roles: ['ciso'] },
};
const FINDING = '退職者のアカウントが削除されていない';

assert.ok(BASE, 'E2E_BASE_URL must be set');
assert.ok(ADMIN_PASSWORD, 'E2E_PASSWORD must be set');

let context;
let page;
let profile;
let engagementUrl;
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
  if (page && process.exitCode) await page.screenshot({ path: join(OUT, 'e2e-audit-failure.png'), fullPage: true }).catch(() => {});
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

async function engagementState() {
  return page.locator(`${tid('audit-engagement')} h1 ${tid('state')}`).getAttribute('data-state');
}

test('audit scenario: results of a designated corporation travel through its ministry', async (t) => {
  await t.test('NISC plans an engagement on the board', async () => {
    await loginAs(USERS.nisc);
    await page.goto(`${BASE}/#/audits?fiscal_year=2017`);
    await page.locator(tid('audit-board')).waitFor();
    const form = page.locator(tid('engagement-form'));
    await form.locator(tid('in-org')).fill('jps');
    await form.locator(tid('in-type')).selectOption('management');
    await form.locator(tid('in-scope')).fill('年金記録管理システムと職員端末');
    await form.locator(tid('in-method')).fill('関係者への質問、資料の閲覧、情報システムの点検');
    await page.locator(tid('engagement-form-submit')).click();
    await page.locator(tid('audit-engagement')).waitFor();
    engagementUrl = page.url();
    assert.equal(await engagementState(), 'planned');
    assert.match(await page.locator(tid('route')).textContent(), /mhlw/);
  });

  await t.test('an important finding needs an improvement proposal (the refusal cites 5(3))', async () => {
    await page.locator(`${tid('finding-add')} summary`).click();
    const form = page.locator(tid('finding-form'));
    await form.locator(tid('in-title')).fill(FINDING);
    await form.locator(tid('in-severity')).selectOption('high');
    await form.locator(tid('in-important')).check();
    await form.locator(tid('in-evidence')).fill('アカウント一覧と人事記録を突合した。');
    await page.locator(tid('finding-form-submit')).click();
    await form.locator(tid('problem')).waitFor();
    assert.ok((await form.locator('.citation[data-doc="AuditPolicy"]').count()) >= 1);
    await form.locator(tid('in-proposal')).fill('四半期ごとに棚卸しを行う。');
    await page.locator(tid('finding-form-submit')).click();
    await page.locator(`${tid('findings')} article[data-state="draft"]`).waitFor();
  });

  await t.test('NISC publishes and notifies; the results wait at the ministry', async () => {
    await page.locator(tid('engagement-publish')).click();
    await page.locator(`${tid('audit-engagement')} h1 ${tid('state')}[data-state="published"]`).waitFor();
    await page.locator(tid('engagement-notify')).click();
    await page.locator(`${tid('audit-engagement')} h1 ${tid('state')}[data-state="at_ministry"]`).waitFor();
    assert.match(await page.locator(tid('notices')).textContent(), /mhlw/);
    await page.screenshot({ path: join(OUT, 'e2e-audit-engagement-nisc.png'), fullPage: true });
  });

  await t.test('the body does not see the results yet', async () => {
    await loginAs(USERS.body);
    await page.goto(engagementUrl);
    await page.locator(tid('audit-engagement')).waitFor();
    await page.locator(tid('results-held')).waitFor();
    assert.equal(await page.locator(`${tid('findings')} article`).count(), 0);
  });

  await t.test('the supervising ministry forwards them', async () => {
    await loginAs(USERS.ministry);
    await page.goto(engagementUrl);
    await page.locator(tid('audit-engagement')).waitFor();
    assert.equal(await page.locator(`${tid('findings')} article`).count(), 1);
    await page.locator(tid('engagement-forward')).click();
    await page.locator(`${tid('audit-engagement')} h1 ${tid('state')}[data-state="notified"]`).waitFor();
  });

  await t.test('the body sees the finding and reports back a plan through the ministry', async () => {
    await loginAs(USERS.body);
    await page.goto(engagementUrl);
    const finding = page.locator(`${tid('findings')} article[data-state="notified"]`);
    await finding.waitFor();
    assert.match(await finding.textContent(), new RegExp(FINDING));
    await finding.locator('details summary').filter({ hasText: /報告/ }).click();
    const form = finding.locator('form');
    await form.locator(tid('in-kind')).selectOption('plan');
    await form.locator(tid('in-text')).fill('次の四半期から棚卸しを行う。');
    await form.locator('button[type="submit"]').click();
    await page.locator(`${tid('findings')} article[data-state="report_at_ministry"]`).waitFor();
    await page.screenshot({ path: join(OUT, 'e2e-audit-engagement-body.png'), fullPage: true });
  });

  await t.test('the summary shows counts and no body name or finding text', async () => {
    await loginAs(USERS.nisc);
    await page.goto(`${BASE}/#/audits/summary?fiscal_year=2017`);
    await page.locator(tid('summary')).waitFor();
    assert.match(await page.locator(`${tid('sum-engagements')} .audit-stat-value`).textContent(), /^1$/);
    const text = await page.locator(tid('summary')).textContent();
    assert.doesNotMatch(text, /日本年金機構|jps/);
    assert.doesNotMatch(text, new RegExp(FINDING));
    await page.screenshot({ path: join(OUT, 'e2e-audit-summary.png'), fullPage: true });
  });

  await t.test('no script or CSP errors', () => {
    const relevant = consoleErrors.filter((e) => !/status of 4\d\d/.test(e));
    assert.deepEqual(relevant, []);
  });
});
