// The approver pages' routes.
import type { AnyRoute } from '@tanstack/react-router';

/** Every approver page, as children of the root route. */
export const approverRoutes: AnyRoute[] = [];
