import { Button, ErrorBlock, Image, ImageViewer, Popup, SearchBar, Tag } from 'antd-mobile';
import { CheckOutline } from 'antd-mobile-icons';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type DispatchView,
  type TicketEventView,
  type TicketStatus,
  ticketPhotoUrl,
} from '../../api/index.ts';
import { formatShort } from '../../ui/format.ts';
import { eventLabel, STATUS_TONE, statusLabel, type Tone, whistledDepartments } from '../../ui/tickets.ts';

const TONE_COLOR: Record<Tone, string> = {
  attention: 'warning',
  working: 'primary',
  waiting: '#7a4fd6',
  done: 'success',
  ended: 'default',
};

export function StatusTag({ status, testId }: { status: TicketStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag
      className="m-tag-big"
      color={TONE_COLOR[STATUS_TONE[status]]}
      fill={STATUS_TONE[status] === 'ended' ? 'outline' : 'solid'}
      data-testid={testId}
      data-status={status}
    >
      {statusLabel(t, status)}
    </Tag>
  );
}

/** "11月26日 10:30" in the UI language. */
export function useShortTime() {
  const { i18n } = useTranslation();
  return (iso: string | null | undefined) => formatShort(iso, i18n.language);
}

/** Photo thumbnails of a ticket; a tap opens them full size, swipeable. */
export function PhotoGrid({
  ticketId,
  photoIds,
  size = 96,
}: {
  ticketId: number;
  photoIds: number[];
  size?: number;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  if (photoIds.length === 0) return null;
  return (
    <>
      <div className="m-photos">
        {photoIds.map((id, i) => (
          <button
            key={id}
            type="button"
            className="m-photo"
            aria-label={`${t('ticket.photos')} ${i + 1}`}
            onClick={() => setOpen(i)}
            style={{ width: size, height: size }}
          >
            <Image src={ticketPhotoUrl(ticketId, id, 'thumb')} width={size} height={size} fit="cover" lazy />
          </button>
        ))}
      </div>
      <ImageViewer.Multi
        images={photoIds.map((id) => ticketPhotoUrl(ticketId, id, 'full'))}
        visible={open !== null}
        defaultIndex={open ?? 0}
        onClose={() => setOpen(null)}
      />
    </>
  );
}

/** The timeline, newest first, in plain words; the newest step is highlighted. */
export function Timeline({
  ticketId,
  events,
  dispatches,
}: {
  ticketId: number;
  events: TicketEventView[];
  dispatches: DispatchView[];
}) {
  const { t } = useTranslation();
  const time = useShortTime();
  if (events.length === 0) return <div className="m-muted">{t('ticket.noTimeline')}</div>;
  const newestFirst = [...events].reverse();
  return (
    <ol className="m-timeline" data-testid="ticket-timeline">
      {newestFirst.map((e, i) => {
        const depts = e.departmentName ? [e.departmentName] : whistledDepartments(e, dispatches);
        return (
          <li key={e.id} className={i === 0 ? 'm-tl-item m-tl-current' : 'm-tl-item'} data-kind={e.kind}>
            <span className="m-tl-dot" aria-hidden />
            <div className="m-tl-time">{time(e.at)}</div>
            <div className="m-tl-title">{eventLabel(t, e)}</div>
            {depts.length > 0 && <div className="m-tl-dept">{depts.join('、')}</div>}
            {e.note && <div className="m-tl-note">{e.note}</div>}
            {/* The report's own photos are shown with its description already. */}
            {e.kind !== 'submit' && <PhotoGrid ticketId={ticketId} photoIds={e.photoIds} size={72} />}
          </li>
        );
      })}
    </ol>
  );
}

export interface SheetOption<V> {
  value: V;
  title: ReactNode;
  description?: ReactNode;
  /** Text the search box matches; defaults to the title when it is a string. */
  text?: string;
}

/**
 * A bottom sheet with a big, plain list to pick one thing from (friendlier than a wheel picker
 * for elderly users), optionally with a search box and grouped options.
 */
export function PickSheet<V extends string | number>({
  visible,
  title,
  groups,
  value,
  onPick,
  onClose,
  search,
  top,
  bottom,
  empty,
}: {
  visible: boolean;
  title: ReactNode;
  groups: { key: string; title?: ReactNode; options: SheetOption<V>[] }[];
  value?: V | null;
  onPick: (v: V) => void;
  onClose: () => void;
  /** A search box; `onChange` gets what was typed (filtering is the caller's business). */
  search?: { placeholder: string; value: string; onChange: (q: string) => void };
  /** Content above the list (e.g. "use my location"). */
  top?: ReactNode;
  /** Content below the list (e.g. where else to turn). */
  bottom?: ReactNode;
  empty?: ReactNode;
}) {
  const { t } = useTranslation();
  const count = groups.reduce((n, g) => n + g.options.length, 0);
  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      destroyOnClose
      bodyClassName="m-sheet"
      bodyStyle={{ height: '85vh' }}
    >
      <div className="m-sheet-head">
        <span className="m-sheet-title">{title}</span>
        <button type="button" className="m-sheet-close" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      {search && (
        <div className="m-sheet-search">
          <SearchBar
            placeholder={search.placeholder}
            value={search.value}
            onChange={search.onChange}
            clearable
            style={{ '--height': '44px' }}
          />
        </div>
      )}
      <div className="m-sheet-body">
        {top}
        {count === 0 && empty}
        {groups.map((g) =>
          g.options.length === 0 ? null : (
            <section key={g.key} className="m-sheet-group">
              {g.title && <h3 className="m-sheet-group-title">{g.title}</h3>}
              <ul className="m-sheet-list">
                {g.options.map((o) => (
                  <li key={String(o.value)}>
                    <button
                      type="button"
                      className={o.value === value ? 'm-sheet-option m-sheet-option-on' : 'm-sheet-option'}
                      onClick={() => onPick(o.value)}
                    >
                      <span className="m-sheet-option-text">
                        <span className="m-sheet-option-title">{o.title}</span>
                        {o.description && <span className="m-sheet-option-desc">{o.description}</span>}
                      </span>
                      {o.value === value && <CheckOutline className="m-sheet-check" />}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          ),
        )}
        {bottom}
      </div>
    </Popup>
  );
}

/** A list that failed to load: what went wrong, and a big button to try again. */
export function LoadFailed({ error, onRetry }: { error: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="m-empty">
      <ErrorBlock status="disconnected" title={t('m.loadFailed')} description={error} />
      <Button color="primary" size="large" className="m-btn-big" onClick={onRetry}>
        {t('m.retry')}
      </Button>
    </div>
  );
}
