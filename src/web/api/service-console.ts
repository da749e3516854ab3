import type { z } from 'zod';
import type {
  HourCodeView as HourCodeViewSchema,
  PostCreate as PostCreateSchema,
  PostView,
  QrView,
  RecordDetail as RecordDetailSchema,
  RecordView,
  Roster,
  SlotCreate,
  Verify,
} from '../../contracts/service.ts';
import type { PostStatus, RecordStatus } from '../../contracts/service-states.ts';
import { http } from './client.ts';
import type { Page } from './index.ts';

/**
 * 志愿服务 for organisers (party staff of the post's place): posts and their slots, a slot's
 * roster, the rotating check-in code, printed hour codes, attendance entered by hand, and the
 * verification queue. The member's own calls (claims, attendance) live elsewhere.
 */

export type { PostView, QrView, RecordView, Roster, SlotCreate, Verify } from '../../contracts/service.ts';
export type {
  ClaimStatus,
  PostStatus,
  RecordMethod,
  RecordStatus,
  ServiceKind,
  SlotStatus,
} from '../../contracts/service-states.ts';
export type PostCreate = z.input<typeof PostCreateSchema>;
export type SlotView = PostView['slots'][number];
export type RosterEntry = Roster['entries'][number];
export type HourCodeView = z.infer<typeof HourCodeViewSchema>;
export type RecordDetail = z.infer<typeof RecordDetailSchema>;
export type RecordEvent = RecordDetail['events'][number];

// Posts and slots
export const createServicePost = (body: PostCreate) => http.post<PostView>('/service/posts', body);
export const listServicePosts = (q: { status?: PostStatus; q?: string; cursor?: string; limit?: number }) =>
  http.get<Page<PostView>>('/service/posts', q);
export const getServicePost = (id: number) => http.get<PostView>(`/service/posts/${id}`);
export const addServiceSlots = (id: number, slots: SlotCreate[]) =>
  http.post<PostView>(`/service/posts/${id}/slots`, { slots });
export const closeServicePost = (id: number) => http.post<PostView>(`/service/posts/${id}/close`, {});
export const cancelServiceSlot = (slotId: number, reason: string) =>
  http.post<PostView>(`/service/slots/${slotId}/cancel`, { reason });

// A slot's attendance
export const slotRoster = (slotId: number) => http.get<Roster>(`/service/slots/${slotId}/roster`);
/** What the organiser's screen shows now; it changes every 30 s (`expiresInSeconds`). */
export const slotQr = (slotId: number, phase: 'in' | 'out') =>
  http.get<QrView>(`/service/slots/${slotId}/qr`, { phase });
export const createHourCodes = (slotId: number, count: number) =>
  http.post<HourCodeView[]>(`/service/slots/${slotId}/codes`, { count });
export const slotHourCodes = (slotId: number) => http.get<HourCodeView[]>(`/service/slots/${slotId}/codes`);
export const enterServiceRecord = (
  slotId: number,
  body: { memberId: number; minutes: number; note?: string },
) => http.post<RecordView>(`/service/slots/${slotId}/records`, body);

// Records and verification
export const listServiceRecords = (q: {
  status?: RecordStatus;
  postId?: number;
  cursor?: string;
  limit?: number;
}) => http.get<Page<RecordView>>('/service/records', q);
export const getServiceRecord = (id: number) => http.get<RecordDetail>(`/service/records/${id}`);
export const verifyServiceRecord = (id: number, body: Verify) =>
  http.post<RecordView>(`/service/records/${id}/verify`, body);
export const recordServiceProblems = (id: number, body: { problemsSolved: string; ticketNumber?: string }) =>
  http.post<RecordView>(`/service/records/${id}/problems`, body);
