import { Button, ErrorBlock, NavBar, Rate, Skeleton, TextArea, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import { getTicket, type TicketView, ticketAction } from '../../api/index.ts';
import { useMe } from '../../ui/session.tsx';
import { dueOf } from '../../ui/tickets.ts';
import { useLoad } from '../../ui/useLoad.ts';
import { useLiveChanges } from '../live.tsx';
import { PhotoGrid, StatusTag, Timeline, useShortTime } from './parts.tsx';

/** One of my (or my neighbours') requests: what, where, photos, how it went, and the rating form. */
export function TicketDetailPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const ticket = useLoad(() => getTicket(id), [id]);
  // Progress shows as it happens: the community accepts, the department checks in …
  useLiveChanges((c) => {
    if (c.kind === 'resync' || c.id === id) ticket.reload();
  });
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/tickets'));

  return (
    <div className="m-app">
      <NavBar onBack={back} backIcon className="m-navbar">
        {t('mticket.detail')}
      </NavBar>
      <div className="m-body">
        {ticket.error ? (
          <div className="m-empty" style={{ margin: 16 }}>
            <ErrorBlock status="empty" title={t('m.loadFailed')} description={ticket.error} />
            <Button color="primary" size="large" className="m-btn-big" onClick={ticket.reload}>
              {t('m.retry')}
            </Button>
          </div>
        ) : !ticket.data ? (
          <div className="m-detail-card" style={{ margin: 16 }}>
            <Skeleton.Title animated />
            <Skeleton.Paragraph lineCount={5} animated />
          </div>
        ) : (
          <TicketDetail ticket={ticket.data} onChange={(v) => ticket.setData(v)} />
        )}
      </div>
    </div>
  );
}

/** The ticket itself: the page's content, also shown in a sheet over the patrol report form. */
export function TicketDetail({
  ticket: x,
  onChange,
}: {
  ticket: TicketView;
  onChange: (t: TicketView) => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const time = useShortTime();
  const canRate = x.can.actions.includes('rate');
  const others = x.can.actions.filter((a) => a !== 'rate');
  const due = dueOf(x);

  return (
    <div className="m-detail">
      {/* When it is the reporter's turn, the rating comes first: it is why they opened the page. */}
      {canRate && <RateForm ticket={x} onRated={onChange} />}
      <section className="m-detail-card">
        <div className="m-detail-status">
          <StatusTag status={x.status} testId="ticket-status" />
          {x.overdue && <span className="m-badge-overdue">{t('ticket.overdue')}</span>}
          {x.urgent && <span className="m-badge-urgent">{t('ticket.urgent')}</span>}
        </div>
        <div className="m-detail-number">
          <span className="m-row-label">{t('ticket.number')}</span>
          <strong data-testid="ticket-number">{x.number}</strong>
        </div>
        <h2 className="m-detail-item">{x.itemName ?? t('ticket.noItem')}</h2>
        <p className="m-detail-desc">{x.description}</p>
        <PhotoGrid ticketId={x.id} photoIds={x.photoIds} />
        <div className="m-row">
          <span className="m-row-label">{t('ticket.place')}</span>
          <span className="m-row-value">{x.placeLabel}</span>
        </div>
        <div className="m-row">
          <span className="m-row-label">{t('ticket.createdAt')}</span>
          <span className="m-row-value">{time(x.createdAt)}</span>
        </div>
        {/* The reporter knows by when to expect the next step (acceptance, then the result). */}
        {due && (
          <div className="m-row">
            <span className="m-row-label">
              {x.status === 'submitted' ? t('ticket.acceptDue') : t('ticket.resolveDue')}
            </span>
            <span className="m-row-value" data-testid="ticket-due">
              {t('ticket.dueBy', { time: time(due) })}
              {x.extension === 'granted' && `（${t('tq.extensionStatus.granted')}）`}
            </span>
          </div>
        )}
        {/* Keyed in by staff (patrol, hotline …): where it came from and the resident concerned. */}
        {x.channel !== 'app' && (
          <div className="m-row">
            <span className="m-row-label">{t('ticket.channel')}</span>
            <span className="m-row-value" data-testid="ticket-channel">
              {t(`ticket.channelName.${x.channel}`)}
            </span>
          </div>
        )}
        {x.channel !== 'app' && (x.contactName || x.contactPhone) && (
          <div className="m-row">
            <span className="m-row-label">{t('ticket.contact')}</span>
            <span className="m-row-value">{[x.contactName, x.contactPhone].filter(Boolean).join(' ')}</span>
          </div>
        )}
        {x.dispatches.length > 0 && (
          <div className="m-row">
            <span className="m-row-label">{t('mticket.departments')}</span>
            <span className="m-row-value">{x.dispatches.map((d) => d.departmentName).join('、')}</span>
          </div>
        )}
        {x.private && (
          <div className="m-row">
            <span className="m-row-label">{t('ticket.private')}</span>
            <span className="m-row-value">{t('common.yes')}</span>
          </div>
        )}
        {x.mergedIntoNumber && (
          <div className="m-row">
            <span className="m-row-label">{t('ticket.mergedInto')}</span>
            <span className="m-row-value">{x.mergedIntoNumber}</span>
          </div>
        )}
        {x.rating !== null && !canRate && (
          <div className="m-row">
            <span className="m-row-label">{t('ticket.rating')}</span>
            <span className="m-row-value">
              <Rate readOnly value={x.rating} style={{ '--star-size': '22px' }} />
              {x.outcome && x.outcome !== 'noRating' && (
                <span className="m-rated-outcome">{t(`ticket.outcome.${x.outcome}`)}</span>
              )}
            </span>
          </div>
        )}
      </section>

      <section className="m-detail-card">
        <h2 className="m-card-title">{t('ticket.timeline')}</h2>
        <Timeline ticketId={x.id} events={x.events} dispatches={x.dispatches} />
      </section>

      {others.length > 0 && me.can.console && (
        <div className="m-console-hint">
          {t('mticket.handleInConsole')}{' '}
          <a href={`/console/tickets?ticket=${x.id}`}>{t('mticket.openConsole')}</a>
        </div>
      )}
    </div>
  );
}

/** 回访评价: stars, satisfied or not, and a comment; "not satisfied" sends it back to be redone. */
function RateForm({ ticket, onRated }: { ticket: TicketView; onRated: (t: TicketView) => void }) {
  const { t } = useTranslation();
  const [rating, setRating] = useState(0);
  const [satisfied, setSatisfied] = useState<boolean | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async () => {
    if (rating < 1) return setError(t('mticket.starsRequired'));
    if (satisfied === null) return setError(t('mticket.satisfiedRequired'));
    setBusy(true);
    setError(null);
    try {
      const next = await ticketAction(ticket.id, {
        kind: 'rate',
        rating,
        satisfied,
        comment: comment.trim() || undefined,
      });
      Toast.show({ icon: 'success', content: t('mticket.rated') });
      if (next) onRated(next);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="m-detail-card m-rate" data-testid="rate-form">
      <h2 className="m-card-title">{t('mticket.rateTitle')}</h2>
      <p className="m-rate-hint">{t('mticket.rateHint')}</p>
      <div className="m-rate-stars">
        <Rate
          value={rating}
          allowClear={false}
          onChange={(v) => {
            setRating(v);
            setError(null);
          }}
          style={{ '--star-size': '40px' }}
        />
      </div>
      <div className="m-choice">
        {[true, false].map((v) => (
          <button
            key={String(v)}
            type="button"
            aria-pressed={satisfied === v}
            className={satisfied === v ? `m-choice-btn on ${v ? 'yes' : 'no'}` : 'm-choice-btn'}
            onClick={() => {
              setSatisfied(v);
              setError(null);
            }}
          >
            {v ? t('mticket.satisfied') : t('mticket.unsatisfied')}
          </button>
        ))}
      </div>
      {satisfied === false && <p className="m-rate-warn">{t('mticket.unsatisfiedHint')}</p>}
      <TextArea
        className="m-rate-comment"
        placeholder={t('mticket.commentPlaceholder')}
        aria-label={t('mticket.comment')}
        value={comment}
        onChange={setComment}
        maxLength={500}
        showCount
        autoSize={{ minRows: 3, maxRows: 6 }}
      />
      {error && (
        <div className="m-error m-error-inline" role="alert">
          {error}
        </div>
      )}
      <Button
        block
        color="primary"
        size="large"
        className="m-btn-big"
        loading={busy}
        disabled={busy}
        onClick={send}
        data-testid="rate-submit"
      >
        {t('mticket.rateSubmit')}
      </Button>
    </section>
  );
}
