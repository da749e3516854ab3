import type { z } from 'zod';
import type { Me, SessionView as SessionViewSchema } from '../../contracts/auth.ts';
import type {
  BuildingCreate,
  BuildingView,
  CompoundCreate,
  CompoundView,
  DepartmentTypeView,
  DepartmentView as DepartmentViewSchema,
  GridView,
  HouseholdView,
  PlaceBuilding as PlaceBuildingSchema,
  PlaceCompound,
  RegionNode,
} from '../../contracts/geo.ts';
import type {
  MemberCreate as MemberCreateSchema,
  MemberListQuery as MemberListQuerySchema,
  MemberUpdate as MemberUpdateSchema,
  OrgCreate as OrgCreateSchema,
  ColourEntry as PartyColourEntry,
  ColourSchemeView as PartyColourScheme,
  ColourSet as PartyColourSet,
  ImportResultView as PartyImportResult,
  LedgerCounts as PartyLedgerCounts,
  LedgerMove as PartyLedgerMove,
  MemberDetail as PartyMemberDetail,
  MemberPii as PartyMemberPii,
  MemberView as PartyMemberView,
  MyParty as PartyMine,
  OrgTree as PartyOrgTree,
  OrgView as PartyOrgView,
  RegistrationView as PartyRegistrationView,
  StatusChange as PartyStatusChange,
  UnitView as PartyUnitView,
  RegistrationCreate as RegistrationCreateSchema,
  UnitCreate as UnitCreateSchema,
} from '../../contracts/party.ts';
import type {
  CareCreate as CareCreateSchema,
  CareListQuery as CareListQuerySchema,
  CareUpdate as CareUpdateSchema,
  CareDetail as PartyCareDetail,
  CareSummary as PartyCareSummary,
  CareView as PartyCareView,
  MyCareView as PartyMyCare,
  VisitCreate as VisitCreateSchema,
} from '../../contracts/party-pairing.ts';
import type {
  PointsEntryCreate as PointsEntryCreateT,
  EntryResult as PointsEntryResult,
  OfferView as PointsOfferView,
  PointsView as PointsViewT,
  VoucherView as PointsVoucherView,
} from '../../contracts/points.ts';
import type { Role } from '../../contracts/roles.ts';
import type {
  CalendarYear as CalendarYearSchema,
  DispatchView as DispatchViewSchema,
  NoticePage as NoticePageSchema,
  ResponsibilityItemView,
  ResponsibilityListDoc as ResponsibilityListDocSchema,
  ResponsibilityListSummary,
  ResponsibilityPublishResult,
  SimilarTicket,
  TicketActionBody as TicketActionBodySchema,
  TicketActionKind,
  TicketCreate as TicketCreateSchema,
  TicketEventView as TicketEventViewSchema,
  TicketStatus,
  TicketSummary,
  TicketView,
  TransferTarget as TransferTargetSchema,
} from '../../contracts/tickets.ts';
import type {
  AuditView as AuditViewSchema,
  GrantTarget,
  UserCreate,
  UserView,
} from '../../contracts/users.ts';
import { API_BASE, http, type RequestOptions } from './client.ts';

/**
 * Typed endpoints, one plain function each, so each app bundles only what it calls.
 * Types come from the zod contracts (type-only imports: zod itself stays out of the bundle).
 */

export type {
  BuildingView,
  CompoundView,
  GridView,
  HouseholdView,
  Me,
  PlaceCompound,
  RegionNode,
  ResponsibilityItemView,
  ResponsibilityListSummary,
  ResponsibilityPublishResult,
  Role,
  SimilarTicket,
  TicketActionKind,
  TicketStatus,
  TicketSummary,
  TicketView,
  UserView,
};
/** Request bodies as sent (fields with server defaults may be left out). */
export type TicketCreate = z.input<typeof TicketCreateSchema>;
export type TicketActionBody = z.input<typeof TicketActionBodySchema>;
export type PlaceBuilding = z.infer<typeof PlaceBuildingSchema>;
export type DispatchView = z.infer<typeof DispatchViewSchema>;
export type TicketEventView = z.infer<typeof TicketEventViewSchema>;
export type NoticePage = z.infer<typeof NoticePageSchema>;
export type NoticeView = NoticePage['items'][number];
/** What the server keeps of an uploaded photo; `gps` is where it was taken, when the photo said. */
export type UploadedPhoto = {
  id: number;
  width: number;
  height: number;
  gps: { lat: number; lng: number } | null;
};
export type SessionView = z.infer<typeof SessionViewSchema>;
export type DepartmentView = z.infer<typeof DepartmentViewSchema>;
export type AuditView = z.infer<typeof AuditViewSchema>;
export type RegionDetail = RegionNode & { ancestors: { code: string; name: string }[] };
export type Page<T> = { items: T[]; nextCursor: string | null };
export type Ok = { ok: true };
export type Locale = Me['locale'];

// auth and own account
export const login = (phone: string, password: string) =>
  http.post<Me>('/auth/login', { phone, password }, { allow401: true });
export const requestOtp = (phone: string) =>
  http.post<{ ok: true; retryAfter: number }>('/auth/otp', { phone }, { allow401: true });
export const loginWithOtp = (phone: string, code: string) =>
  http.post<Me>('/auth/otp/login', { phone, code }, { allow401: true });
export const logout = () => http.post<Ok>('/auth/logout', {}, { allow401: true });
export const logoutAll = () => http.post<Ok>('/auth/logout-all');
export const getMe = (opts?: RequestOptions) => http.get<Me>('/me', undefined, opts);
export const updateMe = (body: { locale?: Locale; name?: string }) => http.patch<Me>('/me', body);
export const changePassword = (body: { currentPassword?: string; newPassword: string }) =>
  http.post<Ok>('/me/password', body);
export const mySessions = () => http.get<SessionView[]>('/me/sessions');
export const myCompounds = () => http.get<CompoundView[]>('/me/compounds');

// geo
export const regionChildren = (parent?: string) => http.get<RegionNode[]>('/regions/children', { parent });
export const regionDetail = (code: string) => http.get<RegionDetail>(`/regions/${encodeURIComponent(code)}`);
export const searchRegions = (q: string) => http.get<RegionNode[]>('/regions/search', { q });
export const listGrids = (community: string) => http.get<GridView[]>('/grids', { community });
export const createGrid = (communityCode: string, name: string) =>
  http.post<GridView>('/grids', { communityCode, name });
export const updateGrid = (id: number, body: { name?: string; workerUserId?: number | null }) =>
  http.patch<GridView>(`/grids/${id}`, body);
export const deleteGrid = (id: number) => http.del<Ok>(`/grids/${id}`);
export const listCompounds = (q: {
  region?: string;
  gridId?: number;
  q?: string;
  cursor?: string;
  limit?: number;
}) => http.get<Page<CompoundView>>('/compounds', q);
export const getCompound = (id: number) => http.get<CompoundView>(`/compounds/${id}`);
export const createCompound = (body: CompoundCreate) => http.post<CompoundView>('/compounds', body);
export const updateCompound = (id: number, body: Partial<Omit<CompoundCreate, 'communityCode'>>) =>
  http.patch<CompoundView>(`/compounds/${id}`, body);
export const deleteCompound = (id: number) => http.del<Ok>(`/compounds/${id}`);
export const listBuildings = (compoundId: number) =>
  http.get<BuildingView[]>(`/compounds/${compoundId}/buildings`);
export const listHouseholds = (buildingId: number) =>
  http.get<HouseholdView[]>(`/buildings/${buildingId}/households`);
export const createBuilding = (compoundId: number, body: BuildingCreate) =>
  http.post<BuildingView>(`/compounds/${compoundId}/buildings`, body);
export const updateBuilding = (id: number, body: Partial<BuildingCreate>) =>
  http.patch<BuildingView>(`/buildings/${id}`, body);
export const deleteBuilding = (id: number) => http.del<Ok>(`/buildings/${id}`);
/** The kinds of department the responsibility list may name. */
export const departmentTypes = () => http.get<DepartmentTypeView[]>('/departments/types');
export const listDepartments = (region?: string) => http.get<DepartmentView[]>('/departments', { region });

// users and audit
export const listUsers = (q: {
  region?: string;
  role?: Role;
  phone?: string;
  cursor?: string;
  limit?: number;
}) => http.get<Page<UserView>>('/users', q);
export const createUser = (body: UserCreate) => http.post<UserView>('/users', body);
export const getUser = (id: number) => http.get<UserView>(`/users/${id}`);
export const setUserDisabled = (id: number, disabled: boolean) =>
  http.patch<UserView>(`/users/${id}`, { disabled });
export const revealTicketContact = (id: number) =>
  http.post<{ contactName: string | null; contactPhone: string | null }>(`/tickets/${id}/reveal-contact`);
export const revealUser = (id: number) =>
  http.post<{ id: number; name: string; phone: string }>(`/users/${id}/reveal`);
export const addGrant = (id: number, body: GrantTarget) => http.post<UserView>(`/users/${id}/grants`, body);
export const revokeGrant = (id: number, grantId: number) =>
  http.del<UserView>(`/users/${id}/grants/${grantId}`);
export const listAudit = (q: { action?: string; actorUserId?: number; cursor?: string; limit?: number }) =>
  http.get<Page<AuditView>>('/audit', q);

// places (for reporting: any signed-in user)
export const searchPlaces = (q: { q?: string; lat?: number; lng?: number; limit?: number }) =>
  http.get<PlaceCompound[]>('/places/compounds', q);
export const placeBuildings = (compoundId: number) =>
  http.get<PlaceBuilding[]>(`/places/compounds/${compoundId}/buildings`);

// tickets (诉求)
export const responsibilityItems = () =>
  http.get<{ version: string; items: ResponsibilityItemView[] }>('/responsibility/items');
/** Uploads photos (1–9) for a report or a move; send the returned ids with it. */
export const uploadTicketPhotos = (files: readonly Blob[]) => {
  const form = new FormData();
  for (const f of files) form.append('photos', f, f instanceof File ? f.name : 'photo.jpg');
  return http.post<UploadedPhoto[]>('/tickets/photos', form);
};
/** `idempotencyKey`: one per report form, reused on retries, so a double tap files one ticket. */
export const createTicket = (body: TicketCreate, idempotencyKey: string) =>
  http.post<TicketView>('/tickets', body, { headers: { 'Idempotency-Key': idempotencyKey } });
export const listTickets = (q: {
  view: 'mine' | 'neighbours' | 'work';
  status?: TicketStatus;
  queue?: 'overdue' | 'dueSoon' | 'extension';
  region?: string;
  departmentId?: number;
  q?: string;
  cursor?: string;
  limit?: number;
}) => http.get<Page<TicketSummary>>('/tickets', q);
export const getTicket = (id: number) => http.get<TicketView>(`/tickets/${id}`);
/** A move; null when the ticket has left the viewer's sight (handed to another community). */
export const ticketAction = (id: number, body: TicketActionBody) =>
  http.post<TicketView | null>(`/tickets/${id}/actions`, body);
export type TransferTarget = z.infer<typeof TransferTargetSchema>;
/** Communities the viewer may hand the ticket to. */
export const transferTargets = (id: number, q?: string) =>
  http.get<TransferTarget[]>(`/tickets/${id}/transfer-targets`, { q: q || undefined });
export type ResponsibilityListDoc = z.input<typeof ResponsibilityListDocSchema>;
export const responsibilityLists = () => http.get<ResponsibilityListSummary[]>('/responsibility/lists');
export const exportResponsibilityList = (version: string) =>
  http.get<ResponsibilityListDoc>(`/responsibility/lists/${encodeURIComponent(version)}`);
export const publishResponsibilityList = (doc: ResponsibilityListDoc, dryRun: boolean) =>
  http.post<ResponsibilityPublishResult>(`/responsibility/lists?dryRun=${dryRun}`, doc);
/** Open public tickets nearby that may be the same problem, for "+1". */
export const similarTickets = (q: { compoundId?: number; lat?: number; lng?: number; text?: string }) =>
  http.get<SimilarTicket[]>('/tickets/similar', q);
/** "+1": follow a ticket instead of reporting the same problem again. */
export const followTicket = (id: number) => http.post<{ followers: number }>(`/tickets/${id}/follow`);
export const listNotices = (q: { cursor?: string; limit?: number } = {}) =>
  http.get<NoticePage>('/notices', q);
export const readNotices = (ids: number[] | 'all') => http.post<{ unread: number }>('/notices/read', { ids });
/** The Server-Sent Events stream of changes to tickets in my queues. */
export const TICKETS_LIVE_URL = `${API_BASE}/tickets/live`;
export const ticketPhotoUrl = (ticketId: number, fileId: number, variant: 'thumb' | 'full' = 'thumb') =>
  `${API_BASE}/tickets/${ticketId}/photos/${fileId}?variant=${variant}`;

// working calendar (节假日与调休): staff may read, city administrators set overrides
/** A year's admin overrides, and whether its official holidays are known (package or overrides). */
export type CalendarYear = z.infer<typeof CalendarYearSchema>;
export type CalendarOverride = CalendarYear['overrides'][number];
export const getCalendarYear = (year: number) => http.get<CalendarYear>(`/calendar/${year}`);
/** Marks a day a workday or a holiday whatever the official calendar says; answers with its year. */
export const setCalendarDay = (date: string, body: { workday: boolean; note?: string }) =>
  http.put<CalendarYear>(`/calendar/days/${encodeURIComponent(date)}`, body);
/** Removes the override: the day follows the official calendar again; answers with its year. */
export const clearCalendarDay = (date: string) =>
  http.del<CalendarYear>(`/calendar/days/${encodeURIComponent(date)}`);

// Open311 client systems and their keys (county and city administrators)
/** As the server's ClientView (src/server/open311/routes.ts); the key itself is never listed. */
export type Open311Client = {
  id: number;
  name: string;
  countyCode: string;
  countyName: string;
  createdAt: string;
  /** Masked; null when issued from the command line. */
  createdByName: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  can: { revoke: boolean };
};
export const listOpen311Clients = () => http.get<{ items: Open311Client[] }>('/open311/clients');
/** Issues a key: `apiKey` is in this answer only (the server keeps its hash). */
export const createOpen311Client = (body: { name: string; countyCode: string }) =>
  http.post<Open311Client & { apiKey: string }>('/open311/clients', body);
export const revokeOpen311Client = (id: number) => http.post<Open311Client>(`/open311/clients/${id}/revoke`);

// party
export type {
  Colour,
  ColourEntry,
  ColourRule,
  ColourSchemeView,
  ColourSet,
  Ledger,
  LedgerCounts,
  LedgerMove,
  MemberDetail,
  MemberEventView,
  MemberPii,
  MemberStatus,
  MemberView,
  MyParty,
  OrgKind,
  OrgTree,
  OrgView,
  StatusChange,
} from '../../contracts/party.ts';
export type MemberCreate = z.input<typeof MemberCreateSchema>;
export type MemberUpdate = z.input<typeof MemberUpdateSchema>;
export type MemberListQuery = {
  [K in keyof z.infer<typeof MemberListQuerySchema>]?: z.infer<typeof MemberListQuerySchema>[K];
};
export type OrgCreate = z.input<typeof OrgCreateSchema>;
export const listMembers = (q: MemberListQuery) => http.get<Page<PartyMemberView>>('/party/members', q);
export const getMember = (id: number) => http.get<PartyMemberDetail>(`/party/members/${id}`);
export const createMember = (body: MemberCreate) => http.post<PartyMemberDetail>('/party/members', body);
export const updateMember = (id: number, body: MemberUpdate) =>
  http.patch<PartyMemberDetail>(`/party/members/${id}`, body);
export const moveLedger = (id: number, body: PartyLedgerMove) =>
  http.post<PartyMemberDetail>(`/party/members/${id}/ledger`, body);
export const changeMemberStatus = (id: number, body: PartyStatusChange) =>
  http.post<PartyMemberDetail>(`/party/members/${id}/status`, body);
export const setMemberColour = (id: number, body: PartyColourSet) =>
  http.post<PartyMemberDetail>(`/party/members/${id}/colour`, body);
export const revealMember = (id: number) => http.post<PartyMemberPii>(`/party/members/${id}/reveal`, {});
export const ledgerCounts = (q: { region?: string; compoundId?: number }) =>
  http.get<PartyLedgerCounts>('/party/ledgers', q);
export const orgTree = (community: string) => http.get<PartyOrgTree>('/party/orgs', { community });
export const createOrg = (body: OrgCreate) => http.post<PartyOrgView>('/party/orgs', body);
export const updateOrg = (id: number, body: { name?: string; compoundIds?: number[]; reason?: string }) =>
  http.patch<PartyOrgView>(`/party/orgs/${id}`, body);
export const mergeOrg = (id: number, intoId: number, reason: string) =>
  http.post<PartyOrgView>(`/party/orgs/${id}/merge`, { intoId, reason });
export const dissolveOrg = (id: number, reason: string) =>
  http.post<PartyOrgView>(`/party/orgs/${id}/dissolve`, { reason });
export const myParty = () => http.get<PartyMine>('/me/party');
/** A county's five-colour scheme (浑源's when it has none) and whether the viewer may change it. */
export const colourScheme = (county: string) =>
  http.get<PartyColourScheme>(`/party/colour-schemes/${county}`);
export const setColourScheme = (county: string, entries: PartyColourEntry[]) =>
  http.put<PartyColourScheme>(`/party/colour-schemes/${county}`, { entries });
export type { ImportResultView } from '../../contracts/party.ts';
/** Uploads a filled ledger template; `dryRun` checks it without saving. */
export const importLedger = (file: Blob, name: string, dryRun = false) => {
  const form = new FormData();
  form.append('file', file, name);
  return http.post<PartyImportResult>(`/party/members/import${dryRun ? '?dryRun=true' : ''}`, form);
};
export const ledgerTemplateUrl = () => `${API_BASE}/party/members/template.xlsx`;
export const importReportUrl = (id: number) => `${API_BASE}/party/imports/${id}/report.xlsx`;
export const exportMembersUrl = (q: Omit<MemberListQuery, 'cursor' | 'limit'>, full: boolean) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  if (full) p.set('full', 'true');
  return `${API_BASE}/party/members/export.xlsx?${p}`;
};

// dual registration (双报到)
export type { RegistrationView, UnitView } from '../../contracts/party.ts';
export type RegistrationCreate = z.input<typeof RegistrationCreateSchema>;
export type UnitCreate = z.input<typeof UnitCreateSchema>;
export const registerWithCommunity = (body: RegistrationCreate) =>
  http.post<PartyRegistrationView>('/me/party/registrations', body);
export const myRegistrations = () => http.get<PartyRegistrationView[]>('/me/party/registrations');
export const withdrawRegistration = (id: number) =>
  http.post<PartyRegistrationView>(`/me/party/registrations/${id}/withdraw`, {});
export const searchUnits = (q: string) =>
  http.get<{ id: number; name: string }[]>('/party/units/search', { q });
export const listRegistrations = (status?: PartyRegistrationView['status']) =>
  http.get<PartyRegistrationView[]>('/party/registrations', { status });
export const decideRegistration = (id: number, decision: 'confirm' | 'reject', reason?: string) =>
  http.post<PartyRegistrationView>(`/party/registrations/${id}/decide`, { decision, reason });
export const listUnits = () => http.get<PartyUnitView[]>('/party/units');
export const registerUnit = (body: UnitCreate) => http.post<PartyUnitView>('/party/units', body);
/** Makes someone a unit's administrator by phone; `name` opens an account for a new phone. */
export const addUnitAdmin = (unitId: number, body: { phone: string; name?: string }) =>
  http.post<PartyUnitView>(`/party/units/${unitId}/admins`, body);
/** 本单位报到: the units I administer, and their staff's registrations. */
export const myUnits = () => http.get<PartyUnitView[]>('/me/party/units');
export const unitRegistrations = (unitId: number, status?: PartyRegistrationView['status']) =>
  http.get<PartyRegistrationView[]>(`/party/units/${unitId}/registrations`, { status });
export const unitRegistrationsXlsxUrl = (unitId: number, status?: PartyRegistrationView['status']) =>
  `${API_BASE}/party/units/${unitId}/registrations.xlsx${status ? `?status=${status}` : ''}`;

// pairing (包联)
export type {
  CareDetail,
  CareSummary,
  CareView,
  MyCareView,
  PairingView,
  VisitView,
} from '../../contracts/party-pairing.ts';
export type { CareKind, CareState, VisitMode } from '../../contracts/party-states.ts';
export type CareCreate = z.input<typeof CareCreateSchema>;
export type CareUpdate = z.input<typeof CareUpdateSchema>;
export type VisitCreate = z.input<typeof VisitCreateSchema>;
type CareListQuery = z.infer<typeof CareListQuerySchema>;
export const listCare = (q: { [K in keyof CareListQuery]?: CareListQuery[K] }) =>
  http.get<Page<PartyCareView>>('/party/care', q);
export const careSummary = (q: { region?: string; compoundId?: number }) =>
  http.get<PartyCareSummary>('/party/care/summary', q);
export const getCare = (id: number) => http.get<PartyCareDetail>(`/party/care/${id}`);
export const createCare = (body: CareCreate) => http.post<PartyCareDetail>('/party/care', body);
export const updateCare = (id: number, body: CareUpdate) =>
  http.patch<PartyCareDetail>(`/party/care/${id}`, body);
export const closeCare = (id: number, reason: string, version: number) =>
  http.post<PartyCareDetail>(`/party/care/${id}/close`, { reason, version });
export const revealCare = (id: number) =>
  http.post<{ headName: string; phone: string | null }>(`/party/care/${id}/reveal`, {});
export const pairMember = (id: number, memberId: number) =>
  http.post<PartyCareDetail>(`/party/care/${id}/pairings`, { memberId });
export const endPairing = (pairingId: number, reason: string) =>
  http.post<PartyCareDetail>(`/party/pairings/${pairingId}/end`, { reason });
export const logVisit = (id: number, body: VisitCreate) =>
  http.post<PartyCareDetail>(`/party/care/${id}/visits`, body);
export const myCare = () => http.get<PartyMyCare[]>('/me/party/care');
export const logMyVisit = (id: number, body: Omit<VisitCreate, 'memberId'>) =>
  http.post<PartyMyCare>(`/me/party/care/${id}/visits`, body);
export const myCarePhone = (id: number) =>
  http.post<{ phone: string | null }>(`/me/party/care/${id}/phone`, {});

// points (积分)
export type { EntryResult, PointsView, TransferView } from '../../contracts/points.ts';
export type { PointSource } from '../../contracts/points-states.ts';
export type PointsEntryCreate = PointsEntryCreateT;
/** Posts an entry once per `key` (a retried or double-clicked request returns the first result). */
export const postPointsEntry = (body: PointsEntryCreate, key: string) =>
  http.post<PointsEntryResult>('/points/entries', body, { headers: { 'Idempotency-Key': key } });
export const memberPoints = (id: number, q: { cursor?: string; limit?: number } = {}) =>
  http.get<PointsViewT>(`/party/members/${id}/points`, q);
export const myPoints = (q: { cursor?: string; limit?: number } = {}) =>
  http.get<PointsViewT>('/me/points', q);
export type { OfferView, VoucherView } from '../../contracts/points.ts';
export const pointsOffers = () => http.get<PointsOfferView[]>('/me/points/offers');
/** Spends points on a voucher, once per `key`. */
export const redeemOffer = (id: number, key: string) =>
  http.post<PointsVoucherView>(`/me/points/offers/${id}/redeem`, {}, { headers: { 'Idempotency-Key': key } });
export const myVouchers = () => http.get<PointsVoucherView[]>('/me/points/vouchers');
export const cancelVoucher = (id: number) =>
  http.post<PointsVoucherView>(`/me/points/vouchers/${id}/cancel`, {});
export const checkInVoucher = (code: string) =>
  http.post<PointsVoucherView>('/merchant/vouchers/check-in', { code });
