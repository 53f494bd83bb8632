// The admin pages' routes.
import type { AnyRoute } from '@tanstack/react-router';

/** Every admin page, as children of the root route. */
export const adminRoutes: AnyRoute[] = [];
