/**
 * Who may see and change party records. Party membership is sensitive personal information:
 * only party-work roles of the member's region see member lists; residents see nothing of it;
 * a member sees their own record and their branch (service.ts: myParty).
 */
import type { Role } from '../../contracts/roles.ts';
import { type Actor, coversPath, scopesFor } from '../core/access.ts';

/** 小区书记 in their compound, community workers and the organisation department above. */
export const PARTY_ROLES: readonly Role[] = [
  'compoundSecretary',
  'communityAdmin',
  'townshipAdmin',
  'countyAdmin',
  'cityAdmin',
];
/** Organisations are set up by the community and those above it. */
export const ORG_ROLES: readonly Role[] = ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];
/** Unmasked ID numbers and phones: community level and above, every read audited. */
export const REVEAL_ROLES: readonly Role[] = ORG_ROLES;
/** A county's five-colour scheme. */
export const SCHEME_ROLES: readonly Role[] = ['countyAdmin', 'cityAdmin'];

export const memberScopes = (a: Actor) => scopesFor(a, PARTY_ROLES);
export const canEditMemberAt = (a: Actor, path: string) => coversPath(a, PARTY_ROLES, path);
export const canRevealAt = (a: Actor, path: string) => coversPath(a, REVEAL_ROLES, path);
export const orgScopes = (a: Actor) => scopesFor(a, ORG_ROLES);
export const canEditOrgAt = (a: Actor, communityPath: string) => coversPath(a, ORG_ROLES, communityPath);
export const canSetSchemeAt = (a: Actor, countyPath: string) => coversPath(a, SCHEME_ROLES, countyPath);
