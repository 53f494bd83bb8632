// The console's route tree, assembled from each area's routes (pages/<area>/routes.tsx).
import { createRouter } from '@tanstack/react-router';
import { adminRoutes } from './pages/admin/routes';
import { approverRoutes } from './pages/approver/routes';
import { auditorRoutes } from './pages/auditor/routes';
import { employeeRoutes } from './pages/employee/routes';
import { rootRoute } from './routes/root';

const routeTree = rootRoute.addChildren([
  ...employeeRoutes,
  ...approverRoutes,
  ...adminRoutes,
  ...auditorRoutes,
]);

/** The console's router. */
export const router = createRouter({ routeTree, defaultPreload: 'intent' });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
