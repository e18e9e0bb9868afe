// A citation of the regime ({doc, version, article, paragraph, item, text_ja}) and a block of
// them ("basis"). The quoted Japanese text is always shown as it is, marked lang="ja".
import type { Citation } from '../api';
import { h, uid } from '../dom';
import { lang, t, tCode } from '../i18n';

function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
}

/** "監査に係る基本方針（2016年版）第2条第1項" / "Audit Policy (2016 version) Art. 2, para. 1". */
export function citationLabel(c: Citation): string {
  const parts: string[] = [];
  if (c.article !== null && c.article !== undefined && c.article !== '') {
    parts.push(isNumeric(c.article) ? t('cite.article', { n: String(c.article) }) : t('cite.part', { n: String(c.article) }));
  }
  if (c.paragraph) parts.push(t('cite.paragraph', { n: c.paragraph }));
  if (c.item) parts.push(t('cite.item', { n: c.item }));
  const doc = tCode('doc', c.doc);
  const version = c.version ? t('cite.version', { version: c.version }) : '';
  if (lang() === 'ja') return `${doc}${version ? `（${version}）` : ''}${parts.join('')}`;
  return `${doc}${version ? ` (${version})` : ''}${parts.length ? ` ${parts.join(', ')}` : ''}`;
}

/** Quotes longer than this (characters or lines) are shown folded, with a button to unfold. */
const FOLD_AT = 220;
const FOLD_LINES = 4;

function quoteView(text: string): HTMLElement[] {
  const quote = h('blockquote', { class: 'citation-text', lang: 'ja', testid: 'basis-text', id: uid('quote') }, text);
  if (text.length <= FOLD_AT && text.split('\n').length <= FOLD_LINES) return [quote];
  quote.classList.add('folded');
  const button = h('button', { type: 'button', class: 'btn btn-small btn-fold', 'aria-expanded': 'false', 'aria-controls': quote.id }, t('cite.unfold'));
  button.addEventListener('click', () => {
    const folded = quote.classList.toggle('folded');
    button.setAttribute('aria-expanded', String(!folded));
    button.textContent = folded ? t('cite.unfold') : t('cite.fold');
  });
  return [quote, button];
}

export function citationView(c: Citation): HTMLElement {
  return h(
    'div',
    { class: 'citation', 'data-doc': c.doc, 'data-version': c.version },
    h('div', { class: 'citation-ref' }, h('span', { class: 'citation-label' }, citationLabel(c)), ' ', h('code', { class: 'citation-doc' }, c.doc)),
    c.text_ja ? quoteView(c.text_ja) : null,
  );
}

/** A basis block: the citations a decision rests on. */
export function basisView(basis: Citation[] | undefined, heading?: string): HTMLElement {
  const list = basis ?? [];
  return h(
    'div',
    { class: 'basis', testid: 'basis' },
    heading ? h('div', { class: 'basis-heading' }, heading) : null,
    list.map((c) => citationView(c)),
  );
}
