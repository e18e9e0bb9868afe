// End-to-end scenario of the registry UI in headless Debian Chromium: log in, search 年金,
// open 日本年金機構 (jps), see that `audit` does not apply on 2016-10-20 and applies on
// 2016-10-21 with its basis quoted in Japanese, switch to English, log out.
//
// env: E2E_BASE_URL (server root), E2E_LOGIN / E2E_PASSWORD, E2E_OUT_DIR (screenshots),
//      CHROMIUM (default /usr/bin/chromium)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE_URL;
const LOGIN = process.env.E2E_LOGIN || 'admin';
const PASSWORD = process.env.E2E_PASSWORD;
const OUT = process.env.E2E_OUT_DIR || process.cwd();
const STEP_TIMEOUT = 15_000;

assert.ok(BASE, 'E2E_BASE_URL must be set');
assert.ok(PASSWORD, 'E2E_PASSWORD must be set');

let context;
let page;
let profile;
const consoleErrors = [];

const tid = (id) => `[data-testid="${id}"]`;

before(async () => {
  mkdirSync(OUT, { recursive: true });
  profile = mkdtempSync(join(process.env.E2E_TMPDIR || tmpdir(), 'cshq-e2e-profile-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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
  if (page && process.exitCode) {
    await page.screenshot({ path: join(OUT, 'e2e-failure.png'), fullPage: true }).catch(() => {});
  }
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function setAsOf(date) {
  const input = page.locator(tid('asof-date'));
  await input.fill(date);
  // Chromium's date input fires change on fill; dispatch it too in case it did not.
  await input.dispatchEvent('change');
  await page.locator(`${tid('applicability')}[data-date="${date}"]`).waitFor();
}

test('registry scenario: 日本年金機構 audit applicability across 2016-10-21', async (t) => {
  await t.test('shows the login form in Japanese and refuses a wrong password', async () => {
    await page.goto(BASE);
    await page.locator(tid('login-form')).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'ja');
    assert.equal(await page.locator('label[for]').first().textContent(), 'ログインID');
    await page.locator(tid('login-user')).fill(LOGIN);
    await page.locator(tid('login-password')).fill(`${PASSWORD}-wrong`);
    await page.locator(tid('login-submit')).click();
    await page.locator(tid('login-error')).waitFor();
  });

  await t.test('logs in', async () => {
    await page.locator(tid('login-user')).fill(LOGIN);
    await page.locator(tid('login-password')).fill(PASSWORD);
    await page.locator(tid('login-password')).press('Enter');
    await page.locator(tid('userbox')).waitFor();
    assert.match(await page.locator(tid('user-login')).textContent(), new RegExp(LOGIN));
    await page.locator(tid('org-search')).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'cshq_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true, 'session cookie is HttpOnly');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(session.value), 'the token is not kept in web storage');
  });

  await t.test('searches 年金 and opens 日本年金機構', async () => {
    await page.locator(tid('org-search')).fill('年金');
    // wait for the answer to this query, not the unfiltered list shown before it
    await page.locator(`${tid('org-results')}[data-shown="年金||"]`).waitFor();
    const row = page.locator(tid('org-row-jps'));
    await row.waitFor();
    assert.match(await row.textContent(), /日本年金機構/);
    await page.locator(tid('org-link-jps')).click();
    await page.locator(tid('org-title')).waitFor();
    assert.equal((await page.locator(tid('org-title')).textContent()).trim(), '日本年金機構');
    assert.match(page.url(), /#\/orgs\/jps/);
  });

  await t.test('audit does not apply on 2016-10-20', async () => {
    await setAsOf('2016-10-20');
    const fn = page.locator(tid('fn-audit'));
    assert.equal(await fn.getAttribute('data-applies'), 'no');
    assert.equal(await page.locator(tid('org-art13')).getAttribute('data-value'), 'false');
  });

  await t.test('audit applies on 2016-10-21, via its ministry, with the quoted basis', async () => {
    await setAsOf('2016-10-21');
    const fn = page.locator(tid('fn-audit'));
    assert.equal(await fn.getAttribute('data-applies'), 'yes');
    const basis = fn.locator(tid('basis'));
    await basis.waitFor();
    const quotes = await basis.locator(tid('basis-text')).allTextContents();
    assert.ok(quotes.length > 0, 'at least one citation quoted');
    assert.ok(quotes.some((q) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(q)), 'the basis quotes Japanese text');
    assert.match(await basis.textContent(), /AuditPolicy/);
    const route = fn.locator(tid('fn-route'));
    if (await route.count()) assert.match(await route.textContent(), /mhlw/);
    assert.equal(await page.locator(tid('org-art13')).getAttribute('data-value'), 'true');
  });

  await t.test('the timeline shows the change at 2016-10-21', async () => {
    await page.locator(tid('timeline')).waitFor();
    assert.equal(await page.locator(tid('tl-audit-2016-10-20')).getAttribute('data-applies'), 'no');
    assert.equal(await page.locator(tid('tl-audit-2016-10-21')).getAttribute('data-applies'), 'yes');
    assert.match(await page.locator(tid('tl-changes-audit')).textContent(), /2016-10-21/);
  });

  await t.test('switches to English, keeps the choice across a reload', async () => {
    await page.locator(tid('lang-toggle')).click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await page.locator(tid('logout')).textContent()).trim(), 'Log out');
    assert.equal((await page.locator(tid('org-title')).textContent()).trim(), 'Japan Pension Service');
    assert.match(await page.locator(`${tid('fn-audit')} h3`).textContent(), /Audit/);
    assert.match(await page.locator(`${tid('fn-audit')} ${tid('fn-answer')}`).textContent(), /Applies/);
    await page.reload();
    await page.locator(`${tid('fn-audit')}[data-applies="yes"]`).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.match(await page.locator(`${tid('applicability')} h2`).textContent(), /Applicability on 2016-10-21/);
    await page.screenshot({ path: join(OUT, 'e2e-registry-jps.png'), fullPage: true });
    await page.locator(tid('timeline-panel')).screenshot({ path: join(OUT, 'e2e-timeline-jps.png') });
  });

  await t.test('logs out', async () => {
    await page.locator(tid('logout')).click();
    await page.locator(tid('login-form')).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/session', { credentials: 'same-origin' })).status);
    assert.equal(status, 401);
  });

  await t.test('no script errors or CSP violations', () => {
    // the wrong-password attempt and the post-logout probe log expected 401s
    const unexpected = consoleErrors.filter((m) => !/status of 401/.test(m));
    assert.deepEqual(unexpected, []);
  });
});
