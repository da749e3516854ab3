/**
 * 年度服务目标, progress and 志愿服务证明: one plain function per endpoint (types only from the
 * contracts, so no zod reaches the bundles).
 */
import type { TargetGroup } from '../../contracts/service-states.ts';
import type {
  CertificatePreview,
  CertificateView,
  CountyTargets,
  MyProgress,
  ProgressRow,
  ProgressStatus,
  ProgressSummary,
  PublicCertificate,
  UnitProgress,
} from '../../contracts/service-targets.ts';
import { API_BASE, http, withQuery } from './client.ts';
import type { Page } from './index.ts';

export type {
  CertificatePreview,
  CertificateView,
  CountyTargets,
  GroupTarget,
  MyProgress,
  Progress,
  ProgressRow,
  ProgressStatus,
  ProgressSummary,
  PublicCertificate,
  UnitProgress,
} from '../../contracts/service-targets.ts';
export type { TargetGroup };

/** The groups in order, most specific first (mirrors contracts/service-states.ts TARGET_GROUPS). */
export const TARGET_GROUP_LIST: readonly TargetGroup[] = ['inServiceCadre', 'inService', 'all'];
export const PROGRESS_STATUS_LIST: readonly ProgressStatus[] = ['behind', 'onTrack', 'met'];

// Targets
export const serviceTargets = (q: { year?: number; county?: string } = {}) =>
  http.get<CountyTargets[]>('/service/targets', q);
export const putServiceTarget = (
  county: string,
  year: number,
  group: TargetGroup,
  body: { minTimes: number; minHours: number; remindOn: string[] },
) => http.put<CountyTargets>(`/service/targets/${county}/${year}/${group}`, body);
export const deleteServiceTarget = (county: string, year: number, group: TargetGroup) =>
  http.del<CountyTargets>(`/service/targets/${county}/${year}/${group}`);

// Progress
export interface ProgressQuery {
  year?: number;
  region?: string;
  compoundId?: number;
  status?: ProgressStatus | 'notMet' | 'all';
  group?: TargetGroup;
}
export const serviceProgress = (q: ProgressQuery & { cursor?: string; limit?: number }) =>
  http.get<Page<ProgressRow>>('/service/progress', { ...q });
export const serviceProgressSummary = (q: { year?: number; region?: string; compoundId?: number }) =>
  http.get<ProgressSummary>('/service/progress/summary', q);
export const serviceProgressXlsxUrl = (q: ProgressQuery) =>
  `${API_BASE}${withQuery('/service/progress.xlsx', { ...q })}`;
export const unitServiceProgress = (unitId: number, year?: number) =>
  http.get<UnitProgress>(`/service/units/${unitId}/progress`, { year });
export const unitServiceProgressXlsxUrl = (unitId: number, year?: number) =>
  `${API_BASE}${withQuery(`/service/units/${unitId}/progress.xlsx`, { year })}`;

// Mine
export const myServiceProgress = (year?: number) => http.get<MyProgress>('/me/service/progress', { year });
export const readServiceReminder = (id: number) =>
  http.post<{ ok: true }>(`/me/service/reminders/${id}/read`);
export const myCertificates = () => http.get<CertificateView[]>('/me/service/certificates');
export const myCertificatePdfUrl = (id: number) => `${API_BASE}/me/service/certificates/${id}/pdf`;

// Certificates
export const listCertificates = (q: {
  region?: string;
  memberId?: number;
  number?: string;
  cursor?: string;
  limit?: number;
}) => http.get<Page<CertificateView>>('/service/certificates', q);
export const previewCertificate = (q: { memberId: number; periodFrom: string; periodTo: string }) =>
  http.get<CertificatePreview>('/service/certificates/preview', q);
export const issueCertificate = (body: { memberId: number; periodFrom: string; periodTo: string }) =>
  http.post<CertificateView>('/service/certificates', body);
export const revokeCertificate = (id: number, reason: string) =>
  http.post<CertificateView>(`/service/certificates/${id}/revoke`, { reason });
export const certificatePdfUrl = (id: number) => `${API_BASE}/service/certificates/${id}/pdf`;

/** Anyone: a certificate by its number (no login). */
export const verifyCertificate = (number: string) =>
  http.get<PublicCertificate>(`/public/service/certificates/${encodeURIComponent(number)}`, undefined, {
    allow401: true,
  });
