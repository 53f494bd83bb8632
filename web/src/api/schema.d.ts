// Generated from the API's OpenAPI document by web/scripts/generate-api-types.ts: do not edit.
// After changing a route's schema, run `npm run api:types` and commit the result.
export interface paths {
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start console sign-in: redirects to the identity provider (code + PKCE) */
        get: operations["signIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The identity provider's redirect back: starts a session and redirects to returnTo */
        get: operations["completeSignIn"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign out of the console: the session is deleted (needs x-csrf-token) */
        post: operations["signOut"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in console session: who, which role, the CSRF token and when it ends */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List people, ordered by email (page with cursor = nextCursor; offset still works) */
        get: operations["listPeople"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/people/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One person: identity source, status, what they hold now and their open findings */
        get: operations["getPersonOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/people/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One person */
        get: operations["getPerson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Groups, ordered by key, with how many people belong to each (admins and auditors) */
        get: operations["listGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Active resources with their entitlements, ordered by key */
        get: operations["listResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/resources/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One resource with its entitlements */
        get: operations["getResource"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Approval policies with their current definition (admins and auditors) */
        get: operations["listPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search ledger entries (oldest first; page with afterSeq = nextAfterSeq) */
        get: operations["searchAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recompute the ledger, checkpoints and protections (as grantflow audit verify --json); can take a while on a large ledger */
        get: operations["verifyAuditLedger"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A consistency proof between the checkpoints of tree sizes `from` and `to` (default: the newest), as grantflow audit prove-consistency prints it; check it offline with audit/proof-verify.ts */
        get: operations["proveAuditConsistency"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests, newest first: employees see their own, admins and auditors everyone's */
        get: operations["listRequests"];
        put?: never;
        /** Ask for an entitlement (admins may ask on behalf of someone: recorded as such) */
        post: operations["createRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One request with its decisions and, while it runs, its live state */
        get: operations["getRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/decisions/challenge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Whether your decision needs a passkey and, if so, the WebAuthn request options over the canonical decision {requestId, step, decision, approver, decidedAt} */
        post: operations["createDecisionChallenge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or deny the step waiting on you (admins: onBehalfOf an approver, recorded); approving a request whose stepUp is webauthn needs the passkey assertion over the challenge */
        post: operations["decideRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw a request before it is provisioned (requester or admin) */
        post: operations["cancelRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a provisioning that failed for good (admin) */
        post: operations["retryRequestProvisioning"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/requests/{id}/fulfilment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report a manual resource's access granted by hand, or refused (its owner or an admin) */
        post: operations["reportRequestFulfilment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Grants, newest first: employees see their own, admins and auditors everyone's (or one holder's) */
        get: operations["listGrants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One grant */
        get: operations["getGrant"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}/extend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push the expiry later: admins always; the holder where the policy would auto-approve, else file a new request */
        post: operations["extendGrant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}/removal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report a manual resource's access removed by hand (its owner or an admin) */
        post: operations["reportGrantRemoval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give the access back now (the holder) */
        post: operations["releaseGrant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/grants/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take the access away now (admins) */
        post: operations["revokeGrant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Campaigns, newest first */
        get: operations["listCampaigns"];
        put?: never;
        /** Launch a campaign (once per period when `period` is given: a repeat returns the first) */
        post: operations["launchCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The campaign schedules in force: template, next runs, last run */
        get: operations["listCampaignSchedules"];
        put?: never;
        /** Launch a campaign every quarter (09:00 UTC on the 1st of Jan, Apr, Jul, Oct) from this template; once per quarter */
        post: operations["scheduleCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One campaign: summary, counts, the live state, and the burn-down (decided and open over time) */
        get: operations["getCampaign"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Items to review: your own; admins and auditors may name a reviewer */
        get: operations["listCampaignItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Keep or revoke items you review (revoke needs a reason); refused items are listed */
        post: operations["decideCampaignItems"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/delegations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hand your undecided items (the listed ones, or all) to another active person */
        post: operations["delegateCampaignItems"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/signoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign off the results once every item is settled; the campaign closes */
        post: operations["signOffCampaign"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/campaigns/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every item with reviewer, decision, reason, times and revocation status, plus a summary */
        get: operations["getCampaignReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reconciliations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A resource's reconciliation runs, newest first */
        get: operations["listReconciliations"];
        put?: never;
        /** Reconcile a resource now: compare what its target holds with the grants (202, or 200 with wait) */
        post: operations["reconcileResource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reconciliations/sod": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check separation-of-duties rules against what people hold now; breaches become findings */
        post: operations["checkSeparationOfDuties"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Findings newest first: what targets hold that no grant explains, and grants they do not hold */
        get: operations["listFindings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One finding */
        get: operations["getFinding"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/findings/{id}/resolution": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Close an open finding by hand, saying why (fixed at the target, or accepted) */
        post: operations["resolveFinding"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/evidence/packs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest evidence packs, newest first (auditors, admins) */
        get: operations["listEvidencePacks"];
        put?: never;
        /** Ask for an evidence pack of a framework (or one control) for a period; built in the background (auditors, admins) */
        post: operations["requestEvidencePack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/evidence/packs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An evidence pack's status and progress (auditors, admins) */
        get: operations["getEvidencePack"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/evidence/packs/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The zip of a ready evidence pack; check it offline with grantflow evidence verify (auditors, admins) */
        get: operations["downloadEvidencePack"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/evidence/annotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record an exception's root cause and corrective action; packs built afterwards carry it (admins) */
        post: operations["annotateEvidenceException"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/log-reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Log reviews, latest month first, with their progress (auditors, admins, the reviewer group) */
        get: operations["listLogReviews"];
        put?: never;
        /** Open a month's log review, its items the month's security events in the ledger (admins); once per month: asking again answers the first (200) */
        post: operations["openLogReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/log-reviews/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of a review's security events in ledger order, after `afterId` (auditors, admins, the reviewer group) */
        get: operations["listLogReviewItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/log-reviews/{id}/items/reviewed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark items reviewed, with a note (required when action was taken); items reviewed before are listed and left as they were (the reviewer group, admins) */
        post: operations["markLogReviewItemsReviewed"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/log-reviews/{id}/signoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign a review off once every item is reviewed (the reviewer group, admins) */
        post: operations["signOffLogReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scim/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every SCIM connection, live and revoked (never their tokens) */
        get: operations["listScimConnections"];
        put?: never;
        /** Create a SCIM connection for an identity provider; its token is in this answer only */
        post: operations["createScimConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/scim/connections/{name}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a SCIM connection's token; the identity provider is refused from now on */
        post: operations["revokeScimConnection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/passkeys/registration-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Options for registering a new passkey of yours (valid for five minutes, once) */
        post: operations["createPasskeyRegistrationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your registered passkeys, oldest first */
        get: operations["listPasskeys"];
        put?: never;
        /** Register the passkey your browser created for the options; recorded in the ledger */
        post: operations["registerPasskey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your approvals: `waiting` (steps you may decide now, newest first; a page may hold fewer than `limit` and still have a next one) or `decided` (your decisions, newest first) */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your campaign items across campaigns: `open` (undecided, oldest first) or `decided` (newest first), with your progress in each campaign not yet closed */
        get: operations["listMyReviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open requests and their age, SLA breaches (an approval step waiting past its policy's escalateAfter; leavers past the leaver SLA), active grants by risk, campaigns in progress, the ledger, and request volume and time to approve over the last 30 days (admins) */
        get: operations["getDashboard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Signed checkpoints, newest first, with who signed each (recorded as a ledger read) */
        get: operations["listAuditCheckpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/checkpoints/{id}/note": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One checkpoint's signed note (C2SP signed-note text), as a file */
        get: operations["downloadAuditCheckpointNote"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/events/{eventId}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An inclusion proof of one event under the newest signed checkpoint, as grantflow audit prove prints it; grantflow audit check-proof checks the file offline */
        get: operations["proveAuditEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies/{key}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every version of a policy, newest first, with its definition and who created it when */
        get: operations["listPolicyVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ErrorBody: {
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
    };
    responses: {
        /** @description validation_failed: the input does not match this operation's schema (details.fields names each field) */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description unauthenticated: no credentials, or an API token that is unknown, revoked or expired */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description forbidden or not_allowed: the caller's role may not do this, or the rule refuses it for this caller (refusals are recorded in the ledger); csrf_failed: a cookie-authenticated write without its CSRF token */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description rate_limited: too many refused requests (bad or missing credentials) from this address in the last minute; wait Retry-After seconds. Requests with good credentials are never limited */
        TooManyRefusals: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    signIn: {
        parameters: {
            query?: {
                returnTo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirect to the identity provider */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": null;
                };
            };
            /** @description Too many sign-in attempts from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description Console sign-in is not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    completeSignIn: {
        parameters: {
            query?: {
                code?: string;
                state?: string;
                iss?: string;
                error?: string;
                error_description?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in: redirect to returnTo (a same-origin path) or / */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": null;
                };
            };
            /** @description The sign-in failed or lapsed (recorded as auth.session.refused) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description Unknown, inactive or unverified person (recorded as auth.session.refused) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description Too many sign-in attempts from this address */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description Console sign-in is not configured */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": null;
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description CSRF check failed (csrf_failed) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        person: {
                            /** Format: uuid */
                            id: string;
                            email: string;
                            name: string;
                        };
                        /** @enum {string} */
                        role: "employee" | "admin" | "auditor";
                        csrfToken: string;
                        expiresAt: string;
                        idleExpiresAt: string;
                    };
                };
            };
            /** @description Not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listPeople: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                cursor?: string;
                status?: "active" | "inactive";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            email: string;
                            name: string;
                            slackUserId: string | null;
                            /** Format: uuid */
                            managerId: string | null;
                            department: string | null;
                            title: string | null;
                            /** @enum {string} */
                            status: "active" | "inactive";
                        }[];
                        total: number;
                        limit: number;
                        offset: number;
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getPersonOverview: {
        parameters: {
            query: {
                email: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        person: {
                            /** Format: uuid */
                            id: string;
                            email: string;
                            name: string;
                            slackUserId: string | null;
                            /** Format: uuid */
                            managerId: string | null;
                            department: string | null;
                            title: string | null;
                            /** @enum {string} */
                            status: "active" | "inactive";
                            source: string;
                            deactivatedAt: string | null;
                        };
                        manager: string | null;
                        grants: {
                            id: string;
                            resource: string;
                            entitlement: string;
                            source: string;
                            grantedAt: string;
                            expiresAt: string | null;
                        }[];
                        openFindings: {
                            id: string;
                            kind: string;
                            resource: string | null;
                            entitlement: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No person has that email */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getPerson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        email: string;
                        name: string;
                        slackUserId: string | null;
                        /** Format: uuid */
                        managerId: string | null;
                        department: string | null;
                        title: string | null;
                        /** @enum {string} */
                        status: "active" | "inactive";
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No person has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            key: string;
                            name: string;
                            description: string | null;
                            source: string;
                            memberCount: number;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listResources: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            key: string;
                            name: string;
                            description: string | null;
                            owner: string;
                            connector: {
                                kind: string;
                                config?: {
                                    [key: string]: unknown;
                                };
                            };
                            entitlements: {
                                key: string;
                                name: string;
                                description: string | null;
                                /** @enum {string} */
                                risk: "low" | "medium" | "high" | "critical";
                                maxDurationSeconds: number;
                            }[];
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getResource: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: string;
                        name: string;
                        description: string | null;
                        owner: string;
                        connector: {
                            kind: string;
                            config?: {
                                [key: string]: unknown;
                            };
                        };
                        entitlements: {
                            key: string;
                            name: string;
                            description: string | null;
                            /** @enum {string} */
                            risk: "low" | "medium" | "high" | "critical";
                            maxDurationSeconds: number;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No active resource has that key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            key: string;
                            description: string | null;
                            version: number;
                            definition: unknown;
                            definitionHash: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    searchAuditEvents: {
        parameters: {
            query?: {
                actor?: string;
                type?: string;
                target?: string;
                correlation?: string;
                from?: string;
                to?: string;
                afterSeq?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            seq: number;
                            recorded_at: string;
                            event: {
                                [key: string]: unknown;
                            };
                        }[];
                        nextAfterSeq: number | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    verifyAuditLedger: {
        parameters: {
            query?: {
                since?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "intact" | "tampered";
                        entries: number;
                        checkpoints: number;
                        checkpointsVerified: number;
                        exportedCheckpoints: number;
                        latestCheckpoint?: {
                            id: number;
                            treeSize: number;
                            rootHash: string;
                            time?: string;
                            signedBy: string[];
                        };
                        unsignedEntries: number;
                        since?: number;
                        findings: {
                            /** @enum {string} */
                            code: "protection_disabled" | "privileges_widened" | "runtime_role_missing" | "checkpoint_malformed" | "checkpoint_unknown_key" | "checkpoint_signature_invalid" | "checkpoint_mismatch" | "split_view" | "cosignature_invalid" | "witnesses_insufficient" | "witness_gap" | "payload_rewritten" | "tail_truncated" | "archive_invalid" | "row_deleted" | "row_inserted" | "reordered" | "payload_edited" | "chain_broken" | "backdated" | "duplicate_event" | "intake_orphaned" | "intake_stalled";
                            /** @enum {string} */
                            severity: "error" | "warning";
                            seq?: number;
                            lastSeq?: number;
                            writtenAsSeq?: number;
                            checkpointId?: number;
                            otherCheckpointId?: number;
                            file?: string;
                            message: string;
                        }[];
                        omittedFindings: number;
                        durationMs: number;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
            /** @description verify_failed: the ledger could not be read to the end to verify it */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
        };
    };
    proveAuditConsistency: {
        parameters: {
            query: {
                from: number;
                to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        oldSize: number;
                        newSize: number;
                        oldRoot: string;
                        newRoot: string;
                        proof: string[];
                        oldCheckpoint: string;
                        newCheckpoint: string;
                    };
                };
            };
            /** @description A size is not a whole number from 0, or from is larger than to */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The token is neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No checkpoint has that tree size */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listRequests: {
        parameters: {
            query?: {
                status?: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                requester?: string;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                            requester: string;
                            submittedBy: string;
                            resource: string;
                            entitlement: string;
                            entitlementName: string;
                            durationSeconds: number;
                            reason: string | null;
                            plan: string | null;
                            /** @enum {string|null} */
                            stepUp: "webauthn" | null;
                            currentStep: number | null;
                            outcome: string | null;
                            grantId: string | null;
                            createdAt: string;
                            closedAt: string | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    createRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    resource: string;
                    entitlement: string;
                    durationSeconds: number;
                    reason?: string;
                    /** Format: email */
                    onBehalfOf?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        requester: string;
                        submittedBy: string;
                        resource: string;
                        entitlement: string;
                        entitlementName: string;
                        durationSeconds: number;
                        reason: string | null;
                        plan: string | null;
                        /** @enum {string|null} */
                        stepUp: "webauthn" | null;
                        currentStep: number | null;
                        outcome: string | null;
                        grantId: string | null;
                        createdAt: string;
                        closedAt: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No such resource, entitlement or (onBehalfOf) person */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The requester already holds it or has a request for it open */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        requester: string;
                        submittedBy: string;
                        resource: string;
                        entitlement: string;
                        entitlementName: string;
                        durationSeconds: number;
                        reason: string | null;
                        plan: string | null;
                        /** @enum {string|null} */
                        stepUp: "webauthn" | null;
                        currentStep: number | null;
                        outcome: string | null;
                        grantId: string | null;
                        createdAt: string;
                        closedAt: string | null;
                        decisions: {
                            step: number;
                            approver: string;
                            decision: string;
                            at: string;
                        }[];
                        live: {
                            requestId: string;
                            /** @enum {string} */
                            status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                            currentStep?: number;
                            steps: {
                                index: number;
                                eligible: string[];
                                required: number;
                                approvedBy: string[];
                                escalated: boolean;
                            }[];
                            grantId?: string;
                            outcome?: string;
                        } | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No request has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    createDecisionChallenge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve" | "deny";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string|null} */
                        stepUp: "webauthn" | null;
                        decidedAt: string;
                        options: {
                            challenge: string;
                            rpId?: string;
                            timeout?: number;
                            allowCredentials?: {
                                id: string;
                                /** @enum {string} */
                                type: "public-key";
                                transports?: ("ble" | "cable" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb")[];
                            }[];
                            /** @enum {string} */
                            userVerification?: "discouraged" | "preferred" | "required";
                            extensions?: {
                                credProps?: boolean;
                            };
                            hints?: string[];
                        } | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description No token or session, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description passkey_not_registered: approving needs a passkey and you have none */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No such request, or not one you may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The request is not waiting for approval */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    decideRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve" | "deny";
                    comment?: string;
                    /** Format: email */
                    onBehalfOf?: string;
                    stepUp?: {
                        decidedAt: string;
                        assertion: {
                            id: string;
                            rawId: string;
                            /** @enum {string} */
                            type: "public-key";
                            response: {
                                clientDataJSON: string;
                                authenticatorData: string;
                                signature: string;
                                userHandle?: string;
                            };
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            /** @default {} */
                            clientExtensionResults?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        currentStep?: number;
                        steps: {
                            index: number;
                            eligible: string[];
                            required: number;
                            approvedBy: string[];
                            escalated: boolean;
                        }[];
                        grantId?: string;
                        outcome?: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            /** @description Not an approver of the waiting step, or own request; step_up_required: approving needs a passkey assertion; step_up_failed: the assertion does not verify, is stale or is not your passkey's */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No request has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The request is not waiting for this decision (decided, closed, moved on) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    cancelRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        currentStep?: number;
                        steps: {
                            index: number;
                            eligible: string[];
                            required: number;
                            approvedBy: string[];
                            escalated: boolean;
                        }[];
                        grantId?: string;
                        outcome?: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No request has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The request is provisioned or closed already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    retryRequestProvisioning: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        currentStep?: number;
                        steps: {
                            index: number;
                            eligible: string[];
                            required: number;
                            approvedBy: string[];
                            escalated: boolean;
                        }[];
                        grantId?: string;
                        outcome?: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No request has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The provisioning has not failed for good */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    reportRequestFulfilment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "done" | "refused";
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requestId: string;
                        /** @enum {string} */
                        status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                        currentStep?: number;
                        steps: {
                            index: number;
                            eligible: string[];
                            required: number;
                            approvedBy: string[];
                            escalated: boolean;
                        }[];
                        grantId?: string;
                        outcome?: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No request has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The request is not waiting for a manual fulfilment */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listGrants: {
        parameters: {
            query?: {
                status?: "active" | "expired" | "released" | "revoked";
                holder?: string;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            holder: string;
                            resource: string;
                            entitlement: string;
                            entitlementName: string;
                            /** @enum {string} */
                            status: "active" | "expired" | "released" | "revoked";
                            requestId: string | null;
                            /** @enum {string} */
                            source: "request" | "import" | "reconciliation" | "birthright";
                            grantedAt: string;
                            expiresAt: string | null;
                            endedAt: string | null;
                            endReason: string | null;
                            provisionVerified: boolean | null;
                            removalVerified: boolean | null;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        holder: string;
                        resource: string;
                        entitlement: string;
                        entitlementName: string;
                        /** @enum {string} */
                        status: "active" | "expired" | "released" | "revoked";
                        requestId: string | null;
                        /** @enum {string} */
                        source: "request" | "import" | "reconciliation" | "birthright";
                        grantedAt: string;
                        expiresAt: string | null;
                        endedAt: string | null;
                        endReason: string | null;
                        provisionVerified: boolean | null;
                        removalVerified: boolean | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No grant has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    extendGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    seconds: number;
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grantId: string;
                        /** @enum {string} */
                        status: "active" | "ending" | "expired" | "released" | "revoked";
                        expiresAt: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No grant has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The grant has no end date to push, or is closed */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    reportGrantRemoval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    outcome: "done";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grantId: string;
                        /** @enum {string} */
                        status: "active" | "ending" | "expired" | "released" | "revoked";
                        expiresAt: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No grant has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The grant is closed, or not in a state that takes this change */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    releaseGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grantId: string;
                        /** @enum {string} */
                        status: "active" | "ending" | "expired" | "released" | "revoked";
                        expiresAt: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No grant has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The grant is closed, or not in a state that takes this change */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    revokeGrant: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        grantId: string;
                        /** @enum {string} */
                        status: "active" | "ending" | "expired" | "released" | "revoked";
                        expiresAt: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No grant has that id, or not one the caller may see */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The grant is closed, or not in a state that takes this change */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listCampaigns: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            campaignId: string;
                            name: string;
                            /** @enum {string} */
                            status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                            launchedAt: string | null;
                            dueAt: string;
                            population: {
                                count: number | null;
                                sha256: string | null;
                            };
                            items: {
                                total: number;
                                decided: number;
                                undecided: number;
                                kept: number;
                                revoked: number;
                                revocationPending: number;
                                revocationVerified: number;
                                revocationUnverified: number;
                                revocationFailed: number;
                                revocationNotNeeded: number;
                            };
                            completionPercent: number;
                            exceptions: {
                                decidedByDefault: number;
                                escalated: number;
                                delegated: number;
                                noEligibleReviewer: number;
                                revocationFailed: number;
                                revocationUnverified: number;
                            };
                            signedOff: {
                                by: string | null;
                                at: string | null;
                            };
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    launchCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaignId: string;
                        name: string;
                        /** @enum {string} */
                        status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                        launchedAt: string | null;
                        dueAt: string;
                        population: {
                            count: number | null;
                            sha256: string | null;
                        };
                        items: {
                            total: number;
                            decided: number;
                            undecided: number;
                            kept: number;
                            revoked: number;
                            revocationPending: number;
                            revocationVerified: number;
                            revocationUnverified: number;
                            revocationFailed: number;
                            revocationNotNeeded: number;
                        };
                        completionPercent: number;
                        exceptions: {
                            decidedByDefault: number;
                            escalated: number;
                            delegated: number;
                            noEligibleReviewer: number;
                            revocationFailed: number;
                            revocationUnverified: number;
                        };
                        signedOff: {
                            by: string | null;
                            at: string | null;
                        };
                        created: boolean;
                        workflowId: string;
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaignId: string;
                        name: string;
                        /** @enum {string} */
                        status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                        launchedAt: string | null;
                        dueAt: string;
                        population: {
                            count: number | null;
                            sha256: string | null;
                        };
                        items: {
                            total: number;
                            decided: number;
                            undecided: number;
                            kept: number;
                            revoked: number;
                            revocationPending: number;
                            revocationVerified: number;
                            revocationUnverified: number;
                            revocationFailed: number;
                            revocationNotNeeded: number;
                        };
                        completionPercent: number;
                        exceptions: {
                            decidedByDefault: number;
                            escalated: number;
                            delegated: number;
                            noEligibleReviewer: number;
                            revocationFailed: number;
                            revocationUnverified: number;
                        };
                        signedOff: {
                            by: string | null;
                            at: string | null;
                        };
                        created: boolean;
                        workflowId: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listCampaignSchedules: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            scheduleId: string;
                            name: string | null;
                            defaultAction: string | null;
                            dueInSeconds: number | null;
                            launchedBy: string | null;
                            paused: boolean;
                            nextRuns: string[];
                            lastRunAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    scheduleCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        scheduleId: string;
                        nextRuns: string[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        campaignId: string;
                        name: string;
                        /** @enum {string} */
                        status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                        launchedAt: string | null;
                        dueAt: string;
                        population: {
                            count: number | null;
                            sha256: string | null;
                        };
                        items: {
                            total: number;
                            decided: number;
                            undecided: number;
                            kept: number;
                            revoked: number;
                            revocationPending: number;
                            revocationVerified: number;
                            revocationUnverified: number;
                            revocationFailed: number;
                            revocationNotNeeded: number;
                        };
                        completionPercent: number;
                        exceptions: {
                            decidedByDefault: number;
                            escalated: number;
                            delegated: number;
                            noEligibleReviewer: number;
                            revocationFailed: number;
                            revocationUnverified: number;
                        };
                        signedOff: {
                            by: string | null;
                            at: string | null;
                        };
                        live: {
                            campaignId: string;
                            name: string;
                            /** @enum {string} */
                            status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                            launchedAt: number;
                            dueAt: number;
                            population?: {
                                count: number;
                                sha256: string;
                            };
                            counts: {
                                total: number;
                                decided: number;
                                undecided: number;
                                kept: number;
                                revoked: number;
                                revocationPending: number;
                                revocationVerified: number;
                                revocationUnverified: number;
                                revocationFailed: number;
                                revocationNotNeeded: number;
                            };
                            countedAt?: number;
                            reminderRounds: number;
                            escalatedItems: number;
                            graceUntil?: number;
                            defaultApplied?: {
                                /** @enum {string} */
                                decision: "keep" | "revoke";
                                items: number;
                            };
                            signedOffBy?: string;
                        } | null;
                        burnDown: {
                            bucketSeconds: number;
                            points: {
                                at: string;
                                decided: number;
                                open: number;
                            }[];
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listCampaignItems: {
        parameters: {
            query?: {
                reviewer?: string;
                undecided?: "true" | "false";
                afterId?: number;
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description items: the reviewer's items, by id (page with afterId) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id, or no person has the reviewer email */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    decideCampaignItems: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    items: number[];
                    /** @enum {string} */
                    decision: "keep" | "revoke";
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description What was decided, and the items refused with why */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The campaign is no longer taking decisions (closed or past due) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    delegateCampaignItems: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    to: string;
                    items?: number[];
                };
            };
        };
        responses: {
            /** @description The items handed on, and those refused with why */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id, or no person has the email in to */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The campaign is no longer taking decisions (closed or past due) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    signOffCampaign: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The campaign's state and summary, closed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An item is not settled yet, or the campaign is not waiting for sign-off */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getCampaignReport: {
        parameters: {
            query?: {
                format?: "csv" | "json";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report as an attachment, in the format asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                    "text/csv": string;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No campaign has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listReconciliations: {
        parameters: {
            query: {
                resource: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            outcome: "running" | "completed" | "target_unavailable" | "failed";
                            counts: {
                                [key: string]: number;
                            };
                            error: string | null;
                            startedAt: string;
                            finishedAt: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No resource has that key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    reconcileResource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    resource: string;
                    /** @default false */
                    wait?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        resource: string;
                        outcome: string;
                        counts?: {
                            [key: string]: number;
                        };
                        error?: string;
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        resource: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No resource has that key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The resource is being reconciled already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    checkSeparationOfDuties: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        breaches: number;
                        opened: number;
                        resolved: number;
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listFindings: {
        parameters: {
            query?: {
                status?: "open" | "resolved";
                resource?: string;
                kind?: "orphan" | "missing" | "unknown_account" | "sod_violation";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            /** @enum {string} */
                            kind: "orphan" | "missing" | "unknown_account" | "sod_violation";
                            /** @enum {string} */
                            status: "open" | "resolved";
                            resource: string | null;
                            entitlement: string | null;
                            person: string | null;
                            account: string | null;
                            grantId: string | null;
                            firstSeenAt: string;
                            lastSeenAt: string;
                            resolvedAt: string | null;
                            resolution: string | null;
                            resolvedBy: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No resource has that key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getFinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        kind: "orphan" | "missing" | "unknown_account" | "sod_violation";
                        /** @enum {string} */
                        status: "open" | "resolved";
                        resource: string | null;
                        entitlement: string | null;
                        person: string | null;
                        account: string | null;
                        grantId: string | null;
                        firstSeenAt: string;
                        lastSeenAt: string;
                        resolvedAt: string | null;
                        resolution: string | null;
                        resolvedBy: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No finding has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    resolveFinding: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        kind: "orphan" | "missing" | "unknown_account" | "sod_violation";
                        /** @enum {string} */
                        status: "open" | "resolved";
                        resource: string | null;
                        entitlement: string | null;
                        person: string | null;
                        account: string | null;
                        grantId: string | null;
                        firstSeenAt: string;
                        lastSeenAt: string;
                        resolvedAt: string | null;
                        resolution: string | null;
                        resolvedBy: string | null;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No finding has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The finding is resolved already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listEvidencePacks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            framework: string;
                            period: string;
                            controls: string[];
                            requestedBy: string;
                            /** @enum {string} */
                            status: "requested" | "building" | "ready" | "failed";
                            progress: {
                                step: string;
                                done?: number;
                                total?: number;
                            } | null;
                            sha256: string | null;
                            bytes: number | null;
                            error: string | null;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    requestEvidencePack: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    framework: string;
                    period: string;
                    control?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        framework: string;
                        period: string;
                        controls: string[];
                        requestedBy: string;
                        /** @enum {string} */
                        status: "requested" | "building" | "ready" | "failed";
                        progress: {
                            step: string;
                            done?: number;
                            total?: number;
                        } | null;
                        sha256: string | null;
                        bytes: number | null;
                        error: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description validation_failed: an unknown framework or control, or not a period */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getEvidencePack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        framework: string;
                        period: string;
                        controls: string[];
                        requestedBy: string;
                        /** @enum {string} */
                        status: "requested" | "building" | "ready" | "failed";
                        progress: {
                            step: string;
                            done?: number;
                            total?: number;
                        } | null;
                        sha256: string | null;
                        bytes: number | null;
                        error: string | null;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No evidence pack has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    downloadEvidencePack: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The pack (x-content-sha256 is its SHA-256) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/zip": unknown;
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No evidence pack has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The pack is not ready to download yet (still building, or failed) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    annotateEvidenceException: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    test: "grant_without_prior_approval" | "approver_is_requester" | "approver_is_fulfiller" | "access_longer_than_maximum" | "leaver_removed_after_sla" | "review_after_due_date" | "decision_without_rationale" | "revocation_not_verified" | "reviewer_reviewed_own_access" | "reviewer_reviewed_access_they_fulfilled" | "ledger_read_without_role" | "rubber_stamping" | "log_review_incomplete";
                    key: string;
                    rootCause: string;
                    correctiveAction: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: number;
                        test: string;
                        key: string;
                        annotatedBy: string;
                        annotatedAt: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listLogReviews: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            period: string;
                            periodStart: string;
                            periodEnd: string;
                            /** @enum {string} */
                            status: "open" | "signed_off";
                            reviewerGroup: string;
                            dueAt: string;
                            createdAt: string;
                            signedOffBy: string | null;
                            signedOffAt: string | null;
                            items: {
                                total: number;
                                reviewed: number;
                                actionTaken: number;
                            };
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller may not do this (recorded in the ledger as security.auth.denied) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    openLogReview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    period?: string;
                };
            };
        };
        responses: {
            /** @description The review of that month, opened before */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        period: string;
                        periodStart: string;
                        periodEnd: string;
                        /** @enum {string} */
                        status: "open" | "signed_off";
                        reviewerGroup: string;
                        dueAt: string;
                        createdAt: string;
                        signedOffBy: string | null;
                        signedOffAt: string | null;
                        items: {
                            total: number;
                            reviewed: number;
                            actionTaken: number;
                        };
                    };
                };
            };
            /** @description The review, opened now */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        period: string;
                        periodStart: string;
                        periodEnd: string;
                        /** @enum {string} */
                        status: "open" | "signed_off";
                        reviewerGroup: string;
                        dueAt: string;
                        createdAt: string;
                        signedOffBy: string | null;
                        signedOffAt: string | null;
                        items: {
                            total: number;
                            reviewed: number;
                            actionTaken: number;
                        };
                    };
                };
            };
            /** @description The period is not a month like 2026-11, or has not started */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller may not do this (recorded in the ledger as security.auth.denied) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listLogReviewItems: {
        parameters: {
            query?: {
                unreviewed?: "true" | "false";
                afterId?: number;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        review: {
                            id: string;
                            period: string;
                            periodStart: string;
                            periodEnd: string;
                            /** @enum {string} */
                            status: "open" | "signed_off";
                            reviewerGroup: string;
                            dueAt: string;
                            createdAt: string;
                            signedOffBy: string | null;
                            signedOffAt: string | null;
                            items: {
                                total: number;
                                reviewed: number;
                                actionTaken: number;
                            };
                        };
                        items: {
                            id: number;
                            seq: number;
                            eventType: string;
                            summary: string;
                            reviewedBy: string | null;
                            reviewedAt: string | null;
                            note: string | null;
                            actionTaken: boolean;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller may not do this (recorded in the ledger as security.auth.denied) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No such review */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    markLogReviewItemsReviewed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    items: number[];
                    note?: string;
                    /** @default false */
                    actionTaken?: boolean;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reviewed: number[];
                        alreadyReviewed: number[];
                    };
                };
            };
            /** @description An item is not in this review, or action was taken without a note */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller may not do this (recorded in the ledger as security.auth.denied) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No such review */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The review is signed off */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    signOffLogReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        period: string;
                        periodStart: string;
                        periodEnd: string;
                        /** @enum {string} */
                        status: "open" | "signed_off";
                        reviewerGroup: string;
                        dueAt: string;
                        createdAt: string;
                        signedOffBy: string | null;
                        signedOffAt: string | null;
                        items: {
                            total: number;
                            reviewed: number;
                            actionTaken: number;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller may not do this (recorded in the ledger as security.auth.denied) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No such review */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description An item is not reviewed yet, or the review is signed off already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listScimConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            source: string;
                            prefix: string;
                            /** @enum {string} */
                            status: "live" | "revoked";
                            createdBy: string;
                            createdAt: string;
                            revokedAt: string | null;
                            lastUsedAt: string | null;
                        }[];
                    };
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    createScimConnection: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connection: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            source: string;
                            prefix: string;
                            /** @enum {string} */
                            status: "live" | "revoked";
                            createdBy: string;
                            createdAt: string;
                            revokedAt: string | null;
                            lastUsedAt: string | null;
                        };
                        token: string;
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description A connection has that name already */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    revokeScimConnection: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connection: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            source: string;
                            prefix: string;
                            /** @enum {string} */
                            status: "live" | "revoked";
                            createdBy: string;
                            createdAt: string;
                            revokedAt: string | null;
                            lastUsedAt: string | null;
                        };
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            /** @description No SCIM connection has that name */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    createPasskeyRegistrationOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        challenge: string;
                        rp: {
                            name: string;
                            id?: string;
                        };
                        user: {
                            id: string;
                            name: string;
                            displayName: string;
                        };
                        pubKeyCredParams: {
                            /** @enum {string} */
                            type: "public-key";
                            alg: number;
                        }[];
                        timeout?: number;
                        excludeCredentials?: {
                            id: string;
                            /** @enum {string} */
                            type: "public-key";
                            transports?: ("ble" | "cable" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb")[];
                        }[];
                        authenticatorSelection?: {
                            /** @enum {string} */
                            authenticatorAttachment?: "platform" | "cross-platform";
                            /** @enum {string} */
                            residentKey?: "discouraged" | "preferred" | "required";
                            requireResidentKey?: boolean;
                            /** @enum {string} */
                            userVerification?: "discouraged" | "preferred" | "required";
                        };
                        attestation?: string;
                        extensions?: {
                            credProps?: boolean;
                        };
                        hints?: string[];
                    };
                };
            };
            /** @description No token or session, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listPasskeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: uuid */
                            id: string;
                            name: string;
                            createdAt: string;
                            lastUsedAt: string | null;
                        }[];
                    };
                };
            };
            /** @description No token or session, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    registerPasskey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    response: {
                        id: string;
                        rawId: string;
                        /** @enum {string} */
                        type: "public-key";
                        response: {
                            clientDataJSON: string;
                            attestationObject: string;
                            authenticatorData?: string;
                            transports?: ("ble" | "cable" | "hybrid" | "internal" | "nfc" | "smart-card" | "usb")[];
                            publicKeyAlgorithm?: number;
                            publicKey?: string;
                        };
                        /** @enum {string} */
                        authenticatorAttachment?: "platform" | "cross-platform";
                        /** @default {} */
                        clientExtensionResults?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: uuid */
                        id: string;
                        name: string;
                        createdAt: string;
                        lastUsedAt: string | null;
                    };
                };
            };
            /** @description The response does not verify, or answers no challenge handed to you (expired, used) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token or session, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            /** @description This passkey is already registered */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                state?: "waiting" | "decided";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            requestId: string;
                            /** @enum {string} */
                            status: "pending" | "pending_approval" | "provisioning" | "awaiting_fulfilment" | "provisioning_failed" | "granted" | "denied" | "cancelled" | "expired";
                            requester: {
                                email: string;
                                name: string;
                            };
                            resource: {
                                key: string;
                                name: string;
                            };
                            entitlement: {
                                key: string;
                                name: string;
                                /** @enum {string} */
                                risk: "low" | "medium" | "high" | "critical";
                            };
                            reason: string | null;
                            durationSeconds: number;
                            step: {
                                index: number;
                                count: number;
                                name: string | null;
                            };
                            required?: number;
                            approvedBy?: string[];
                            createdAt: string;
                            decision?: {
                                /** @enum {string} */
                                decision: "approve" | "deny";
                                comment: string | null;
                                decidedAt: string;
                            };
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A bad state, limit or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listMyReviews: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                state?: "open" | "decided";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: number;
                            campaign: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                                dueAt: string;
                            };
                            holder: {
                                email: string;
                                name: string;
                            };
                            resource: {
                                key: string;
                                name: string;
                            };
                            entitlement: {
                                key: string;
                                name: string;
                                /** @enum {string} */
                                risk: "low" | "medium" | "high" | "critical";
                            };
                            grantId: string;
                            grantedAt: string;
                            requestId: string | null;
                            /** @enum {string|null} */
                            decision: "keep" | "revoke" | null;
                            decidedAt: string | null;
                            reason: string | null;
                            delegated: boolean;
                            escalated: boolean;
                        }[];
                        nextCursor: string | null;
                        progress: {
                            id: string;
                            name: string;
                            /** @enum {string} */
                            status: "launching" | "reviewing" | "enforcing" | "awaiting_signoff" | "closed";
                            dueAt: string;
                            total: number;
                            decided: number;
                        }[];
                    };
                };
            };
            /** @description A bad state, limit or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRefusals"];
        };
    };
    getDashboard: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        generatedAt: string;
                        openRequests: {
                            total: number;
                            byStatus: {
                                [key: string]: number;
                            };
                            oldestCreatedAt: string | null;
                            age: {
                                bucket: string;
                                count: number;
                            }[];
                        };
                        slaBreaches: {
                            approvals: {
                                count: number;
                                oldest: {
                                    requestId: string;
                                    requester: string;
                                    entitlement: string;
                                    waitingSince: string;
                                    escalateAfterSeconds: number;
                                }[];
                            };
                            leavers: {
                                slaSeconds: number;
                                breachedLast30Days: number;
                                overdueNow: number;
                            };
                        };
                        grantsByRisk: {
                            /** @enum {string} */
                            risk: "low" | "medium" | "high" | "critical";
                            count: number;
                        }[];
                        campaigns: {
                            id: string;
                            name: string;
                            status: string;
                            dueAt: string;
                            total: number;
                            decided: number;
                        }[];
                        ledger: {
                            entries: number;
                            pendingIntake: number;
                            latestCheckpoint: {
                                id: number;
                                treeSize: number;
                                createdAt: string;
                            } | null;
                            unsealedEntries: number;
                        };
                        requestVolume: {
                            day: string;
                            count: number;
                        }[];
                        timeToApprove: {
                            approved: number;
                            autoApproved: number;
                            medianSeconds: number | null;
                            p90Seconds: number | null;
                            buckets: {
                                bucket: string;
                                count: number;
                            }[];
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller is not an admin */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listAuditCheckpoints: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: number;
                            treeSize: number;
                            rootHash: string;
                            time: string | null;
                            createdAt: string;
                            keyId: string;
                            signedBy: string[];
                            otherSignatures: string[];
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description A bad limit or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller is neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    downloadAuditCheckpointNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note, byte for byte as signed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            /** @description The id is not a positive whole number */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller is neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No checkpoint has that id */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    proveAuditEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        event: {
                            seq: number;
                            recorded_at: string;
                            event: unknown;
                        };
                        leafIndex: number;
                        treeSize: number;
                        leafHash: string;
                        auditPath: string[];
                        checkpoint: string;
                    };
                };
            };
            /** @description The event id is not a UUID */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller is neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No event has that id (not_found), or it is not under a signed checkpoint yet (not_yet_checkpointed) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
    listPolicyVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        key: string;
                        description: string | null;
                        /** @enum {string} */
                        status: "active" | "retired";
                        currentVersion: number;
                        items: {
                            version: number;
                            definition: unknown;
                            definitionHash: string;
                            createdBy: string;
                            createdAt: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["ValidationFailed"];
            /** @description No token, or an unknown, revoked or expired one */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description The caller is neither an admin nor an auditor */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            /** @description No policy has that key */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            message: string;
                            details?: unknown;
                        };
                    };
                };
            };
            429: components["responses"]["TooManyRefusals"];
        };
    };
}
