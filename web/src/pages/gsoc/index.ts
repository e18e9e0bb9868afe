// Routes of the GSOC pages (spec 30), added to the app's route table.
import type { Route } from '../../router';
import { mountGsocCoverage } from './coverage';
import { mountGsocDetection } from './detection';
import { mountGsocDetections } from './detections';
import './gsoc.css';
import { mountGsocOverview } from './overview';
import { mountGsocSensors } from './sensors';

export const gsocRoutes: Route[] = [
  { pattern: /^\/gsoc\/?$/, nav: 'gsoc', mount: (ctx) => mountGsocOverview(ctx) },
  { pattern: /^\/gsoc\/detections\/?$/, nav: 'gsoc', mount: (ctx) => mountGsocDetections(ctx) },
  { pattern: /^\/gsoc\/detections\/(\d+)\/?$/, nav: 'gsoc', mount: (ctx) => mountGsocDetection(ctx) },
  { pattern: /^\/gsoc\/sensors\/?$/, nav: 'gsoc', mount: (ctx) => mountGsocSensors(ctx) },
  { pattern: /^\/gsoc\/coverage\/?$/, nav: 'gsoc', mount: (ctx) => mountGsocCoverage(ctx) },
];
