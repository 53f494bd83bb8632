// The approver's and reviewer's pages: the inbox, confirming with a passkey, passkeys, reviews.
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from '../../routes/root';
import { Approvals } from './approvals';
import { ConfirmDecision, confirmSearch } from './confirm';
import { Passkeys } from './passkeys';
import { Reviews } from './reviews';

const approvals = createRoute({ getParentRoute: () => rootRoute, path: '/approvals', component: Approvals });
const confirm = createRoute({
  getParentRoute: () => rootRoute,
  path: '/requests/$id/confirm',
  validateSearch: confirmSearch,
  component: ConfirmDecision,
});
const passkeys = createRoute({ getParentRoute: () => rootRoute, path: '/passkeys', component: Passkeys });
const reviews = createRoute({ getParentRoute: () => rootRoute, path: '/reviews', component: Reviews });

/** Every approver and reviewer page, as children of the root route. */
export const approverRoutes = [approvals, confirm, passkeys, reviews];
