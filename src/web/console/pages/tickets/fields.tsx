import { PlusOutlined } from '@ant-design/icons';
import { App, Select, Upload, type UploadFile } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../api/client.ts';
import {
  listDepartments,
  listTickets,
  type PlaceCompound,
  placeBuildings,
  type RegionNode,
  responsibilityItems,
  searchPlaces,
  searchRegions,
  type TicketSummary,
  type TransferTarget,
  transferTargets,
  type UploadedPhoto,
  uploadTicketPhotos,
} from '../../../api/index.ts';
import { groupItems, PHOTO_ACCEPT, PHOTO_MAX_COUNT, photoProblem } from '../../../ui/tickets.ts';
import { useDebounced } from '../../../ui/useDebounced.ts';
import { useLoad } from '../../../ui/useLoad.ts';

/**
 * Form controls for tickets in the console (each takes `value` / `onChange` from a Form.Item):
 * responsibility items, compounds, communities, buildings, departments, tickets and photos.
 */

interface Control<V> {
  id?: string;
  value?: V;
  onChange?: (v: V | undefined) => void;
}

/** The current responsibility list, once per page. */
let itemsPromise: ReturnType<typeof responsibilityItems> | null = null;
export function useItems() {
  return useLoad(() => {
    itemsPromise ??= responsibilityItems().catch((e: unknown) => {
      itemsPromise = null;
      throw e;
    });
    return itemsPromise;
  }, []);
}

/** 责任清单事项, grouped by category, searchable by name, category or description. */
export function ItemSelect({ id, value, onChange, placeholder }: Control<number> & { placeholder?: string }) {
  const { t } = useTranslation();
  const items = useItems();
  const options = useMemo(
    () =>
      groupItems(items.data?.items ?? []).map((g) => ({
        label: g.name,
        title: g.name,
        options: g.items.map((i) => ({
          value: i.id,
          label: i.name,
          search: `${i.name} ${i.categoryName} ${i.description}`,
          title: i.description,
        })),
      })),
    [items.data],
  );
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v?: number) => onChange?.(v)}
      options={options}
      loading={items.loading}
      allowClear
      showSearch={{ optionFilterProp: 'search' }}
      placeholder={placeholder ?? t('tq.itemPlaceholder')}
      listHeight={360}
    />
  );
}

/**
 * A select that asks the server as the user types (debounced), and keeps showing the option picked
 * even when a later search no longer returns it.
 */
function SearchSelect<T, V extends string | number>({
  id,
  value,
  onChange,
  onPicked,
  search,
  deps = [],
  searchEmpty = false,
  keyOf,
  labelOf,
  placeholder,
  testId,
}: Control<V> & {
  search: (text: string) => Promise<T[]>;
  /** The search's inputs other than the text. */
  deps?: readonly unknown[];
  /** Ask before anything is typed too (the server offers a short list). */
  searchEmpty?: boolean;
  keyOf: (x: T) => V;
  labelOf: (x: T) => string;
  placeholder: string;
  onPicked?: (x: T | null) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const text = useDebounced(q);
  const asks = !!text || searchEmpty;
  const found = useLoad(() => (asks ? search(text) : Promise.resolve([])), [text, asks, ...deps]);
  const [picked, setPicked] = useState<T | null>(null);
  const items = found.data ?? [];
  const all = picked && !items.some((x) => keyOf(x) === keyOf(picked)) ? [picked, ...items] : items;
  return (
    <Select<V>
      id={id}
      value={value}
      onChange={(v?: V) => {
        const x = all.find((o) => keyOf(o) === v) ?? null;
        setPicked(x);
        onPicked?.(x);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={all.map((x) => ({ value: keyOf(x), label: labelOf(x) }))}
      loading={found.loading}
      placeholder={placeholder}
      allowClear
      notFoundContent={
        found.loading ? t('common.loading') : (found.error ?? (asks ? t('common.empty') : null))
      }
      data-testid={testId}
    />
  );
}

/** A compound found by name (any compound in the city: places are public). */
export function CompoundSelect({
  onPicked,
  ...control
}: Control<number> & { onPicked?: (c: PlaceCompound | null) => void }) {
  const { t } = useTranslation();
  return (
    <SearchSelect<PlaceCompound, number>
      {...control}
      onPicked={onPicked}
      search={(q) => searchPlaces({ q, limit: 20 })}
      keyOf={(c) => c.id}
      labelOf={(c) => `${c.name}（${c.regionLabel}）`}
      placeholder={t('intake.compoundPlaceholder')}
    />
  );
}

export function BuildingSelect({
  id,
  value,
  onChange,
  compoundId,
}: Control<number> & { compoundId?: number }) {
  const { t } = useTranslation();
  const list = useLoad(() => (compoundId ? placeBuildings(compoundId) : Promise.resolve([])), [compoundId]);
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v?: number) => onChange?.(v)}
      disabled={!compoundId}
      loading={list.loading}
      options={(list.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('validation.select', { field: t('report.building') })}
      allowClear
    />
  );
}

/** A community (社区) found by name within the viewer's scope. */
export function CommunitySelect({ placeholder, ...control }: Control<string> & { placeholder?: string }) {
  const { t } = useTranslation();
  return (
    <SearchSelect<RegionNode, string>
      {...control}
      search={async (q) => (await searchRegions(q)).filter((r) => r.level === 'community')}
      keyOf={(r) => r.code}
      labelOf={(r) => `${r.name}（${r.code}）`}
      placeholder={placeholder ?? t('intake.communityPlaceholder')}
    />
  );
}

/**
 * Where a ticket may be transferred: the server lists the neighbours in the township (all of the
 * area for township and county staff), so a community worker can pick one without knowing codes.
 */
export function TransferTargetSelect({ ticketId, ...control }: Control<string> & { ticketId: number }) {
  const { t } = useTranslation();
  return (
    <SearchSelect<TransferTarget, string>
      {...control}
      search={(q) => transferTargets(ticketId, q)}
      deps={[ticketId]}
      searchEmpty
      keyOf={(r) => r.code}
      labelOf={(r) => `${r.townshipName} ${r.name}`}
      placeholder={t('tq.transferPlaceholder')}
      testId="transfer-target"
    />
  );
}

/** Departments a ticket may be whistled to: those of its county, and the city's own. */
export function DepartmentSelect({
  id,
  value,
  onChange,
  communityCode,
}: Control<number[]> & { communityCode: string }) {
  const { t } = useTranslation();
  const county = communityCode.slice(0, 6);
  const city = `${communityCode.slice(0, 4)}00`;
  const deps = useLoad(async () => {
    const [own, top] = await Promise.all([listDepartments(county), listDepartments(city).catch(() => [])]);
    return [...own, ...top.filter((d) => !own.some((o) => o.id === d.id))];
  }, [county, city]);
  return (
    <Select<number[]>
      id={id}
      mode="multiple"
      value={value}
      onChange={(v?: number[]) => onChange?.(v)}
      loading={deps.loading}
      showSearch={{ optionFilterProp: 'label' }}
      options={(deps.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
      placeholder={t('tq.departmentsPlaceholder')}
      notFoundContent={deps.loading ? t('common.loading') : deps.error || t('tq.noDepartments')}
      allowClear
    />
  );
}

/** Another open ticket in my working area, found by number or words, to merge into. */
export function TicketSelect({ exclude, ...control }: Control<number> & { exclude: number }) {
  const { t } = useTranslation();
  return (
    <SearchSelect<TicketSummary, number>
      {...control}
      search={async (q) =>
        (await listTickets({ view: 'work', q, limit: 20 })).items.filter((x) => x.id !== exclude)
      }
      deps={[exclude]}
      keyOf={(x) => x.id}
      labelOf={(x) => `${x.number} · ${x.description.slice(0, 30)}`}
      placeholder={t('tq.mergePlaceholder')}
    />
  );
}

/** Form.Item props for a PhotoUpload field (its value is the Upload's file list). */
export const photoFieldProps = {
  valuePropName: 'fileList',
  getValueFromEvent: (e: { fileList: UploadFile[] }) => e.fileList,
} as const;

/** The ids of the photos that finished uploading. */
export const photoIdsOf = (files: UploadFile[] | undefined): number[] =>
  (files ?? []).filter((f) => f.status === 'done' && f.response).map((f) => (f.response as UploadedPhoto).id);

export const photosBusy = (files: UploadFile[] | undefined) =>
  (files ?? []).some((f) => f.status === 'uploading');

/** Photos uploaded one by one to /tickets/photos as they are picked (checked for type and size first). */
export function PhotoUpload({
  id,
  fileList,
  onChange,
}: {
  id?: string;
  fileList?: UploadFile[];
  onChange?: (info: { fileList: UploadFile[] }) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Upload
      id={id}
      listType="picture-card"
      accept={PHOTO_ACCEPT}
      multiple
      maxCount={PHOTO_MAX_COUNT}
      fileList={fileList}
      onChange={onChange}
      beforeUpload={(file) => {
        const problem = photoProblem(t, file);
        if (problem) {
          message.error(problem);
          return Upload.LIST_IGNORE;
        }
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        uploadTicketPhotos([file as File])
          .then(([stored]) => onSuccess?.(stored))
          .catch((e: unknown) => {
            message.error(t('ticket.photoFailed', { detail: errorText(e) }));
            onError?.(e as Error);
          });
      }}
    >
      {(fileList?.length ?? 0) >= PHOTO_MAX_COUNT ? null : (
        <button type="button" style={{ border: 0, background: 'none', cursor: 'pointer' }}>
          <PlusOutlined />
          <div style={{ marginTop: 8 }}>{t('tq.upload')}</div>
        </button>
      )}
    </Upload>
  );
}
