// Everyone's pages: what I hold, asking for more, and my requests.
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from '../../routes/root';
import { MyAccess } from './my-access';
import { MyRequests } from './my-requests';
import { RequestAccess } from './request-access';
import { RequestDetail } from './request-detail';

const myAccess = createRoute({ getParentRoute: () => rootRoute, path: '/', component: MyAccess });
const requestAccess = createRoute({
  getParentRoute: () => rootRoute,
  path: '/request',
  component: RequestAccess,
});
const myRequests = createRoute({ getParentRoute: () => rootRoute, path: '/requests', component: MyRequests });
const requestDetail = createRoute({
  getParentRoute: () => rootRoute,
  path: '/requests/$id',
  component: RequestDetail,
});

/** Every employee page, as children of the root route. */
export const employeeRoutes = [myAccess, requestAccess, myRequests, requestDetail];
