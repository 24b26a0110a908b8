import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../../../services/context.js';
import { getReminderLetter, issueReminders, listReminderLetters, reminderPdf, remindersDue } from '../../../services/reminders.js';
import { scopeOf } from '../../../services/actor.js';
import { FINANCE, READERS } from '../../plugins/auth.js';
import {
  reminderIssueBody,
  reminderIssueOut,
  reminderLetterOut,
  reminderLetterQuery,
  reminderNumberParam,
  remindersDueOut,
  remindersDueQuery,
} from '../../../schemas/reminders.js';
import { pdfResponse, sendPdfFile } from '../../schemas/media.js';

const params = z.strictObject({ number: reminderNumberParam });

const reminderRoutes: FastifyPluginAsyncZod<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/',
    {
      config: { access: { roles: READERS, ownState: 'resource' } },
      schema: {
        operationId: 'listRemindersDue',
        tags: ['reminders'],
        summary: 'The States to remind on a date: overdue invoices, credit held, amount to pay, last letter sent (a State user: its own only)',
        querystring: remindersDueQuery,
        response: { 200: remindersDueOut },
      },
    },
    async (request) => remindersDue(ctx, request.query.asOf, scopeOf(request.actor!)),
  );

  app.post(
    '/',
    {
      config: { access: { roles: FINANCE }, throws: [409, 422] },
      schema: {
        operationId: 'issueReminders',
        tags: ['reminders'],
        summary: 'Issue reminder letters REM-{year}-{seq} to the States to remind (one per State per day; the same day again answers the letters issued, 200)',
        body: reminderIssueBody,
        response: { 200: reminderIssueOut, 201: reminderIssueOut },
      },
    },
    async (request, reply) => {
      const r = await issueReminders(ctx, request.actor!, request.body);
      return reply.status(r.issued > 0 ? 201 : 200).send(r);
    },
  );

  app.get(
    '/letters',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: {
        operationId: 'listReminderLetters',
        tags: ['reminders'],
        summary: 'Reminder letters issued (a State user: its own only)',
        querystring: reminderLetterQuery,
        response: { 200: z.array(reminderLetterOut) },
      },
    },
    async (request) => listReminderLetters(ctx, request.query, scopeOf(request.actor!)),
  );

  app.get(
    '/letters/:number',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404] },
      schema: { operationId: 'getReminderLetter', tags: ['reminders'], summary: 'One reminder letter', params, response: { 200: reminderLetterOut } },
    },
    async (request) => getReminderLetter(ctx, request.params.number, scopeOf(request.actor!)),
  );

  app.get(
    '/letters/:number/pdf',
    {
      config: { access: { roles: READERS, ownState: 'resource' }, throws: [404, 409] },
      schema: {
        operationId: 'getReminderLetterPdf',
        tags: ['reminders'],
        summary: 'The reminder letter PDF as issued (same bytes every time)',
        params,
        response: { 200: pdfResponse('The reminder letter PDF') },
      },
    },
    async (request, reply) => sendPdfFile(reply, request.params.number, await reminderPdf(ctx, request.params.number, scopeOf(request.actor!))),
  );
};
export default reminderRoutes;
