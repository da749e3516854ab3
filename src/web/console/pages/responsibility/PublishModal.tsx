import { Alert, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorText } from '../../../api/client.ts';
import {
  publishResponsibilityList,
  type ResponsibilityListSummary,
  type ResponsibilityPublishResult,
} from '../../../api/index.ts';
import { describeLimits, type LimitLang } from '../../../ui/limits.ts';
import {
  type ChangeField,
  checkDoc,
  type Doc,
  type DocItem,
  diffDocs,
  MAX,
  type Problem,
  VERSION_RE,
} from './doc.ts';
import { changeText, levelLabel, ProblemList } from './parts.tsx';

interface PublishForm {
  version: string;
  note: string;
}

/**
 * 检查并发布: asks for the new version's name and a note, checks the draft (here, then with the
 * server's dry run), says what it changes against the current list in words, and publishes on
 * confirmation. Problems go back to the page, which marks the items they name.
 */
export function PublishModal({
  open,
  doc,
  base,
  current,
  currentDoc,
  used,
  suggested,
  typeNames,
  onProblems,
  onPick,
  onPublished,
  onClose,
}: {
  open: boolean;
  /** The draft. */
  doc: Doc;
  /** The version the draft was copied from. */
  base: string;
  current: ResponsibilityListSummary | undefined;
  currentDoc: Doc | undefined;
  /** Versions already published. */
  used: readonly string[];
  suggested: string;
  typeNames: ReadonlyMap<string, string>;
  /** The problems of the document sent (paths index its items). */
  onProblems: (problems: Problem[], sent: Doc) => void;
  /** A problem was clicked: show its item. */
  onPick: (p: Problem) => void;
  onPublished: (list: ResponsibilityListSummary | null) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const lang: LimitLang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [form] = Form.useForm<PublishForm>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [checked, setChecked] = useState<{ sent: Doc; result: ResponsibilityPublishResult } | null>(null);

  useEffect(() => {
    if (!open) return;
    setError(null);
    setProblems([]);
    setChecked(null);
  }, [open]);

  const failed = (e: unknown, sent: Doc) => {
    if (e instanceof ApiError && e.code === 'responsibility.version_exists') {
      setChecked(null);
      form.setFields([{ name: 'version', errors: [e.detail] }]);
      return;
    }
    setError(errorText(e));
    if (e instanceof ApiError && e.errors.length) {
      setProblems(e.errors);
      onProblems(e.errors, sent);
    }
  };

  const check = async () => {
    const v = await form.validateFields();
    const note = v.note?.trim();
    const sent: Doc = { ...doc, version: v.version.trim(), ...(note ? { note } : {}) };
    if (!note) delete sent.note;
    setError(null);
    setProblems([]);
    const local = checkDoc(sent, t);
    if (local.length) {
      setError(t('responsibility.publish.invalid', { count: local.length }));
      setProblems(local);
      onProblems(local, sent);
      return;
    }
    setBusy(true);
    try {
      setChecked({ sent, result: await publishResponsibilityList(sent, true) });
    } catch (e) {
      failed(e, sent);
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    if (!checked) return;
    setBusy(true);
    try {
      const r = await publishResponsibilityList(checked.sent, false);
      onPublished(r.list);
    } catch (e) {
      setChecked(null);
      failed(e, checked.sent);
    } finally {
      setBusy(false);
    }
  };

  const diff = checked?.result.diff;
  const categories = checked ? diffDocs(currentDoc, checked.sent) : null;
  const categoryChanges = categories
    ? categories.categoriesAdded.length +
      categories.categoriesRemoved.length +
      categories.categoriesRenamed.length
    : 0;
  const nothing =
    diff && diff.added.length + diff.removed.length + diff.changed.length + categoryChanges === 0;
  const byCode = (d: Doc | undefined) => new Map((d?.items ?? []).map((i) => [i.code, i]));
  const before = byCode(currentDoc);
  const after = byCode(checked?.sent);
  const itemLabel = (code: string, m: Map<string, DocItem>) => `${code} ${m.get(code)?.name ?? ''}`.trim();

  return (
    <Modal
      open={open}
      width={760}
      title={t('responsibility.publish.title')}
      onCancel={onClose}
      destroyOnHidden
      maskClosable={false}
      footer={
        checked ? (
          <Space>
            <Button onClick={() => setChecked(null)}>{t('responsibility.publish.back')}</Button>
            <Button type="primary" loading={busy} disabled={!!nothing} onClick={publish}>
              {t('responsibility.publish.confirm', { version: checked.sent.version })}
            </Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" loading={busy} onClick={() => void check().catch(() => undefined)}>
              {t('responsibility.publish.check')}
            </Button>
          </Space>
        )
      }
    >
      {base !== current?.version && current && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('responsibility.baseOutdated', { base, current: current.version })}
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={error}
          description={
            problems.length > 0 && (
              <>
                <ProblemList problems={problems} onPick={onPick} />
                <Typography.Text type="secondary">{t('responsibility.publish.problemsHint')}</Typography.Text>
              </>
            )
          }
        />
      )}
      <Form<PublishForm>
        form={form}
        name="responsibility-publish"
        layout="vertical"
        initialValues={{
          version: doc.version && !used.includes(doc.version) ? doc.version : suggested,
          note: doc.note ?? '',
        }}
        onValuesChange={() => setChecked(null)}
      >
        <Form.Item
          name="version"
          label={t('responsibility.publish.version')}
          extra={t('responsibility.publish.versionHelp', { current: current?.version ?? '—' })}
          rules={[
            {
              required: true,
              whitespace: true,
              message: t('validation.required', { field: t('responsibility.publish.version') }),
            },
            { pattern: VERSION_RE, message: t('responsibility.check.badVersion') },
            {
              validator: async (_: unknown, v: string) => {
                if (v && used.includes(v.trim()))
                  throw new Error(t('responsibility.publish.versionUsed', { version: v.trim() }));
              },
            },
          ]}
        >
          <Input className="gz-mono" maxLength={MAX.version} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="note" label={t('responsibility.publish.note')}>
          <Input.TextArea
            maxLength={MAX.note}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder={t('responsibility.publish.notePlaceholder')}
          />
        </Form.Item>
      </Form>

      {checked && diff && categories && (
        <div data-testid="responsibility-diff">
          <Alert
            type={nothing ? 'warning' : 'success'}
            showIcon
            style={{ marginBottom: 12 }}
            title={
              nothing
                ? t('responsibility.publish.nothing', { current: current?.version ?? '' })
                : t('responsibility.publish.passed', {
                    current: current?.version ?? '',
                    added: diff.added.length,
                    removed: diff.removed.length,
                    changed: diff.changed.length,
                  })
            }
          />
          {categoryChanges > 0 && (
            <DiffSection color="blue" title={t('responsibility.diff.categories', { count: categoryChanges })}>
              {categories.categoriesAdded.map((c) => (
                <li key={`a-${c.code}`}>
                  {t('responsibility.diff.categoryAdded', { label: `${c.code} ${c.name}` })}
                </li>
              ))}
              {categories.categoriesRenamed.map((c) => (
                <li key={`r-${c.code}`}>
                  {t('responsibility.diff.categoryRenamed', { code: c.code, from: c.before, to: c.after })}
                </li>
              ))}
              {categories.categoriesRemoved.map((c) => (
                <li key={`d-${c.code}`}>
                  {t('responsibility.diff.categoryRemoved', { label: `${c.code} ${c.name}` })}
                </li>
              ))}
            </DiffSection>
          )}
          {diff.added.length > 0 && (
            <DiffSection color="green" title={t('responsibility.diff.added', { count: diff.added.length })}>
              {diff.added.map((c) => {
                const it = after.get(c);
                return (
                  <li key={c}>
                    {itemLabel(c, after)}
                    {it && (
                      <Typography.Text type="secondary">
                        {t('responsibility.diff.addedDetail', {
                          handler:
                            it.handlerLevel === 'department' && it.departmentType
                              ? `${levelLabel(t, it.handlerLevel)} · ${typeNames.get(it.departmentType) ?? it.departmentType}`
                              : levelLabel(t, it.handlerLevel),
                          limits: describeLimits(it.limits, lang),
                        })}
                      </Typography.Text>
                    )}
                  </li>
                );
              })}
            </DiffSection>
          )}
          {diff.removed.length > 0 && (
            <DiffSection color="red" title={t('responsibility.diff.removed', { count: diff.removed.length })}>
              {diff.removed.map((c) => (
                <li key={c}>{itemLabel(c, before)}</li>
              ))}
            </DiffSection>
          )}
          {diff.changed.length > 0 && (
            <DiffSection
              color="orange"
              title={t('responsibility.diff.changed', { count: diff.changed.length })}
            >
              {diff.changed.map((c) => {
                const b = before.get(c.code);
                const a = after.get(c.code);
                return (
                  <li key={c.code}>
                    <Typography.Text strong>{itemLabel(c.code, after)}</Typography.Text>
                    <ul>
                      {c.fields.map((f) => (
                        <li key={f}>
                          {b && a
                            ? changeText(
                                t,
                                lang,
                                f as ChangeField,
                                b,
                                a,
                                { before: currentDoc, after: checked.sent },
                                typeNames,
                              )
                            : f}
                        </li>
                      ))}
                    </ul>
                  </li>
                );
              })}
            </DiffSection>
          )}
          {!nothing && (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              {t('responsibility.publish.after')}
            </Typography.Paragraph>
          )}
        </div>
      )}
    </Modal>
  );
}

function DiffSection({ color, title, children }: { color: string; title: string; children: ReactNode }) {
  return (
    <div style={{ marginBottom: 12 }}>
      <Tag color={color}>{title}</Tag>
      <ul className="gz-resp-diff">{children}</ul>
    </div>
  );
}
