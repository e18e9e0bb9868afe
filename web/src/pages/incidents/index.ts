// Routes of the incidents module (spec 20): reports, cases, the inbox.
import type { Route } from '../../router';
import './incidents.css';
import { mountCase, mountCases, mountInbox } from './cases';
import { mountNewReport, mountReport, mountReports } from './reports';

export const incidentRoutes: Route[] = [
  { pattern: /^\/reports\/?$/, nav: 'reports', mount: (ctx) => mountReports(ctx) },
  { pattern: /^\/reports\/new\/?$/, nav: 'reports', mount: (ctx) => mountNewReport(ctx) },
  { pattern: /^\/reports\/(\d+)\/?$/, nav: 'reports', mount: (ctx) => mountReport(ctx) },
  { pattern: /^\/cases\/?$/, nav: 'reports', mount: (ctx) => mountCases(ctx) },
  { pattern: /^\/cases\/(\d+)\/?$/, nav: 'reports', mount: (ctx) => mountCase(ctx) },
  { pattern: /^\/notifications\/?$/, nav: 'reports', mount: (ctx) => mountInbox(ctx) },
];
