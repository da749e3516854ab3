import { Alert, Form, Input, Radio, Rate, Select, Switch, Typography, type UploadFile } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  type TicketActionBody,
  type TicketActionKind,
  type TicketView,
  ticketAction,
} from '../../../api/index.ts';
import { FormModal } from '../../forms.tsx';
import {
  DepartmentSelect,
  ItemSelect,
  PhotoUpload,
  photoFieldProps,
  photoIdsOf,
  photosBusy,
  TicketSelect,
  TransferTargetSelect,
} from './fields.tsx';

interface ActionValues {
  itemId?: number;
  reason?: string;
  communityCode?: string;
  departmentIds?: number[];
  departmentId?: number;
  urgent?: boolean;
  note?: string;
  photos?: UploadFile[];
  public?: boolean;
  rating?: number;
  satisfied?: boolean;
  comment?: string;
  intoTicketId?: number;
}

const FIELDS = [
  'itemId',
  'reason',
  'communityCode',
  'departmentIds',
  'departmentId',
  'urgent',
  'note',
  'photos',
  'public',
  'rating',
  'satisfied',
  'comment',
  'intoTicketId',
] as const;

/** Which of my departments may make a department move now: pending ones check in, working ones report. */
export function departmentChoices(ticket: TicketView, kind: TicketActionKind) {
  const wanted = kind === 'checkIn' || kind === 'return' ? 'pending' : 'checkedIn';
  return ticket.dispatches.filter(
    (d) => ticket.can.departmentIds.includes(d.departmentId) && d.status === wanted,
  );
}

/** The small form behind one action button of a ticket; sends the move and hands back the result. */
export function ActionModal({
  ticket,
  kind,
  onClose,
  onDone,
}: {
  ticket: TicketView;
  kind: TicketActionKind | null;
  onClose: () => void;
  onDone: (kind: TicketActionKind, next: TicketView | null) => void;
}) {
  const { t } = useTranslation();
  const depts = kind ? departmentChoices(ticket, kind) : [];
  const asDepartment = depts.length > 0;
  const k = kind ?? 'accept';

  const required = (field: string) => ({
    required: true,
    whitespace: true,
    message: t('validation.required', { field }),
  });
  const deptField = asDepartment && (
    <Form.Item
      name="departmentId"
      label={t('tq.department')}
      rules={[{ required: true, message: t('validation.select', { field: t('tq.department') }) }]}
      hidden={depts.length === 1}
    >
      <Select options={depts.map((d) => ({ value: d.departmentId, label: d.departmentName }))} />
    </Form.Item>
  );
  const singleDept = depts.length === 1 && depts[0] && (
    <Typography.Paragraph>
      {t('tq.department')}：<Typography.Text strong>{depts[0].departmentName}</Typography.Text>
    </Typography.Paragraph>
  );

  const body = (v: ActionValues): TicketActionBody => {
    const reason = v.reason?.trim() ?? '';
    const note = v.note?.trim() ?? '';
    const departmentId = asDepartment ? v.departmentId : undefined;
    switch (k) {
      case 'accept':
        return { kind: 'accept', itemId: v.itemId ?? undefined };
      case 'reject':
      case 'refer':
      case 'sendBack':
        return { kind: k, reason };
      case 'transfer':
        return { kind: 'transfer', reason, communityCode: v.communityCode ?? '' };
      case 'handleSelf':
        return { kind: 'handleSelf' };
      case 'whistle':
        return {
          kind: 'whistle',
          departmentIds: v.departmentIds ?? [],
          urgent: !!v.urgent,
          note: note || undefined,
        };
      case 'checkIn':
        return { kind: 'checkIn', departmentId: v.departmentId ?? 0, note: note || undefined };
      case 'return':
        return { kind: 'return', departmentId: v.departmentId ?? 0, reason };
      case 'update':
        return {
          kind: 'update',
          note,
          departmentId,
          photoIds: photoIdsOf(v.photos),
          public: v.public ?? true,
        };
      case 'resolve':
        return { kind: 'resolve', note, departmentId, photoIds: photoIdsOf(v.photos) };
      case 'confirm':
        return { kind: 'confirm', note: note || undefined };
      case 'rate':
        return {
          kind: 'rate',
          rating: v.rating ?? 0,
          satisfied: !!v.satisfied,
          comment: v.comment?.trim() || undefined,
        };
      case 'merge':
        return { kind: 'merge', intoTicketId: v.intoTicketId ?? 0 };
      case 'supervise':
        return { kind: 'supervise', note };
      case 'requestExtension':
        return { kind: 'requestExtension', reason, departmentId };
      case 'approveExtension':
        return { kind: 'approveExtension', note: note || undefined };
      case 'refuseExtension':
        return { kind: 'refuseExtension', reason };
      default:
        throw new Error(`no form for ${k}`);
    }
  };

  const photosRule = (min: number) => ({
    validator: async (_: unknown, files?: UploadFile[]) => {
      if (photosBusy(files)) throw new Error(t('ticket.photoUploading'));
      if (photoIdsOf(files).length < min) throw new Error(t('tq.photosMissing'));
    },
  });

  return (
    <FormModal<ActionValues>
      open={kind !== null}
      name={`action-${k}`}
      title={t(`ticket.action.${k}`)}
      fields={FIELDS}
      rename={{ photoIds: 'photos' }}
      width={k === 'whistle' || k === 'resolve' || k === 'update' ? 600 : 520}
      initialValues={{
        itemId: ticket.itemId ?? undefined,
        urgent: ticket.urgent,
        public: true,
        departmentId: depts.length === 1 ? depts[0]?.departmentId : undefined,
        departmentIds: [],
      }}
      onCancel={onClose}
      onSubmit={async (v) => {
        const next = await ticketAction(ticket.id, body(v));
        onDone(k, next);
      }}
    >
      {k === 'accept' && (
        <Form.Item name="itemId" label={t('ticket.item')} extra={t('tq.itemHint')}>
          <ItemSelect />
        </Form.Item>
      )}
      {(k === 'reject' || k === 'refer' || k === 'sendBack') && (
        <Form.Item name="reason" label={t('tq.reason')} rules={[required(t('tq.reason')), { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('tq.reasonPlaceholder')} />
        </Form.Item>
      )}
      {k === 'transfer' && (
        <>
          <Form.Item
            name="communityCode"
            label={t('tq.transferTo')}
            rules={[{ required: true, message: t('intake.communityRequired') }]}
          >
            <TransferTargetSelect ticketId={ticket.id} />
          </Form.Item>
          <Form.Item name="reason" label={t('tq.reason')} rules={[required(t('tq.reason')), { max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('tq.reasonPlaceholder')} />
          </Form.Item>
        </>
      )}
      {k === 'handleSelf' && <Alert type="info" showIcon title={t('tq.handleSelfConfirm')} />}
      {k === 'whistle' && (
        <>
          <Form.Item
            name="departmentIds"
            label={t('tq.departments')}
            rules={[{ required: true, type: 'array', min: 1, message: t('tq.departmentsRequired') }]}
          >
            <DepartmentSelect communityCode={ticket.communityCode} />
          </Form.Item>
          <Form.Item name="urgent" label={t('tq.urgentDispatch')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="note" label={t('tq.noteOptional')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} showCount />
          </Form.Item>
        </>
      )}
      {(k === 'checkIn' || k === 'return') && (
        <>
          {singleDept}
          {deptField}
          {k === 'checkIn' ? (
            <>
              <Alert type="info" showIcon title={t('tq.checkInConfirm')} style={{ marginBottom: 16 }} />
              <Form.Item name="note" label={t('tq.noteOptional')} rules={[{ max: 1000 }]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </>
          ) : (
            <Form.Item name="reason" label={t('tq.reason')} rules={[required(t('tq.reason')), { max: 500 }]}>
              <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('tq.reasonPlaceholder')} />
            </Form.Item>
          )}
        </>
      )}
      {(k === 'update' || k === 'resolve') && (
        <>
          {singleDept}
          {deptField}
          <Form.Item name="note" label={t('tq.note')} rules={[required(t('tq.note')), { max: 1000 }]}>
            <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t('tq.notePlaceholder')} />
          </Form.Item>
          <Form.Item
            name="photos"
            label={t('tq.photos')}
            extra={k === 'resolve' ? t('tq.photosRequired') : undefined}
            rules={[photosRule(k === 'resolve' ? 1 : 0)]}
            {...photoFieldProps}
          >
            <PhotoUpload />
          </Form.Item>
          {k === 'update' && (
            <Form.Item
              name="public"
              label={t('tq.public')}
              extra={t('tq.publicHint')}
              valuePropName="checked"
            >
              <Switch />
            </Form.Item>
          )}
        </>
      )}
      {k === 'confirm' && (
        <Form.Item name="note" label={t('tq.confirmNote')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      )}
      {k === 'rate' && (
        <>
          <Alert type="info" showIcon title={t('tq.rateHint')} style={{ marginBottom: 16 }} />
          <Form.Item
            name="rating"
            label={t('tq.rating')}
            rules={[{ required: true, message: t('mticket.starsRequired') }]}
          >
            <Rate />
          </Form.Item>
          <Form.Item
            name="satisfied"
            label={t('tq.satisfied')}
            rules={[{ required: true, message: t('mticket.satisfiedRequired') }]}
          >
            <Radio.Group
              options={[
                { value: true, label: t('tq.satisfiedYes') },
                { value: false, label: t('tq.satisfiedNo') },
              ]}
            />
          </Form.Item>
          <Form.Item name="comment" label={t('tq.comment')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </>
      )}
      {k === 'merge' && (
        <Form.Item
          name="intoTicketId"
          label={t('tq.mergeInto')}
          rules={[{ required: true, message: t('validation.select', { field: t('tq.mergeInto') }) }]}
        >
          <TicketSelect exclude={ticket.id} />
        </Form.Item>
      )}
      {k === 'requestExtension' && (
        <>
          {singleDept}
          {deptField}
          <Alert
            type="info"
            showIcon
            title={t('tq.extensionHint', { limit: ticket.extensionLimit ?? '' })}
            style={{ marginBottom: 16 }}
          />
          <Form.Item name="reason" label={t('tq.reason')} rules={[required(t('tq.reason')), { max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('tq.reasonPlaceholder')} />
          </Form.Item>
        </>
      )}
      {k === 'approveExtension' && (
        <>
          <Alert
            type="info"
            showIcon
            title={t('tq.approveExtensionHint', { limit: ticket.extensionLimit ?? '' })}
            style={{ marginBottom: 16 }}
          />
          <Form.Item name="note" label={t('tq.approveNote')} rules={[{ max: 500 }]}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </>
      )}
      {k === 'refuseExtension' && (
        <Form.Item name="reason" label={t('tq.reason')} rules={[required(t('tq.reason')), { max: 500 }]}>
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('tq.reasonPlaceholder')} />
        </Form.Item>
      )}
      {k === 'supervise' && (
        <Form.Item
          name="note"
          label={t('tq.superviseNote')}
          rules={[required(t('tq.superviseNote')), { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      )}
    </FormModal>
  );
}
