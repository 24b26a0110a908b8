/**
 * Small helpers every area of the pages uses: the page's language, the
 * States Parties to choose from (by name in that language), and a date as
 * the tables print it.
 */
import { asc, eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { states } from '../../db/schema.js';
import { formatShortDate } from '../../pdf/i18n.js';
import type { Ctx } from '../../services/context.js';
import { nameIn } from '../../services/states.js';
import { langOf, type FormLang } from './forms.js';
import type { Viewer } from './guard.js';

export interface StateChoice {
  iso3: string;
  name: string;
}

/** Every State Party of the register, by its name in the language, in that language's order. */
export function stateChoices(ctx: Ctx, lang: FormLang): StateChoice[] {
  return ctx.db
    .select()
    .from(states)
    .orderBy(asc(states.iso3))
    .all()
    .map((s) => ({ iso3: s.iso3, name: nameIn(s, lang) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

/** The language of a page: the one the pages' hook settled (?lang=, the user's choice, the State's, the cookie, Accept-Language), else the viewer's State's, else English. */
export function pageLang(ctx: Ctx, request: FastifyRequest, viewer: Viewer | null): FormLang {
  if (request.pageLang) return request.pageLang;
  const own = viewer?.stateIso3 ? ctx.db.select({ language: states.language }).from(states).where(eq(states.iso3, viewer.stateIso3)).get() : undefined;
  return langOf(request, own?.language ?? null);
}

/** A date as the pages' tables print it ("22 janv. 2019"). */
export const day = (iso: string, lang: FormLang) => formatShortDate(iso, lang);
