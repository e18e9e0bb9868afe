// The route table. A later module adds its rows here (and its screen under screens/).
import type { Route } from './router';
import { mountOrg } from './screens/org';
import { mountRegistry } from './screens/registry';
import { incidentRoutes } from './pages/incidents';
import { auditRoutes } from './pages/audit';
import { cymatRoutes } from './pages/cymat';
import { riskRoutes } from './pages/risk';
import { gsocRoutes } from './pages/gsoc';

export const routes: Route[] = [
  { pattern: /^\/orgs\/?$/, nav: 'registry', mount: (ctx) => mountRegistry(ctx) },
  { pattern: /^\/orgs\/([A-Za-z0-9_.-]+)\/?$/, nav: 'registry', mount: (ctx) => mountOrg(ctx) },
  ...incidentRoutes,
  ...gsocRoutes,
  ...cymatRoutes,
  ...auditRoutes,
  ...riskRoutes,
];
