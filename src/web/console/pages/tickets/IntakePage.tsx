import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Radio,
  Row,
  Space,
  Switch,
  Typography,
  type UploadFile,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { createTicket } from '../../../api/index.ts';
import { useSubmit } from '../../../ui/forms.ts';
import { useMe } from '../../../ui/session.tsx';
import { newIdempotencyKey } from '../../../ui/tickets.ts';
import { PHONE_RE } from '../../../ui/validate.ts';
import { FormAlert } from '../../forms.tsx';
import {
  BuildingSelect,
  CommunitySelect,
  CompoundSelect,
  ItemSelect,
  PhotoUpload,
  photoFieldProps,
  photoIdsOf,
  photosBusy,
} from './fields.tsx';

interface IntakeValues {
  channel: 'hotline' | 'staff' | 'patrol';
  contactName?: string;
  contactPhone?: string;
  itemId?: number;
  description: string;
  placeBy: 'compound' | 'community';
  compoundId?: number;
  buildingId?: number;
  communityCode?: string;
  place?: string;
  urgent: boolean;
  private: boolean;
  photos?: UploadFile[];
}

const FIELDS = [
  'channel',
  'contactName',
  'contactPhone',
  'itemId',
  'description',
  'compoundId',
  'buildingId',
  'communityCode',
  'place',
  'photos',
] as const;

/** 新建诉求: a 12345 hotline call or a report keyed in for a resident; then the new ticket opens. */
export default function IntakePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [form] = Form.useForm<IntakeValues>();
  // One key per filled-in form: a retry after a lost answer returns the ticket already made.
  const [key, setKey] = useState(newIdempotencyKey);
  const patrol = me.grants.some((g) => g.role === 'gridWorker');
  const channel = Form.useWatch('channel', form);
  const placeBy = Form.useWatch('placeBy', form);
  const compoundId = Form.useWatch('compoundId', form);

  const { busy, error, submit } = useSubmit<IntakeValues>(
    async (v) => {
      const ticket = await createTicket(
        {
          channel: v.channel,
          contactName: v.contactName?.trim() || undefined,
          contactPhone: v.contactPhone?.trim() || undefined,
          itemId: v.itemId ?? undefined,
          description: v.description.trim(),
          compoundId: v.placeBy === 'compound' ? v.compoundId : undefined,
          buildingId: v.placeBy === 'compound' ? v.buildingId : undefined,
          communityCode: v.placeBy === 'community' ? v.communityCode : undefined,
          place: v.place?.trim() || undefined,
          urgent: !!v.urgent,
          private: !!v.private,
          photoIds: photoIdsOf(v.photos),
        },
        key,
      );
      message.success(t('intake.created', { number: ticket.number }));
      setKey(newIdempotencyKey());
      navigate(`/tickets?ticket=${ticket.id}`);
    },
    { form, fields: FIELDS, rename: { photoIds: 'photos' } },
  );

  return (
    <Card
      title={
        <Space>
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('/tickets')}
            aria-label={t('common.back')}
          />
          {t('intake.title')}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('intake.subtitle')}</Typography.Paragraph>
      <FormAlert error={error} />
      <Form<IntakeValues>
        form={form}
        name="intake"
        layout="vertical"
        data-testid="intake-form"
        initialValues={{ channel: 'hotline', placeBy: 'compound', urgent: false, private: false }}
        onFinish={submit}
        scrollToFirstError
        style={{ maxWidth: 820 }}
      >
        <Form.Item name="channel" label={t('intake.channel')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'hotline', label: t('intake.hotline') },
              { value: 'staff', label: t('intake.staff') },
              ...(patrol ? [{ value: 'patrol', label: t('intake.patrol') }] : []),
            ]}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="contactName" label={t('intake.contactName')} rules={[{ max: 40 }]}>
              <Input maxLength={40} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="contactPhone"
              label={t('intake.contactPhone')}
              dependencies={['channel']}
              rules={[
                { required: channel === 'hotline', message: t('intake.contactPhoneRequired') },
                { pattern: PHONE_RE, message: t('validation.phone') },
              ]}
            >
              <Input inputMode="numeric" maxLength={11} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="itemId" label={t('intake.item')}>
          <ItemSelect placeholder={t('intake.itemPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('intake.description')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('intake.description') }),
            },
            { max: 2000 },
          ]}
        >
          <Input.TextArea
            rows={5}
            maxLength={2000}
            showCount
            placeholder={t('intake.descriptionPlaceholder')}
          />
        </Form.Item>
        <Form.Item name="placeBy" label={t('intake.placeBy')}>
          <Radio.Group
            options={[
              { value: 'compound', label: t('intake.byCompound') },
              { value: 'community', label: t('intake.byCommunity') },
            ]}
          />
        </Form.Item>
        {placeBy === 'community' ? (
          <Form.Item
            name="communityCode"
            label={t('intake.community')}
            rules={[{ required: true, message: t('intake.communityRequired') }]}
          >
            <CommunitySelect />
          </Form.Item>
        ) : (
          <Row gutter={16}>
            <Col xs={24} md={14}>
              <Form.Item
                name="compoundId"
                label={t('intake.compound')}
                rules={[{ required: true, message: t('intake.compoundRequired') }]}
              >
                <CompoundSelect onPicked={() => form.setFieldValue('buildingId', undefined)} />
              </Form.Item>
            </Col>
            <Col xs={24} md={10}>
              <Form.Item name="buildingId" label={t('intake.building')}>
                <BuildingSelect compoundId={compoundId} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item name="place" label={t('intake.spot')} rules={[{ max: 200 }]}>
          <Input maxLength={200} placeholder={t('intake.spotPlaceholder')} />
        </Form.Item>
        <Space size={32} wrap>
          <Form.Item name="urgent" label={t('intake.urgent')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="private" label={t('intake.private')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item
          name="photos"
          label={t('intake.photos')}
          rules={[
            {
              validator: async (_: unknown, files?: UploadFile[]) => {
                if (photosBusy(files)) throw new Error(t('ticket.photoUploading'));
              },
            },
          ]}
          {...photoFieldProps}
        >
          <PhotoUpload />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="intake-submit">
              {t('intake.submit')}
            </Button>
            <Button onClick={() => navigate('/tickets')}>{t('common.cancel')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
