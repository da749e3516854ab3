import type { z } from 'zod';
import type {
  MerchantCreate as MerchantCreateSchema,
  OfferCreate as OfferCreateSchema,
} from '../../contracts/points.ts';
import type {
  MerchantAdminView,
  MerchantApplicationCreate as MerchantApplicationCreateSchema,
  MerchantApplicationView,
  MerchantStatement,
  MyCounter,
  OfferAdminView,
  OfferState,
} from '../../contracts/points-merchants.ts';
import { API_BASE, http, withQuery } from './client.ts';
import type { Page } from './index.ts';

/**
 * 商家: applying to join (phone), deciding applications and managing merchants and offers
 * (console), the counters I work and monthly statements (both). Types come from the zod
 * contracts, type-only, so zod stays out of the bundle.
 */

export type { ApplicationStatus, OfferCategory } from '../../contracts/points-states.ts';
export type {
  MerchantAdminView,
  MerchantApplicationView,
  MerchantStatement,
  MyCounter,
  OfferAdminView,
  OfferState,
};
export type MerchantApplicationCreate = z.input<typeof MerchantApplicationCreateSchema>;
export type MerchantCreate = z.input<typeof MerchantCreateSchema>;
export type OfferCreate = z.input<typeof OfferCreateSchema>;

// Applications.
export const applyAsMerchant = (body: MerchantApplicationCreate) =>
  http.post<MerchantApplicationView>('/me/points/merchant-applications', body);
export const myMerchantApplications = () =>
  http.get<MerchantApplicationView[]>('/me/points/merchant-applications');
export const listMerchantApplications = (status: MerchantApplicationView['status'] = 'pending') =>
  http.get<MerchantApplicationView[]>('/points/merchant-applications', { status });
export const approveMerchantApplication = (id: number, staffPhones: string[] = []) =>
  http.post<MerchantApplicationView>(`/points/merchant-applications/${id}/approve`, { staffPhones });
export const rejectMerchantApplication = (id: number, reason: string) =>
  http.post<MerchantApplicationView>(`/points/merchant-applications/${id}/reject`, { reason });
export const revealMerchantApplication = (id: number) =>
  http.post<{ contactName: string; contactPhone: string }>(`/points/merchant-applications/${id}/reveal`);

// Merchants and offers.
export const listMerchants = (q: { region?: string; q?: string; cursor?: string; limit?: number } = {}) =>
  http.get<Page<MerchantAdminView>>('/points/merchants', q);
export const registerMerchant = (body: MerchantCreate) =>
  http.post<{ id: number; name: string; communityCode: string; address: string | null }>(
    '/points/merchants',
    body,
  );
export const addOffer = (merchantId: number, body: OfferCreate) =>
  http.post<unknown>(`/points/merchants/${merchantId}/offers`, body);
export const changeOfferStock = (offerId: number, change: number) =>
  http.post<OfferAdminView>(`/points/offers/${offerId}/stock`, { change });
export const closeOffer = (offerId: number) => http.post<OfferAdminView>(`/points/offers/${offerId}/close`);
export const myCounters = () => http.get<MyCounter[]>('/merchant/counters');

// Statements.
export const merchantStatement = (merchantId: number, month: string) =>
  http.get<MerchantStatement>(`/points/merchants/${merchantId}/statement`, { month });
export const merchantStatementXlsxUrl = (merchantId: number, month: string) =>
  API_BASE + withQuery(`/points/merchants/${merchantId}/statement.xlsx`, { month });
