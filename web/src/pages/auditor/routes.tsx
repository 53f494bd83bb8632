// The auditor pages' routes.
import type { AnyRoute } from '@tanstack/react-router';

/** Every auditor page, as children of the root route. */
export const auditorRoutes: AnyRoute[] = [];
