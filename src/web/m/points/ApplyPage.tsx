import { Button, Form, Input, List, NavBar, SearchBar, Selector, Tag, TextArea, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { OFFER_CATEGORIES } from '../../../contracts/points-states.ts';
import { type PlaceCompound, searchPlaces } from '../../api/index.ts';
import {
  applyAsMerchant,
  type MerchantApplicationView,
  myMerchantApplications,
  type OfferCategory,
} from '../../api/merchants.ts';
import { formatDateTime } from '../../ui/format.ts';
import { useSubmit } from '../../ui/forms.ts';
import { useMe } from '../../ui/session.tsx';
import { useLoad } from '../../ui/useLoad.ts';
import { phoneRules } from '../../ui/validate.ts';
import { MForm } from '../forms.tsx';

interface Values {
  name: string;
  address?: string;
  categories: OfferCategory[];
  contactName: string;
  contactPhone: string;
  note?: string;
}

const STATUS_COLOR = { pending: 'warning', approved: 'success', rejected: 'danger' } as const;

/** 商家入驻申请: a business owner asks the community where their shop is to take them on. */
export function ApplyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe();
  const [form] = Form.useForm();
  const mine = useLoad(() => myMerchantApplications(), []);
  const [place, setPlace] = useState<PlaceCompound | null>(null);
  const [query, setQuery] = useState('');
  const [places, setPlaces] = useState<PlaceCompound[]>([]);
  const [locating, setLocating] = useState(false);

  useEffect(() => {
    const q = query.trim();
    if (!q) return setPlaces([]);
    const h = window.setTimeout(() => {
      searchPlaces({ q, limit: 8 })
        .then(setPlaces)
        .catch(() => setPlaces([]));
    }, 300);
    return () => window.clearTimeout(h);
  }, [query]);

  const nearMe = () => {
    if (!navigator.geolocation) {
      Toast.show({ content: t('merchants.placeNearFailed') });
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        searchPlaces({ lat: p.coords.latitude, lng: p.coords.longitude, limit: 8 })
          .then(setPlaces)
          .catch(() => setPlaces([]))
          .finally(() => setLocating(false));
      },
      () => {
        setLocating(false);
        Toast.show({ content: t('merchants.placeNearFailed') });
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  };

  const state = useSubmit<Values>(
    async (v) => {
      if (!place) {
        Toast.show({ content: t('merchants.pickPlace') });
        return;
      }
      await applyAsMerchant({
        communityCode: place.communityCode,
        name: v.name.trim(),
        address: v.address?.trim() || undefined,
        categories: v.categories,
        contactName: v.contactName.trim(),
        contactPhone: v.contactPhone.trim(),
        note: v.note?.trim() || undefined,
      });
      Toast.show({ icon: 'success', content: t('merchants.sent') });
      form.resetFields();
      setPlace(null);
      setQuery('');
      setPlaces([]);
      mine.reload();
    },
    { form, fields: ['name', 'address', 'categories', 'contactName', 'contactPhone', 'note'] },
  );
  const community = place?.regionLabel.split(' ').pop() ?? '';

  return (
    <div className="m-app">
      <NavBar onBack={() => navigate('/mine')} backIcon style={{ background: '#fff', '--height': '52px' }}>
        <span style={{ fontSize: 19 }}>{t('merchants.apply')}</span>
      </NavBar>
      <div className="m-body">
        <p style={{ fontSize: 16, lineHeight: 1.6, margin: '12px 4px' }}>{t('merchants.applyIntro')}</p>
        {(mine.data ?? []).length > 0 && (
          <List header={t('merchants.mine')} className="m-list" data-testid="m-merchant-applications">
            {(mine.data ?? []).map((a) => (
              <Application key={a.id} a={a} onCounter={() => navigate('/merchant')} />
            ))}
          </List>
        )}
        <MForm form={form} name="merchant-apply" state={state} submitText={t('merchants.submit')}>
          <Form.Item label={t('merchants.place')} required>
            {place ? (
              <div className="m-picked" data-testid="m-apply-place">
                <strong>{t('merchants.applyTo', { community })}</strong>
                <div style={{ color: '#666', fontSize: 14 }}>
                  {place.name} · {place.regionLabel}
                </div>
                <Button size="small" fill="none" color="primary" onClick={() => setPlace(null)}>
                  {t('merchants.changePlace')}
                </Button>
              </div>
            ) : (
              <>
                <SearchBar placeholder={t('merchants.placeSearch')} value={query} onChange={setQuery} />
                <Button size="small" fill="none" color="primary" loading={locating} onClick={nearMe}>
                  {t('merchants.placeNear')}
                </Button>
                {places.map((p) => (
                  <List.Item
                    key={p.id}
                    onClick={() => setPlace(p)}
                    description={p.regionLabel}
                    arrowIcon={false}
                  >
                    {p.name}
                  </List.Item>
                ))}
              </>
            )}
          </Form.Item>
          <Form.Item
            name="name"
            label={t('merchants.name')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('validation.required', { field: t('merchants.name') }),
              },
            ]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="address" label={t('merchants.address')}>
            <Input maxLength={200} placeholder={t('merchants.addressHint')} />
          </Form.Item>
          <Form.Item
            name="categories"
            label={t('merchants.categories')}
            rules={[
              { required: true, message: t('validation.select', { field: t('merchants.categories') }) },
            ]}
          >
            <Selector
              multiple
              columns={3}
              options={OFFER_CATEGORIES.map((c) => ({ label: t(`points.categories.${c}`), value: c }))}
            />
          </Form.Item>
          <Form.Item
            name="contactName"
            label={t('merchants.contactName')}
            initialValue={me.name}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('validation.required', { field: t('merchants.contactName') }),
              },
            ]}
          >
            <Input maxLength={30} autoComplete="name" />
          </Form.Item>
          <Form.Item
            name="contactPhone"
            label={t('merchants.contactPhone')}
            initialValue={me.phone}
            rules={phoneRules(t)}
          >
            <Input inputMode="tel" maxLength={11} autoComplete="tel" />
          </Form.Item>
          <Form.Item name="note" label={t('merchants.note')}>
            <TextArea maxLength={500} rows={3} placeholder={t('merchants.noteHint')} />
          </Form.Item>
        </MForm>
      </div>
    </div>
  );
}

function Application({ a, onCounter }: { a: MerchantApplicationView; onCounter: () => void }) {
  const { t } = useTranslation();
  return (
    <List.Item
      description={
        <>
          {a.community.name} · {formatDateTime(a.createdAt)}
          <div>
            {a.status === 'pending' && t('merchants.waiting')}
            {a.status === 'approved' && t('merchants.approvedNote')}
            {a.status === 'rejected' && t('merchants.rejectedNote', { reason: a.reason ?? '' })}
          </div>
        </>
      }
      extra={
        a.status === 'approved' ? (
          <Button size="small" color="primary" onClick={onCounter}>
            {t('merchants.goCounter')}
          </Button>
        ) : undefined
      }
    >
      {a.name} <Tag color={STATUS_COLOR[a.status]}>{t(`merchants.appStatuses.${a.status}`)}</Tag>
    </List.Item>
  );
}
