// A stand-in for `cshq serve` used only while developing the UI without the real server:
// serves web/dist with the production CSP and answers the registry endpoints of spec 80 from
// shared/data/organizations.csv with a rough model of the regime. The e2e test runs against
// the real server; this file is not a reference for the regime.
//
// usage: node mock-server.mjs --listen 127.0.0.1:PORT --web DIR [--csv FILE]
import { createServer } from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, normalize, extname, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const [host, port] = (args.listen || '127.0.0.1:8080').split(':');
const webDir = args.web || join(here, '../../web/dist');
const csvCandidates = [args.csv, join(here, '../../../shared/data/organizations.csv'), '/work/shared/data/organizations.csv'].filter(Boolean);
const csvPath = csvCandidates.find((p) => existsSync(p));
const adminPassword = process.env.CSHQ_ADMIN_PASSWORD || 'admin';
const EFFECTIVE = '2016-10-21';

function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  const [head, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i] ?? ''])));
}

const orgs = csvPath ? parseCsv(readFileSync(csvPath, 'utf8')) : [];
const byCode = new Map(orgs.map((o) => [o.code, o]));
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
const within = (d, from, until) => !!from && from <= d && (!until || d < until);

function summary(o, date) {
  return {
    code: o.code,
    name_ja: o.name_ja,
    name_en: o.name_en,
    kind: o.kind,
    supervising: o.supervising ? o.supervising.split(';') : [],
    art13_designated: within(date, o.art13_designated_from),
    art32_listed: within(date, o.art32_listed_from, o.art32_listed_until),
  };
}

function record(o, date) {
  const s = summary(o, date);
  const history = [];
  if (o.art32_listed_from) history.push({ date: o.art32_listed_from, event: 'art32_listed', decision: 'DataProvisionRules 別表' });
  if (o.art32_listed_until) history.push({ date: o.art32_listed_until, event: 'art32_delisted', decision: 'DataProvisionRules 別表 (2016)' });
  if (o.art13_designated_from) history.push({ date: o.art13_designated_from, event: 'art13_designated', decision: 'サイバーセキュリティ戦略本部決定 (2016)' });
  history.sort((a, b) => a.date.localeCompare(b.date));
  return {
    ...s,
    former_names_ja: o.former_names_ja ? o.former_names_ja.split(';') : [],
    designations: o.art13_designated_from
      ? [{ from: o.art13_designated_from, until: null, decision: 'サイバーセキュリティ戦略本部決定 (2016)', group: o.source.includes('pension') ? 'public_pension' : 'my_number', criteria: { 1: '国の業務と一体となって業務を行う', 2: '大量の個人情報を保有する', 3: '自律的な対策に委ねることは適当でない', 4: 'センサー監視が有効' } }]
      : [],
    art32_listings: o.art32_listed_from ? [{ from: o.art32_listed_from, until: o.art32_listed_until || null, decision: 'DataProvisionRules 別表' }] : [],
    history,
  };
}

const cite = (doc, version, article, text, paragraph = null, item = null) => ({ doc, version, article, paragraph, item, text_ja: text });

function applicability(o, date) {
  const amended = date >= EFFECTIVE;
  const v = amended ? '2016' : '2015';
  const kind = o.kind;
  const ministry = kind === 'ministry';
  const iai = kind === 'iai';
  const designated = within(date, o.art13_designated_from);
  const listed = within(date, o.art32_listed_from, o.art32_listed_until);
  const covered = ministry || (amended && (iai || designated));
  const sup = o.supervising ? o.supervising.split(';') : [];
  const route = ministry ? { type: 'direct' } : { type: 'via', via: sup };
  const yn = (b) => (b ? 'yes' : 'no');
  const f = {};
  f.gsoc_monitoring = { applies: yn(covered), basis: [cite('Act', '2016', 13, amended ? '国の行政機関、独立行政法人又は指定法人における情報通信ネットワークに対する不正な活動の監視及び分析' : '国の行政機関における情報通信ネットワークに対する不正な活動の監視及び分析')] };
  if (!amended && iai) f.audit = { applies: 'conditional', condition: '特に必要があると認めるとき', route, basis: [cite('AuditPolicy', v, 2, '独立行政法人については、特に必要があると認めるときは監査を行う。')] };
  else f.audit = { applies: yn(covered), route, basis: [cite('AuditPolicy', v, 2, amended ? '国の行政機関、独立行政法人及び指定法人を対象とする。' : '国の行政機関を対象とする。')] };
  f.cause_investigation = { applies: yn(covered), route, basis: [cite('MajorIncidentRules', v, 1, '行政機関等において発生した重大な事象')] };
  f.delegation = { applies: yn(amended && (iai || designated)), basis: [cite('Act', '2016', 30, '戦略本部は、…事務の一部を…独立行政法人情報処理推進機構その他政令で定める法人に委託することができる。', 1)] };
  f.mandatory_reporting = { applies: yn(covered), route, basis: [cite('DataProvisionRules', v, 1, '府省庁は…資料を提供するものとする。', 1)] };
  f.materials_request = { applies: yn(iai || listed), route, basis: [cite('Act', '2016', 32, '関係機関の長に対し…資料の提出…協力を求めることができる。', 1), cite('DataProvisionRules', v, 2, '別表に掲げる法人')] };
  f.cymat_support = { applies: yn(ministry || kind === 'observer' || iai || (amended && designated)), basis: [cite('CymatRules', amended ? '2016' : '2014', 2, '支援の対象は、国の行政機関…とする。')] };
  f.risk_guideline = { applies: yn(covered), route, basis: [cite('RiskGuideline', amended ? '2016' : '2014', '1.4', '本ガイドラインの対象は…')] };
  return { org: o.code, date, functions: f };
}

const sessions = new Map();
const users = new Map([['admin', { login: 'admin', name: '管理者', org: 'nisc', roles: ['admin'], password: adminPassword }]]);

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}
const problem = (res, status, title, detail) => send(res, status, { type: 'about:blank', title, status, detail }, 'application/problem+json');

function sessionOf(req) {
  const m = /(?:^|;\s*)cshq_session=([^;]+)/.exec(req.headers.cookie || '');
  return m ? sessions.get(m[1]) : undefined;
}

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { return null; }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (p.startsWith('/api/v1/')) {
    if (p === '/api/v1/health') return send(res, 200, { status: 'ok', version: 'mock', store: 'sqlite' });
    if (p === '/api/v1/session' && req.method === 'POST') {
      const b = await body(req);
      const u = b && users.get(b.login);
      if (!u || u.password !== b.password) return problem(res, 401, 'Unauthorized', 'ログインIDまたはパスワードが正しくありません。');
      const token = randomBytes(32).toString('hex');
      const csrf = randomBytes(16).toString('hex');
      const user = { login: u.login, name: u.name, org: u.org, roles: u.roles };
      sessions.set(token, { user, csrf });
      res.setHeader('Set-Cookie', `cshq_session=${token}; Path=/; HttpOnly; SameSite=Strict`);
      return send(res, 200, { token, csrf_token: csrf, user });
    }
    const sess = sessionOf(req);
    if (!sess) return problem(res, 401, 'Unauthorized', 'login required');
    if (req.method !== 'GET' && req.headers['x-csrf-token'] !== sess.csrf) return problem(res, 403, 'Forbidden', 'CSRF token missing or wrong');
    if (p === '/api/v1/session' && req.method === 'GET') return send(res, 200, { user: sess.user, csrf_token: sess.csrf });
    if (p === '/api/v1/session' && req.method === 'DELETE') {
      for (const [k, v] of sessions) if (v === sess) sessions.delete(k);
      res.setHeader('Set-Cookie', 'cshq_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
      return send(res, 204, '');
    }
    const date = url.searchParams.get('date') || today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return problem(res, 400, 'Bad Request', 'date must be YYYY-MM-DD');
    if (p === '/api/v1/orgs') {
      const q = (url.searchParams.get('q') || '').toLowerCase();
      const kind = url.searchParams.get('kind') || '';
      const items = orgs
        .filter((o) => !kind || o.kind === kind)
        .filter((o) => !q || [o.code, o.name_ja, o.name_en, o.former_names_ja].some((s) => s.toLowerCase().includes(q)))
        .map((o) => summary(o, date));
      return send(res, 200, { items: items.slice(0, 50), next_cursor: null });
    }
    let m = /^\/api\/v1\/orgs\/([^/]+)$/.exec(p);
    if (m) {
      const o = byCode.get(decodeURIComponent(m[1]));
      return o ? send(res, 200, record(o, date)) : problem(res, 404, 'Not Found', 'no such organisation');
    }
    m = /^\/api\/v1\/orgs\/([^/]+)\/applicability$/.exec(p);
    if (m) {
      const o = byCode.get(decodeURIComponent(m[1]));
      return o ? send(res, 200, applicability(o, date)) : problem(res, 404, 'Not Found', 'no such organisation');
    }
    return problem(res, 404, 'Not Found', 'no such endpoint');
  }
  let file = normalize(join(webDir, p === '/' ? 'index.html' : p));
  if (!file.startsWith(normalize(webDir)) || !existsSync(file) || !statSync(file).isFile()) file = join(webDir, 'index.html');
  send(res, 200, readFileSync(file), TYPES[extname(file)] || 'application/octet-stream');
});

server.listen(Number(port), host, () => console.log(`mock cshq on http://${host}:${port} (web ${webDir}, ${orgs.length} orgs)`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
