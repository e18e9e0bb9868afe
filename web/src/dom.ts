// Small DOM helpers. Every piece of text goes through textContent (never innerHTML), so data
// from the server cannot inject markup; styling is by class only, because the CSP forbids
// inline styles.

export type Child = Node | string | number | null | undefined | false | Child[];

export interface Attrs {
  class?: string | (string | false | null | undefined)[];
  testid?: string;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
  [name: string]: unknown;
}

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

/** Creates an element: h('a', {href: '#/x', class: 'link'}, 'text'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') {
        const cls = Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value);
        if (cls) el.className = cls;
      } else if (name === 'testid') {
        el.dataset.testid = String(value);
      } else if (name === 'on') {
        for (const [ev, fn] of Object.entries(value as Record<string, EventListener>)) {
          if (fn) el.addEventListener(ev, fn);
        }
      } else if (name === 'style') {
        throw new Error('inline styles are forbidden by the CSP; use a class');
      } else if (name.startsWith('data-') || name.startsWith('aria-') || name === 'role') {
        el.setAttribute(name, String(value));
      } else if (name in el && typeof value !== 'string') {
        (el as unknown as Record<string, unknown>)[name] = value;
      } else if (value === true) {
        el.setAttribute(name, '');
      } else {
        el.setAttribute(name, String(value));
      }
    }
  }
  for (const c of children) append(el, c);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element; presentation attributes are allowed by the CSP. */
export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) append(el, c);
  return el;
}

/** Replaces all children of an element. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  for (const c of children) append(parent, c);
}

let idCounter = 0;
/** A document-unique id for label/input pairs. */
export function uid(prefix = 'id'): string {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
