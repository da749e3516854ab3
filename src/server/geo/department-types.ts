/**
 * District (county-level) offices, public institutions and utilities that a community can
 * whistle (社区吹哨). The seed creates one department per type in every county-level region
 * and prefixes the county's name: '城市管理局' becomes '平城区城市管理局'.
 *
 * `type` is a stable code: responsibility items, routing and tests refer to it, so never rename
 * one; add new types instead.
 */

/** department: a government bureau; utility: a supply or service company; agency: a public institution, brigade or mass organisation. */
export type DepartmentKind = 'department' | 'utility' | 'agency';

export interface DepartmentType {
  /** Stable camelCase code. */
  type: string;
  /** Name without the county prefix. */
  name: string;
  kind: DepartmentKind;
}

export const DEPARTMENT_TYPES: readonly DepartmentType[] = [
  // The first seventeen predate this module; their codes and names are relied on elsewhere.
  { type: 'cityManagement', name: '城市管理局', kind: 'department' },
  { type: 'housing', name: '住房和城乡建设局', kind: 'department' },
  { type: 'market', name: '市场监督管理局', kind: 'department' },
  { type: 'environment', name: '生态环境分局', kind: 'department' },
  { type: 'naturalResources', name: '自然资源分局', kind: 'department' },
  { type: 'agriculture', name: '农业农村局', kind: 'department' },
  { type: 'water', name: '水务局', kind: 'department' },
  { type: 'heating', name: '供热公司', kind: 'utility' },
  { type: 'power', name: '供电公司', kind: 'utility' },
  { type: 'gas', name: '燃气公司', kind: 'utility' },
  { type: 'police', name: '公安分局', kind: 'department' },
  { type: 'civilAffairs', name: '民政局', kind: 'department' },
  { type: 'health', name: '卫生健康局', kind: 'department' },
  { type: 'education', name: '教育局', kind: 'department' },
  { type: 'cultureTourism', name: '文化和旅游局', kind: 'department' },
  { type: 'transport', name: '交通运输局', kind: 'department' },
  { type: 'emergency', name: '应急管理局', kind: 'department' },

  // Other government bureaus.
  { type: 'humanResources', name: '人力资源和社会保障局', kind: 'department' },
  { type: 'medicalSecurity', name: '医疗保障局', kind: 'department' },
  { type: 'veteranAffairs', name: '退役军人事务局', kind: 'department' },
  { type: 'justice', name: '司法局', kind: 'department' },
  { type: 'petitions', name: '信访局', kind: 'department' },
  { type: 'development', name: '发展和改革局', kind: 'department' },
  { type: 'industry', name: '工业和信息化局', kind: 'department' },
  { type: 'finance', name: '财政局', kind: 'department' },
  { type: 'commerce', name: '商务局', kind: 'department' },
  { type: 'audit', name: '审计局', kind: 'department' },
  { type: 'statistics', name: '统计局', kind: 'department' },
  { type: 'administrativeApproval', name: '行政审批服务管理局', kind: 'department' },
  { type: 'forestry', name: '林业局', kind: 'department' },

  // Public institutions and brigades.
  { type: 'landscaping', name: '园林绿化中心', kind: 'agency' },
  { type: 'sanitation', name: '环境卫生服务中心', kind: 'agency' },
  { type: 'municipalFacilities', name: '市政设施管理中心', kind: 'agency' },
  { type: 'streetLighting', name: '路灯管理所', kind: 'agency' },
  { type: 'lawEnforcement', name: '城市管理综合行政执法大队', kind: 'agency' },
  { type: 'trafficPolice', name: '交警大队', kind: 'agency' },
  { type: 'fireRescue', name: '消防救援大队', kind: 'agency' },
  { type: 'cdc', name: '疾病预防控制中心', kind: 'agency' },
  { type: 'housingFund', name: '住房公积金管理中心', kind: 'agency' },
  { type: 'realEstateRegistration', name: '不动产登记中心', kind: 'agency' },
  { type: 'housingExpropriation', name: '房屋征收中心', kind: 'agency' },
  { type: 'sports', name: '体育事业发展中心', kind: 'agency' },
  { type: 'socialSecurityCentre', name: '社会保险事业服务中心', kind: 'agency' },

  // Mass organisations.
  { type: 'disabledPersons', name: '残疾人联合会', kind: 'agency' },
  { type: 'womensFederation', name: '妇女联合会', kind: 'agency' },
  { type: 'youthLeague', name: '团委', kind: 'agency' },
  { type: 'tradeUnion', name: '总工会', kind: 'agency' },
  { type: 'redCross', name: '红十字会', kind: 'agency' },

  // Utilities and service companies.
  { type: 'waterSupply', name: '自来水公司', kind: 'utility' },
  { type: 'drainage', name: '排水和污水处理公司', kind: 'utility' },
  { type: 'unicom', name: '联通分公司', kind: 'utility' },
  { type: 'mobile', name: '移动分公司', kind: 'utility' },
  { type: 'telecom', name: '电信分公司', kind: 'utility' },
  { type: 'broadcastNetwork', name: '广电网络分公司', kind: 'utility' },
  { type: 'postal', name: '邮政分公司', kind: 'utility' },
  { type: 'publicTransit', name: '公交公司', kind: 'utility' },
];

const NAMES: ReadonlyMap<string, string> = new Map(DEPARTMENT_TYPES.map((d) => [d.type, d.name]));

/** The name (without county prefix) of a department type, or undefined for an unknown code. */
export function departmentTypeName(type: string): string | undefined {
  return NAMES.get(type);
}

export function isDepartmentType(type: string): boolean {
  return NAMES.has(type);
}
