/**
 * What happens to a resource's access when its holder moves (a new manager or department): a
 * review by the new manager (the default), removal, or nothing.
 */
export const MOVE_ACTIONS = ['review', 'revoke', 'keep'] as const;
/** A move action. @public */
export type MoveAction = (typeof MOVE_ACTIONS)[number];
