/**
 * Live ticket queues: GET /api/v1/tickets/live is a Server-Sent Events stream telling the viewer
 * that a ticket in their work queue changed. It carries only `{id, status, at}`: the client
 * refetches the ticket or the list through the ordinary routes, which apply every access rule.
 *
 * Who hears of a change decides here, in memory, from the event (see TicketChanged): area staff by
 * region path (the ticket's, or the one it was moved away from), department officers by the
 * departments it was whistled to, a reporter for their own ticket, and followers ("+1", merged
 * duplicates): each stream loads the open tickets its user follows when it starts, and adds those
 * the user starts following while it runs. Followers added on their behalf (a merge copying a
 * duplicate's followers) are picked up when the stream is renewed, within `maxAgeMs`.
 *
 * The stream is a hijacked raw response rather than a plugin: it needs only a few writes, and
 * @fastify/sse (0.x) and fastify-sse-v2 add nothing this file does not need to control anyway
 * (shutdown, backpressure, heartbeats).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Problem } from '../../contracts/common.ts';
import { type Actor, requireActor, scopesFor } from '../core/access.ts';
import type { Ctx } from '../core/context.ts';
import { AppError } from '../core/errors.ts';
import { type EventBus, type LiveEvent, publish, type TicketChanged } from '../core/events.ts';
import { AREA_ROLES, departmentIdsOf } from './policy.ts';
import * as repo from './repo.ts';

/**
 * Tells every instance that a ticket changed, when the surrounding transaction commits. Reads the
 * ticket as this transaction leaves it, so the event cannot disagree with what was written.
 * `fromPath`: the ticket's path before the change, so the area it left hears of it too.
 */
export async function publishTicketChange(
  ctx: Ctx,
  change: { id: number; fromPath?: string; followerUserId?: number },
) {
  const t = await repo.ticketByIdRaw(ctx.db, change.id);
  if (!t) return;
  const dispatches = await repo.dispatchesOf(ctx.db, change.id);
  await publish(ctx.db, {
    kind: 'ticket',
    id: t.id,
    status: t.status,
    path: t.path,
    fromPath: change.fromPath && change.fromPath !== t.path ? change.fromPath : null,
    departmentIds: [...new Set(dispatches.map((d) => d.dispatch.departmentId))],
    reporterUserId: t.reporterUserId,
    followerUserId: change.followerUserId ?? null,
    at: ctx.clock.now().toISOString(),
  });
}

/**
 * Whether a change belongs in the actor's queues (work area, department, own reports, followed
 * tickets). `followed` grows as the actor follows more tickets while the stream runs.
 */
export function ticketEventFilter(
  actor: Actor,
  followed: Set<number> = new Set(),
): (e: TicketChanged) => boolean {
  const scopes = scopesFor(actor, AREA_ROLES);
  const depts = new Set(departmentIdsOf(actor));
  return (e) => {
    if (e.followerUserId === actor.userId) followed.add(e.id);
    return (
      e.reporterUserId === actor.userId ||
      followed.has(e.id) ||
      scopes.some((s) => e.path.startsWith(s) || (!!e.fromPath && e.fromPath.startsWith(s))) ||
      e.departmentIds.some((d) => depts.has(d))
    );
  };
}

export interface LiveOptions {
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
  /**
   * A stream ends after this long and the browser reconnects: the session and the grants are
   * checked again then (a stream otherwise keeps the actor it started with).
   */
  maxAgeMs?: number;
  /** Reconnection delay the browser is told to use. */
  retryMs?: number;
  /** A client this far behind (bytes queued, unread) is cut off; it reconnects and refetches. */
  maxBufferedBytes?: number;
  /**
   * Streams one user may hold open on one instance (a browser allows 6 connections per host over
   * HTTP/1.1, so more would be leaked tabs or a script); more are refused with 429.
   */
  maxStreamsPerUser?: number;
  /** Followed open tickets loaded per stream. */
  maxFollowed?: number;
}

const DEFAULTS: Required<LiveOptions> = {
  heartbeatMs: 25_000,
  maxAgeMs: 10 * 60_000,
  retryMs: 5_000,
  maxBufferedBytes: 1_048_576,
  maxStreamsPerUser: 6,
  maxFollowed: 1000,
};

export function liveRoutes(
  app: FastifyInstance,
  deps: {
    events: Pick<EventBus, 'subscribe'>;
    /** The open tickets a user follows, newest first, at most `limit`. */
    followed?: (userId: number, limit: number) => Promise<number[]>;
  },
  options: LiveOptions = {},
) {
  const opts = { ...DEFAULTS, ...options };
  const open = new Set<() => void>();
  const perUser = new Map<number, number>();
  let closing = false;
  // Open streams would keep app.close() waiting for their sockets: end them first. Browsers
  // reconnect after `retry`, to an instance that is still running.
  app.addHook('preClose', async () => {
    closing = true;
    for (const end of [...open]) end();
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/tickets/live',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Live updates of my ticket queues (Server-Sent Events)',
        description:
          'A `text/event-stream`. `event: ticket` with `data: {"id","status","at"}` whenever a ticket in your working area, whistled to your department, or reported by you is created or moves; refetch it (or your list) to see what changed. `event: resync` when changes may have been missed: refetch everything shown. A `:` comment every 25 s keeps the connection open; the server ends a stream after 10 minutes and on shutdown, and the browser reconnects by itself. Refetch your list on every (re)connect.',
        response: {
          200: {
            description: 'The event stream',
            content: { 'text/event-stream': { schema: z.string() } },
          },
          401: Problem,
          429: Problem,
        },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req.actor);
      const streams = perUser.get(actor.userId) ?? 0;
      if (streams >= opts.maxStreamsPerUser)
        throw new AppError('live.too_many', { max: opts.maxStreamsPerUser });
      const followed = new Set(await (deps.followed?.(actor.userId, opts.maxFollowed) ?? []));
      const visible = ticketEventFilter(actor, followed);
      perUser.set(actor.userId, (perUser.get(actor.userId) ?? 0) + 1);
      reply.hijack();
      const res = reply.raw;
      const headers: Record<string, string | number | string[]> = {};
      for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
      res.writeHead(200, {
        ...headers,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // nginx and similar proxies must not buffer the stream.
        'x-accel-buffering': 'no',
        // One stream per connection: when it ends the socket goes too, so shutdown never waits on it.
        connection: 'close',
      });

      let ended = false;
      const timers: NodeJS.Timeout[] = [];
      const end = (stuck = false) => {
        if (ended) return;
        ended = true;
        const left = (perUser.get(actor.userId) ?? 1) - 1;
        if (left > 0) perUser.set(actor.userId, left);
        else perUser.delete(actor.userId);
        unsubscribe();
        for (const t of timers) clearTimeout(t);
        open.delete(end);
        // A client that stopped reading would never take the rest: drop it rather than flush.
        if (stuck) res.destroy();
        else if (!res.writableEnded) res.end();
      };
      const write = (chunk: string) => {
        if (ended) return;
        res.write(chunk);
        if (res.writableLength > opts.maxBufferedBytes) end(true);
      };
      const unsubscribe = deps.events.subscribe((e: LiveEvent) => {
        if (e.kind === 'resync') write('event: resync\ndata: {}\n\n');
        else if (e.kind === 'ticket' && visible(e))
          write(`event: ticket\ndata: ${JSON.stringify({ id: e.id, status: e.status, at: e.at })}\n\n`);
      });
      open.add(end);
      res.on('close', () => end());
      res.on('error', () => end());
      timers.push(setInterval(() => write(': ping\n\n'), opts.heartbeatMs));
      timers.push(setTimeout(() => end(), opts.maxAgeMs));
      write(`retry: ${opts.retryMs}\n: live\n\n`);
      if (closing) end();
    },
  );
}
