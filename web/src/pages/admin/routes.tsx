// The admin pages' routes: dashboard, requests, grants, campaigns, directory, catalog, policies.
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from '../../routes/root';
import { AdminCampaign } from './campaign';
import { AdminCampaigns } from './campaigns';
import { AdminCatalog } from './catalog';
import { AdminDashboard } from './dashboard';
import { AdminDirectory } from './directory';
import { AdminGrants } from './grants';
import { AdminPolicy } from './policy';
import { AdminRequests } from './requests';

/** Every admin page, as children of the root route. */
export const adminRoutes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/admin', component: AdminDashboard }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/requests', component: AdminRequests }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/grants', component: AdminGrants }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/campaigns', component: AdminCampaigns }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/campaigns/$id', component: AdminCampaign }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/directory', component: AdminDirectory }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/catalog', component: AdminCatalog }),
  createRoute({ getParentRoute: () => rootRoute, path: '/admin/policies/$key', component: AdminPolicy }),
];
