// Routes of the risk assessment pages (spec 60), added to the app's route table.
import type { Route } from '../../router';
import { mountRiskAggregate } from './aggregate';
import { mountRiskAssessment } from './assessment';
import { mountRiskDashboard } from './dashboard';
import { mountRiskHome } from './home';
import './risk.css';
import { mountRiskSets } from './sets';

export const riskRoutes: Route[] = [
  { pattern: /^\/risk\/?$/, nav: 'risk', mount: (ctx) => mountRiskHome(ctx) },
  { pattern: /^\/risk\/sets\/?$/, nav: 'risk', mount: (ctx) => mountRiskSets(ctx) },
  { pattern: /^\/risk\/aggregate\/?$/, nav: 'risk', mount: (ctx) => mountRiskAggregate(ctx) },
  { pattern: /^\/risk\/assessments\/(\d+)\/dashboard\/?$/, nav: 'risk', mount: (ctx) => mountRiskDashboard(ctx) },
  { pattern: /^\/risk\/assessments\/(\d+)\/?$/, nav: 'risk', mount: (ctx) => mountRiskAssessment(ctx) },
];
