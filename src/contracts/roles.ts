/** Roles, lowest to highest reach. A role is always held on a node of a hierarchy. */
export const ROLES = [
  'resident',
  'member',
  'merchant',
  'unitAdmin',
  'gridWorker',
  'compoundSecretary',
  'departmentOfficer',
  'communityAdmin',
  'townshipAdmin',
  'countyAdmin',
  'cityAdmin',
] as const;
export type Role = (typeof ROLES)[number];

/** Which kind of node each role is granted on. */
export const ROLE_NODE: Record<Role, 'region' | 'compound' | 'grid' | 'department' | 'household'> = {
  resident: 'compound',
  member: 'compound',
  merchant: 'region',
  unitAdmin: 'region',
  gridWorker: 'grid',
  compoundSecretary: 'compound',
  departmentOfficer: 'department',
  communityAdmin: 'region',
  townshipAdmin: 'region',
  countyAdmin: 'region',
  cityAdmin: 'region',
};

/** For region-scoped admin roles, the region level they must be granted on. */
export const ADMIN_LEVEL: Partial<Record<Role, 'city' | 'county' | 'township' | 'community'>> = {
  communityAdmin: 'community',
  townshipAdmin: 'township',
  countyAdmin: 'county',
  cityAdmin: 'city',
};

export const STAFF_ROLES: readonly Role[] = [
  'gridWorker',
  'compoundSecretary',
  'departmentOfficer',
  'communityAdmin',
  'townshipAdmin',
  'countyAdmin',
  'cityAdmin',
];
export const ADMIN_ROLES: readonly Role[] = ['communityAdmin', 'townshipAdmin', 'countyAdmin', 'cityAdmin'];
/**
 * Who may use the management console: staff, and co-building units' administrators (a unit's
 * party-work secretary follows its staff's registrations there; which units comes from
 * party_unit_admins, the role only opens the door).
 */
export const CONSOLE_ROLES: readonly Role[] = [...STAFF_ROLES, 'unitAdmin'];

export const ROLE_LABELS_ZH: Record<Role, string> = {
  resident: '居民',
  member: '党员',
  merchant: '商家',
  unitAdmin: '共建单位管理员',
  gridWorker: '网格员',
  compoundSecretary: '小区书记',
  departmentOfficer: '部门工作人员',
  communityAdmin: '社区管理员',
  townshipAdmin: '街道（乡镇）管理员',
  countyAdmin: '县（区）管理员',
  cityAdmin: '市级管理员',
};

export const ROLE_LABELS_EN: Record<Role, string> = {
  resident: 'Resident',
  member: 'Party member',
  merchant: 'Merchant',
  unitAdmin: 'Co-building unit admin',
  gridWorker: 'Grid worker',
  compoundSecretary: 'Compound secretary',
  departmentOfficer: 'Department officer',
  communityAdmin: 'Community admin',
  townshipAdmin: 'Township admin',
  countyAdmin: 'County admin',
  cityAdmin: 'City admin',
};

/** Tickets: staff who see every ticket placed in their area and may key one in for a caller. */
export const TICKET_AREA_ROLES: readonly Role[] = [
  'gridWorker',
  'compoundSecretary',
  'communityAdmin',
  'townshipAdmin',
  'countyAdmin',
  'cityAdmin',
];
/** Tickets: who accepts, whistles and confirms: the community, or the township acting for it. */
export const TICKET_COMMUNITY_ROLES: readonly Role[] = ['communityAdmin', 'townshipAdmin'];
/** Tickets: who supervises (督办), approves extensions and may move a ticket anywhere in the area. */
export const TICKET_SUPERVISOR_ROLES: readonly Role[] = ['townshipAdmin', 'countyAdmin', 'cityAdmin'];
