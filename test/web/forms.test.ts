/** The form kit (src/http/pages/forms.ts) on its own: accessible fields, escaping, the summary, errors from zod and from services. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkboxField,
  errorSummary,
  FORM_TEXT,
  formState,
  idemField,
  moneyField,
  postedIdem,
  postForm,
  selectField,
  serviceFieldErrors,
  textareaField,
  textField,
  validateForm,
  withLang,
  zodFieldErrors,
} from '../../src/http/pages/forms.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/services/errors.js';

describe('the form kit', () => {
  it('labels every field, keeps the value (escaped) and says an error at the field', () => {
    const f = formState('en', { name: '"><script>alert(1)</script>', amount: '12,3x' }, { amount: 'Enter an amount.' }, 'pay');
    const text = textField(f, { name: 'name', label: 'Name', required: true }).value;
    expect(text).toContain('<label for="pay-name">Name</label>');
    expect(text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(text).not.toContain('<script>');
    expect(text).toContain('required aria-required="true"');
    const money = moneyField(f, { name: 'amount', label: 'Amount', hint: 'In CHF.' }).value;
    expect(money).toContain('inputmode="decimal"');
    expect(money).toContain('aria-invalid="true"');
    expect(money).toContain('aria-describedby="pay-amount-hint pay-amount-error"');
    expect(money).toContain('<p class="field-error" id="pay-amount-error">');
    expect(money).toContain('(optional)');
    expect(money).toContain('value="12,3x"');
  });

  it('selects the current option, keeps a textarea and a ticked box', () => {
    const f = formState('fr', { purpose: 'b', reason: 'a < b', ok: '1' });
    expect(selectField(f, { name: 'purpose', label: 'Objet', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }).value).toContain(
      '<option value="b" selected>B</option>',
    );
    expect(textareaField(f, { name: 'reason', label: 'Motif' }).value).toContain('>a &lt; b</textarea>');
    expect(checkboxField(f, { name: 'ok', label: 'OK' }).value).toContain(' checked');
    expect(textField(f, { name: 'x', label: 'X' }).value).toContain(`(${FORM_TEXT.fr.optional})`);
  });

  it('lists the errors at the top, linking to the fields by their labels; a form-level error as text', () => {
    const f = formState('es', {}, { amount: 'Mal.', '': 'Caducado.' }, 'pay');
    const fields = [moneyField(f, { name: 'amount', label: 'Importe' })];
    const form = postForm(f, { action: '/payments', viewer: { csrf: 'tok' }, submit: 'Registrar', fields, idem: true }).value;
    expect(form).toContain(`<h2 id="pay-summary">${FORM_TEXT.es.problem}</h2>`);
    expect(form).toContain('<li><a href="#pay-amount">Importe: Mal.</a></li>');
    expect(form).toContain('<li>Caducado.</li>');
    expect(form).toContain('name="_csrf" value="tok"');
    expect(form).toMatch(/name="_idem" value="[A-Za-z0-9_-]{16,}"/);
    expect(form.indexOf('error-summary')).toBeLessThan(form.indexOf('pay-amount"'));
    expect(errorSummary(formState('en'))).toBe('');
  });

  it('keeps a posted _idem token and refuses a malformed one', () => {
    expect(idemField('abcdefghijklmnopqrstuv').value).toContain('value="abcdefghijklmnopqrstuv"');
    expect(idemField('short').value).not.toContain('value="short"');
    expect(postedIdem({ _idem: 'abcdefghijklmnopqrstuv' })).toBe('abcdefghijklmnopqrstuv');
    expect(postedIdem({ _idem: 'bad token with spaces!' })).toBeNull();
    expect(postedIdem({})).toBeNull();
  });

  it('maps zod issues and service refusals to field messages', () => {
    const schema = z.object({ amount: z.string().min(1, { message: 'Required.' }), date: z.string().regex(/^\d{4}-\d\d-\d\d$/, { message: 'A date.' }) });
    const r = validateForm(schema, { amount: '', date: 'x' });
    expect(r).toEqual({ ok: false, errors: { amount: 'Required.', date: 'A date.' } });
    expect(validateForm(schema, { amount: '1', date: '2018-01-01' })).toEqual({ ok: true, data: { amount: '1', date: '2018-01-01' } });
    const zr = schema.safeParse({ amount: '', date: '2018-01-01' });
    expect(zr.success ? {} : zodFieldErrors(zr.error, { amount: 'sum' })).toEqual({ sum: 'Required.' });
    expect(serviceFieldErrors(new ValidationError([{ field: 'receivedOn', message: 'in the future' }]))).toEqual({ receivedOn: 'in the future' });
    expect(serviceFieldErrors(new ConflictError('already there', { field: 'bankReference' }))).toEqual({ bankReference: 'already there' });
    expect(serviceFieldErrors(new ConflictError('already reversed', { field: 'id' }), { id: '' })).toEqual({ '': 'already reversed' });
    expect(serviceFieldErrors(new NotFoundError('Payment 9'))).toBeNull();
    expect(serviceFieldErrors(new Error('boom'))).toBeNull();
  });

  it('keeps the language in the URLs of the pages', () => {
    expect(withLang('/payments', 'en')).toBe('/payments');
    expect(withLang('/payments', 'fr')).toBe('/payments?lang=fr');
    expect(withLang('/payments/3?recorded=1', 'es')).toBe('/payments/3?recorded=1&lang=es');
  });
});
