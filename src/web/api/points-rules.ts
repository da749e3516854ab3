import type { z } from 'zod';
import type {
  DeclarationCreate as DeclarationCreateSchema,
  DeclarationDecide,
  DeclarationView,
  MyDeclarations,
  MyPosting,
  ObjectionCreate,
  ObjectionResolve,
  ObjectionView,
  PostingRowView,
  PostingSummary,
  PostingView,
  RuleInput,
  RulesView,
  RuleView,
} from '../../contracts/points-rules.ts';
import type { DeclarationStatus, PostingStatus } from '../../contracts/points-states.ts';
import { API_BASE, http } from './client.ts';
import type { Page } from './index.ts';

/**
 * 积分规则, 自主申报, 季度公示: a county's rules (console), declaring and reading the posting (phone),
 * deciding declarations and answering objections (console). Types come from the zod contracts,
 * type-only, so zod stays out of the bundle.
 */

export type {
  DeclarationStatus,
  ObjectionStatus,
  PostingStatus,
  RuleUnit,
} from '../../contracts/points-states.ts';
export type {
  DeclarationView,
  MyDeclarations,
  MyPosting,
  ObjectionView,
  PostingRowView,
  PostingSummary,
  PostingView,
  RuleInput,
  RulesView,
  RuleView,
};
export type DeclarationCreate = z.input<typeof DeclarationCreateSchema>;

// Rules
export const countyRules = (county: string) => http.get<RulesView>(`/points/rules/${county}`);
export const setCountyRules = (county: string, rules: RuleInput[]) =>
  http.put<RulesView>(`/points/rules/${county}`, { rules });

// Declarations
export const myDeclarations = () => http.get<MyDeclarations>('/me/points/declarations');
export const uploadDeclarationPhotos = (files: readonly Blob[]) => {
  const form = new FormData();
  for (const f of files) form.append('photos', f, f instanceof File ? f.name : 'photo.jpg');
  return http.post<{ id: number; width: number; height: number }[]>('/me/points/declarations/photos', form);
};
export const declarePoints = (body: DeclarationCreate) =>
  http.post<DeclarationView>('/me/points/declarations', body);
export const listDeclarations = (q: {
  status?: DeclarationStatus;
  region?: string;
  cursor?: string;
  limit?: number;
}) => http.get<Page<DeclarationView>>('/points/declarations', q);
export const decideDeclaration = (id: number, body: DeclarationDecide) =>
  http.post<DeclarationView>(`/points/declarations/${id}/decide`, body);
export const declarationPhotoUrl = (id: number, fileId: number, variant: 'full' | 'thumb' = 'full') =>
  `${API_BASE}/points/declarations/${id}/photos/${fileId}${variant === 'thumb' ? '?variant=thumb' : ''}`;

// Postings
export const myPosting = (q: { postingId?: number; orgId?: number } = {}) =>
  http.get<MyPosting>('/me/points/posting', q);
export const objectToPosting = (postingId: number, body: ObjectionCreate) =>
  http.post<ObjectionView>(`/me/points/postings/${postingId}/objections`, body);
export const listPostings = (
  q: { region?: string; year?: number; quarter?: number; status?: PostingStatus } = {},
) => http.get<PostingSummary[]>('/points/postings', q);
export const postingDetail = (id: number, q: { orgId?: number } = {}) =>
  http.get<PostingView>(`/points/postings/${id}`, q);
export const resolveObjection = (id: number, body: ObjectionResolve) =>
  http.post<ObjectionView>(`/points/objections/${id}/resolve`, body);
