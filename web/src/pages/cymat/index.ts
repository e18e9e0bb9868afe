// Routes of the CYMAT pages (spec 40), added to the app's route table.
import type { Route } from '../../router';
import { mountCymatBoard } from './board';
import { mountCymatConsents } from './consents';
import './cymat.css';
import { mountCymatDispatch } from './dispatch';
import { mountCymatRequest, mountCymatRequestForm } from './request';
import { mountCymatRoster } from './roster';

export const cymatRoutes: Route[] = [
  { pattern: /^\/cymat\/?$/, nav: 'cymat', mount: (ctx) => mountCymatBoard(ctx) },
  { pattern: /^\/cymat\/roster\/?$/, nav: 'cymat', mount: (ctx) => mountCymatRoster(ctx) },
  { pattern: /^\/cymat\/requests\/new\/?$/, nav: 'cymat', mount: (ctx) => mountCymatRequestForm(ctx) },
  { pattern: /^\/cymat\/requests\/(\d+)\/?$/, nav: 'cymat', mount: (ctx) => mountCymatRequest(ctx) },
  { pattern: /^\/cymat\/dispatches\/(\d+)\/?$/, nav: 'cymat', mount: (ctx) => mountCymatDispatch(ctx) },
  { pattern: /^\/cymat\/consents\/?$/, nav: 'cymat', mount: (ctx) => mountCymatConsents(ctx) },
];
