// Everyone's pages: what I hold, asking for more, and my requests.
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from '../../routes/root';
import { MyAccess } from './my-access';

const myAccess = createRoute({ getParentRoute: () => rootRoute, path: '/', component: MyAccess });

/** Every employee page, as children of the root route. */
export const employeeRoutes = [myAccess];
