import { Button, DotLoading, NavBar, PullToRefresh, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../../api/client.ts';
import { listNotices, type NoticeView, readNotices } from '../../api/index.ts';
import { eventLabel } from '../../ui/tickets.ts';
import { useCursorList } from '../../ui/useCursorList.ts';
import { LoadFailed, StatusTag, useShortTime } from './parts.tsx';

const PAGE = 20;

/** 消息: what happened to the tickets I reported or follow, newest first; tapping one opens it. */
export function NoticesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const time = useShortTime();
  const [tick, setTick] = useState(0);
  const [unread, setUnread] = useState(0);
  const [marking, setMarking] = useState(false);
  const list = useCursorList(
    (cursor) =>
      listNotices({ cursor, limit: PAGE }).then((p) => {
        setUnread(p.unread);
        return p;
      }),
    [tick],
  );
  const { setItems } = list;

  const markRead = (ids: number[] | 'all') => {
    const now = new Date().toISOString();
    setItems((prev) =>
      prev.map((n) =>
        n.readAt === null && (ids === 'all' || ids.includes(n.id)) ? { ...n, readAt: now } : n,
      ),
    );
    return readNotices(ids).then((r) => setUnread(r.unread));
  };

  const open = (n: NoticeView) => {
    // Opening the ticket matters more than the read mark: do not wait for it.
    if (n.readAt === null) markRead([n.id]).catch(() => undefined);
    navigate(`/tickets/${n.ticketId}`);
  };

  const readAll = async () => {
    setMarking(true);
    try {
      await markRead('all');
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorText(e) });
    } finally {
      setMarking(false);
    }
  };

  return (
    <div className="m-app">
      <NavBar
        onBack={() => navigate(-1)}
        backIcon
        className="m-navbar"
        right={
          unread > 0 && (
            <Button
              fill="none"
              color="primary"
              className="m-nav-action"
              loading={marking}
              onClick={readAll}
              data-testid="notices-read-all"
            >
              {t('notice.readAll')}
            </Button>
          )
        }
      >
        {t('notice.title')}
      </NavBar>
      <div className="m-body">
        <PullToRefresh onRefresh={async () => setTick((n) => n + 1)}>
          <section className="m-section m-section-flat m-notice-list" data-testid="notice-list">
            {list.error && <LoadFailed error={list.error} onRetry={() => setTick((n) => n + 1)} />}
            {!list.error && !list.loading && list.items.length === 0 && (
              <div className="m-empty">
                <div className="m-empty-title">{t('notice.empty')}</div>
                <div className="m-empty-hint">{t('notice.emptyHint')}</div>
              </div>
            )}
            {list.items.map((n) => (
              <button
                type="button"
                key={n.id}
                className={n.readAt ? 'm-notice' : 'm-notice m-notice-unread'}
                onClick={() => open(n)}
                data-testid="notice-item"
                data-read={n.readAt ? 'true' : 'false'}
              >
                <span className="m-notice-top">
                  {!n.readAt && <span className="m-notice-dot" role="img" aria-label={t('notice.unread')} />}
                  <span className="m-notice-text">
                    {t('notice.text', { number: n.number, what: eventLabel(t, n) })}
                  </span>
                </span>
                <span className="m-notice-about">{n.about}</span>
                <span className="m-notice-meta">
                  {n.toStatus && <StatusTag status={n.toStatus} />}
                  <span className="m-ticket-date">{time(n.createdAt)}</span>
                </span>
              </button>
            ))}
            {list.loading && (
              <div className="m-loading-more">
                <DotLoading color="primary" /> {t('common.loading')}
              </div>
            )}
            {!list.loading && list.more && (
              <Button block size="large" className="m-btn-big" onClick={list.more}>
                {t('common.loadMore')}
              </Button>
            )}
          </section>
        </PullToRefresh>
      </div>
    </div>
  );
}
