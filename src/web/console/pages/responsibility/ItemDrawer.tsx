import {
  Alert,
  Button,
  Col,
  Drawer,
  Form,
  type FormInstance,
  Input,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLimitCode, type LimitKind } from '../../../ui/limits.ts';
import {
  type Doc,
  type DocItem,
  HANDLER_LEVELS,
  type HandlerLevel,
  MAX,
  nextItemCode,
  type Problem,
} from './doc.ts';
import { LimitInput, levelLabel, ProblemList } from './parts.tsx';

interface ItemForm {
  code: string;
  name: string;
  categoryCode: string;
  description: string;
  handlerLevel: HandlerLevel;
  departmentType: string | null;
  urgent: boolean;
  limits: { accept: string; checkIn: string; resolve: string; extension: string | null };
  extendable: boolean;
  keywords: string[];
}

export interface ItemEditing {
  /** The item's index in the draft, or null for a new item. */
  index: number | null;
  item: DocItem | null;
  /** For a new item: the category it goes in. */
  categoryCode?: string;
}

const LIMITS: readonly LimitKind[] = ['accept', 'checkIn', 'resolve'];
/** What a new item starts with: the list's general limits (12345 hotline norms). */
const NEW_LIMITS = { accept: '2wh', checkIn: '1wd', resolve: '7d', extension: null };

/**
 * Edits one item of the draft (or adds one): the limits as a number and a unit, the department
 * type only for department items, no extension for urgent ones. Saving changes the draft only.
 */
export function ItemDrawer({
  editing,
  doc,
  baseCodes,
  typeOptions,
  problems,
  onSave,
  onClose,
}: {
  editing: ItemEditing | null;
  doc: Doc;
  /** Codes of the version the draft was copied from: those of its items cannot change. */
  baseCodes: ReadonlySet<string>;
  typeOptions: { value: string; label: string }[];
  /** The last check's problems with this item. */
  problems: readonly Problem[];
  onSave: (item: DocItem, index: number | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ItemForm>();
  const isNew = editing?.index === null;
  // A published code stays (tickets refer to it), unless another item of the draft has it too.
  const code = editing?.item?.code;
  const codeLocked =
    code !== undefined && baseCodes.has(code) && doc.items.filter((i) => i.code === code).length === 1;
  // A new item's code follows its category until the administrator types one.
  const codeTouched = useRef(false);

  const open = editing !== null;
  // Each opening is a session of its own: a fresh form even while the last one is still closing.
  const [session, setSession] = useState(0);
  useEffect(() => {
    if (!editing) return;
    codeTouched.current = false;
    setSession((n) => n + 1);
  }, [editing]);
  const initial = useMemo((): ItemForm | undefined => {
    if (!editing) return undefined;
    const it = editing.item;
    if (it)
      return {
        ...it,
        limits: { ...it.limits },
        extendable: it.limits.extension !== null,
        keywords: [...it.keywords],
      };
    const categoryCode = editing.categoryCode ?? doc.categories[0]?.code ?? '';
    return {
      code: nextItemCode(doc, categoryCode),
      name: '',
      categoryCode,
      description: '',
      handlerLevel: 'community',
      departmentType: null,
      urgent: false,
      limits: { ...NEW_LIMITS },
      extendable: false,
      keywords: [],
    };
  }, [editing, doc]);

  // Watched values are undefined on the form's first render: the initial ones show the right
  // fields at once (so the last check's problems have a field to go on).
  const level = Form.useWatch('handlerLevel', form) ?? initial?.handlerLevel;
  const urgent = Form.useWatch('urgent', form) ?? initial?.urgent;
  const extendable = Form.useWatch('extendable', form) ?? initial?.extendable;

  const save = () => {
    // Every value, those of fields not shown (a kept extension while switched off) included.
    const v = form.getFieldsValue(true) as ItemForm;
    const item: DocItem = {
      code: v.code.trim(),
      categoryCode: v.categoryCode,
      name: v.name.trim(),
      description: (v.description ?? '').trim(),
      handlerLevel: v.handlerLevel,
      departmentType: v.handlerLevel === 'department' ? v.departmentType : null,
      urgent: v.urgent,
      limits: {
        accept: v.limits.accept,
        checkIn: v.limits.checkIn,
        resolve: v.limits.resolve,
        extension: v.extendable && !v.urgent ? v.limits.extension : null,
      },
      keywords: [...new Set((v.keywords ?? []).map((k) => k.trim()).filter(Boolean))],
    };
    onSave(item, editing?.index ?? null);
  };

  const otherCodes = new Set(doc.items.filter((_, i) => i !== editing?.index).map((i) => i.code));
  const limitRule = (k: LimitKind) => ({
    validator: async (_: unknown, v: string | null) => {
      if (!v)
        throw new Error(t('responsibility.form.limitRequired', { limit: t(`responsibility.limit.${k}`) }));
      if (!isLimitCode(v)) throw new Error(t('responsibility.form.limitInvalid'));
    },
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={640}
      destroyOnHidden
      title={
        isNew
          ? t('responsibility.form.addTitle')
          : t('responsibility.form.editTitle', { name: editing?.item?.name ?? '' })
      }
      footer={
        <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => form.submit()}>
            {t('responsibility.form.save')}
          </Button>
        </Space>
      }
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('responsibility.form.problems')}
          description={<ProblemList problems={problems} />}
        />
      )}
      <Form<ItemForm>
        key={session}
        form={form}
        clearOnDestroy
        name="responsibility-item"
        layout="vertical"
        initialValues={initial}
        onFinish={save}
        scrollToFirstError
        onValuesChange={(changed: Partial<ItemForm>) => {
          if ('code' in changed) codeTouched.current = true;
          if (changed.categoryCode && isNew && !codeTouched.current)
            form.setFieldValue('code', nextItemCode(doc, changed.categoryCode));
          if (changed.handlerLevel && changed.handlerLevel !== 'department')
            form.setFieldValue('departmentType', null);
          if (changed.urgent) form.setFieldValue('extendable', false);
          if (changed.extendable && !form.getFieldValue(['limits', 'extension']))
            form.setFieldValue(['limits', 'extension'], '15d');
        }}
      >
        <OnOpen key={session} form={form} problems={problems} />
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item
              name="categoryCode"
              label={t('responsibility.field.categoryCode')}
              rules={[
                {
                  required: true,
                  message: t('validation.select', { field: t('responsibility.field.categoryCode') }),
                },
              ]}
            >
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={doc.categories.map((c) => ({ value: c.code, label: `${c.code} ${c.name}` }))}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="code"
              label={t('responsibility.field.code')}
              extra={codeLocked ? t('responsibility.form.codeFixed') : t('responsibility.form.codeHelp')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('validation.required', { field: t('responsibility.field.code') }),
                },
                { max: MAX.itemCode },
                {
                  validator: async (_: unknown, v: string) => {
                    if (v && otherCodes.has(v.trim()))
                      throw new Error(t('responsibility.check.dupItem', { code: v.trim() }));
                  },
                },
              ]}
            >
              <Input className="gz-mono" disabled={codeLocked} maxLength={MAX.itemCode} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="name"
          label={t('responsibility.field.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('responsibility.field.name') }),
            },
          ]}
        >
          <Input maxLength={MAX.itemName} showCount />
        </Form.Item>
        <Form.Item name="description" label={t('responsibility.field.description')}>
          <Input.TextArea
            maxLength={MAX.description}
            showCount
            autoSize={{ minRows: 2, maxRows: 5 }}
            placeholder={t('responsibility.form.descriptionPlaceholder')}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col span={14}>
            <Form.Item
              name="handlerLevel"
              label={t('responsibility.field.handlerLevel')}
              rules={[{ required: true }]}
            >
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={HANDLER_LEVELS.map((l) => ({ value: l, label: levelLabel(t, l) }))}
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item
              name="urgent"
              label={t('responsibility.field.urgent')}
              valuePropName="checked"
              extra={t('responsibility.form.urgentHelp')}
            >
              <Switch checkedChildren={t('responsibility.urgent')} unCheckedChildren={t('common.no')} />
            </Form.Item>
          </Col>
        </Row>
        {level === 'department' && (
          <Form.Item
            name="departmentType"
            label={t('responsibility.field.departmentType')}
            extra={t('responsibility.form.departmentTypeHelp')}
            rules={[{ required: true, message: t('responsibility.check.needDept') }]}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('responsibility.form.departmentTypePlaceholder')}
              options={typeOptions}
            />
          </Form.Item>
        )}
        <Typography.Title level={5} style={{ marginTop: 4 }}>
          {t('responsibility.form.limits')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {t('responsibility.form.limitsHelp')}
        </Typography.Paragraph>
        <Row gutter={16}>
          {LIMITS.map((k) => (
            <Col span={12} key={k}>
              <Form.Item
                name={['limits', k]}
                label={t(`responsibility.limit.${k}`)}
                extra={t(`responsibility.form.${k}Help`)}
                rules={[limitRule(k)]}
              >
                <LimitInput kind={k} />
              </Form.Item>
            </Col>
          ))}
          <Col span={12}>
            <Form.Item label={t('responsibility.limit.extension')} style={{ marginBottom: 0 }}>
              <Space align="start" style={{ width: '100%' }}>
                <Form.Item name="extendable" valuePropName="checked" noStyle>
                  <Switch
                    disabled={urgent}
                    aria-label={t('responsibility.form.extendable')}
                    checkedChildren={t('responsibility.form.extendableOn')}
                    unCheckedChildren={t('responsibility.form.extendableOff')}
                  />
                </Form.Item>
              </Space>
            </Form.Item>
            {extendable && !urgent ? (
              <Form.Item
                name={['limits', 'extension']}
                rules={[limitRule('extension')]}
                extra={t('responsibility.form.extensionHelp')}
                style={{ marginTop: 8 }}
              >
                <LimitInput kind="extension" />
              </Form.Item>
            ) : (
              <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                {urgent
                  ? t('responsibility.check.urgentExtension')
                  : t('responsibility.form.notExtendableHelp')}
              </Typography.Paragraph>
            )}
          </Col>
        </Row>
        <Form.Item
          name="keywords"
          label={t('responsibility.field.keywords')}
          extra={t('responsibility.form.keywordsHelp')}
          rules={[
            {
              validator: async (_: unknown, v: string[] | undefined) => {
                if ((v ?? []).length > MAX.keywords)
                  throw new Error(
                    t('responsibility.check.tooMany', {
                      field: t('responsibility.field.keywords'),
                      max: MAX.keywords,
                    }),
                  );
                if ((v ?? []).some((k) => k.trim().length > MAX.keyword))
                  throw new Error(
                    t('responsibility.check.tooLong', {
                      field: t('responsibility.field.keyword'),
                      max: MAX.keyword,
                    }),
                  );
              },
            },
          ]}
        >
          <Select
            mode="tags"
            open={false}
            suffixIcon={null}
            tokenSeparators={[',', '，', '、', ' ', ';', '；']}
            placeholder={t('responsibility.form.keywordsPlaceholder')}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}

/**
 * Starts the form afresh when the drawer opens (its initial values, nothing left from the last
 * item) and puts the last check's problems on the fields they name ('items.3.limits.resolve' →
 * limits.resolve). A child of the form, so it runs once the drawer has mounted its content.
 */
function OnOpen({ form, problems }: { form: FormInstance<ItemForm>; problems: readonly Problem[] }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per opening (the parent keys it)
  useEffect(() => {
    form.resetFields();
    const byField = new Map<string, string[]>();
    for (const p of problems) {
      const f = p.path.split('.').slice(2).join('.');
      if (f) byField.set(f, [...(byField.get(f) ?? []), p.message]);
    }
    if (byField.size)
      form.setFields([...byField].map(([f, errors]) => ({ name: f.split('.') as never, errors })));
  }, []);
  return null;
}
