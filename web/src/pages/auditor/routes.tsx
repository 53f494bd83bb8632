// The auditor pages' routes (admins see them too): ledger search, verification, checkpoints.
import { createRoute } from '@tanstack/react-router';
import { rootRoute } from '../../routes/root';
import { AuditCheckpoints } from './checkpoints';
import { AuditLedger } from './ledger';
import { AuditVerify } from './verify';

/** Every auditor page, as children of the root route. */
export const auditorRoutes = [
  createRoute({ getParentRoute: () => rootRoute, path: '/audit', component: AuditLedger }),
  createRoute({ getParentRoute: () => rootRoute, path: '/audit/verify', component: AuditVerify }),
  createRoute({ getParentRoute: () => rootRoute, path: '/audit/checkpoints', component: AuditCheckpoints }),
];
