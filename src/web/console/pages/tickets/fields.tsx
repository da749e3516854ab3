import { PlusOutlined } from '@ant-design/icons';
import { App, Select, Upload, type UploadFile } from 'antd';
import { useEffect, useMemo, useState } from 'react';
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

export function useDebounced(value: string, ms = 300): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = window.setTimeout(() => setV(value.trim()), ms);
    return () => window.clearTimeout(h);
  }, [value, ms]);
  return v;
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

/** A compound found by name (any compound in the city: places are public). */
export function CompoundSelect({
  id,
  value,
  onChange,
  onPicked,
}: Control<number> & { onPicked?: (c: PlaceCompound | null) => void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const text = useDebounced(q);
  const found = useLoad(() => (text ? searchPlaces({ q: text, limit: 20 }) : Promise.resolve([])), [text]);
  const [picked, setPicked] = useState<PlaceCompound | null>(null);
  const items = found.data ?? [];
  const all = picked && !items.some((c) => c.id === picked.id) ? [picked, ...items] : items;
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v?: number) => {
        const c = all.find((x) => x.id === v) ?? null;
        setPicked(c);
        onPicked?.(c);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={all.map((c) => ({ value: c.id, label: `${c.name}（${c.regionLabel}）` }))}
      loading={found.loading}
      placeholder={t('intake.compoundPlaceholder')}
      allowClear
      notFoundContent={found.loading ? t('common.loading') : text ? t('common.empty') : null}
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
export function CommunitySelect({
  id,
  value,
  onChange,
  placeholder,
}: Control<string> & { placeholder?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const text = useDebounced(q);
  const found = useLoad(() => (text ? searchRegions(text) : Promise.resolve([])), [text]);
  const [picked, setPicked] = useState<RegionNode | null>(null);
  const items = (found.data ?? []).filter((r) => r.level === 'community');
  const all = picked && !items.some((r) => r.code === picked.code) ? [picked, ...items] : items;
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(v?: string) => {
        setPicked(all.find((r) => r.code === v) ?? null);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={all.map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` }))}
      loading={found.loading}
      placeholder={placeholder ?? t('intake.communityPlaceholder')}
      allowClear
      notFoundContent={found.loading ? t('common.loading') : text ? t('common.empty') : null}
    />
  );
}

/**
 * Where a ticket may be transferred: the server lists the neighbours in the township (all of the
 * area for township and county staff), so a community worker can pick one without knowing codes.
 */
export function TransferTargetSelect({
  id,
  value,
  onChange,
  ticketId,
}: Control<string> & { ticketId: number }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const text = useDebounced(q);
  const found = useLoad(() => transferTargets(ticketId, text), [ticketId, text]);
  const [picked, setPicked] = useState<TransferTarget | null>(null);
  const items = found.data ?? [];
  const all = picked && !items.some((r) => r.code === picked.code) ? [picked, ...items] : items;
  return (
    <Select<string>
      id={id}
      value={value}
      onChange={(v?: string) => {
        setPicked(all.find((r) => r.code === v) ?? null);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={all.map((r) => ({ value: r.code, label: `${r.townshipName} ${r.name}` }))}
      loading={found.loading}
      placeholder={t('tq.transferPlaceholder')}
      allowClear
      notFoundContent={found.loading ? t('common.loading') : found.error ? found.error : t('common.empty')}
      data-testid="transfer-target"
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
export function TicketSelect({ id, value, onChange, exclude }: Control<number> & { exclude: number }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const text = useDebounced(q);
  const found = useLoad(
    () =>
      text
        ? listTickets({ view: 'work', q: text, limit: 20 })
        : Promise.resolve({ items: [], nextCursor: null }),
    [text],
  );
  const [picked, setPicked] = useState<TicketSummary | null>(null);
  const items = (found.data?.items ?? []).filter((x) => x.id !== exclude);
  const all = picked && !items.some((x) => x.id === picked.id) ? [picked, ...items] : items;
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(v?: number) => {
        setPicked(all.find((x) => x.id === v) ?? null);
        onChange?.(v);
      }}
      showSearch={{ filterOption: false, onSearch: setQ }}
      options={all.map((x) => ({
        value: x.id,
        label: `${x.number} · ${x.description.slice(0, 30)}`,
      }))}
      loading={found.loading}
      placeholder={t('tq.mergePlaceholder')}
      allowClear
      notFoundContent={found.loading ? t('common.loading') : text ? t('common.empty') : null}
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
