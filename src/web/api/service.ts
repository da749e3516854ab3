import type { Attendance, MyClaim, PostView, RecordView, SlotView } from '../../contracts/service.ts';
import { http } from './client.ts';
import type { Page } from './index.ts';

/**
 * 志愿服务 for members (the phone app): posts of my community, claims, attendance, my records.
 * Types come from the zod contracts, type-only, so zod stays out of the bundle.
 */

export type {
  ClaimStatus,
  RecordMethod,
  RecordStatus,
  ServiceKind,
} from '../../contracts/service-states.ts';
export type { Attendance, MyClaim, PostView, RecordView, SlotView };

/** Open posts of my community: my compound's and my skills' first. */
export const myServicePosts = () => http.get<PostView[]>('/me/service/posts');
/** Claims a place on a slot, or a place in its line when it is full; answers with the post. */
export const claimServiceSlot = (slotId: number) => http.post<PostView>(`/me/service/slots/${slotId}/claim`);
/** Gives a claim back (a place only before the post's deadline); answers with the post. */
export const cancelServiceClaim = (claimId: number) =>
  http.post<PostView>(`/me/service/claims/${claimId}/cancel`);
/** My claims, soonest first, each with my record on it. */
export const myServiceClaims = () => http.get<MyClaim[]>('/me/service/claims');
/** Check in or out: the scanned QR's token, its six digits for a slot, or a printed hour code. */
export const attendService = (body: Attendance) => http.post<RecordView>('/me/service/attendance', body);
/** My service records, newest first. */
export const myServiceRecords = (q: { cursor?: string; limit?: number } = {}) =>
  http.get<Page<RecordView>>('/me/service/records', q);
/** Notes what I solved for residents on one of my records, optionally the ticket's number. */
export const recordServiceProblems = (
  recordId: number,
  body: { problemsSolved: string; ticketNumber?: string },
) => http.post<RecordView>(`/me/service/records/${recordId}/problems`, body);
