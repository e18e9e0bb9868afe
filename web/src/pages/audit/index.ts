// Routes of the audit pages (spec 50), added to the app's route table.
import type { Route } from '../../router';
import './audit.css';
import { mountAuditBoard } from './board';
import { mountAuditEngagement } from './engagement';
import { mountAuditFollowups } from './followups';
import { mountAuditPolicy } from './policy';
import { mountAuditPractices } from './practices';
import { mountAuditSummary } from './summary';

export const auditRoutes: Route[] = [
  { pattern: /^\/audits\/?$/, nav: 'audits', mount: (ctx) => mountAuditBoard(ctx) },
  { pattern: /^\/audits\/policy\/?$/, nav: 'audits', mount: (ctx) => mountAuditPolicy(ctx) },
  { pattern: /^\/audits\/engagements\/(\d+)\/?$/, nav: 'audits', mount: (ctx) => mountAuditEngagement(ctx) },
  { pattern: /^\/audits\/followups\/?$/, nav: 'audits', mount: (ctx) => mountAuditFollowups(ctx) },
  { pattern: /^\/audits\/summary\/?$/, nav: 'audits', mount: (ctx) => mountAuditSummary(ctx) },
  { pattern: /^\/audits\/practices\/?$/, nav: 'audits', mount: (ctx) => mountAuditPractices(ctx) },
];
