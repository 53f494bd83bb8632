// The root of the console's route tree: the shell every page renders inside.
import { createRootRoute } from '@tanstack/react-router';
import { Layout } from '../layout';
import { NotFound } from '../not-found';

/** Every page is a child of this route. */
export const rootRoute = createRootRoute({ component: Layout, notFoundComponent: NotFound });
